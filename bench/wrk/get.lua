-- GET $PATH_TO_GET (default /v1/techniques) with the bearer token in $TOKEN.
local token = os.getenv("TOKEN")
local path = os.getenv("PATH_TO_GET") or "/v1/techniques"

function request()
  return wrk.format("GET", path, {["Authorization"] = "Bearer " .. token})
end
