-- GET /v1/users/s-<n>/techniques for a random n below $USERS, with the (admin) bearer token in $TOKEN:
-- every request asks for one of many users, so answers are computed, not served from the answer cache.
local token = os.getenv("TOKEN")
local users = tonumber(os.getenv("USERS") or "1000")

function setup(thread)
  thread:set("seed", math.random(1, 2^31 - 1))
end

function init(args)
  math.randomseed(seed or os.time())
end

function request()
  return wrk.format("GET", "/v1/users/s-" .. math.random(0, users - 1) .. "/techniques",
    {["Authorization"] = "Bearer " .. token})
end
