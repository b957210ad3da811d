-- POST /v1/sessions with a new eventId every request (so every one is accepted, none a duplicate).
-- The token comes from $TOKEN (an admin token: it may post for any user); users cycle through
-- $USERS ids (default 1000). Each wrk thread seeds its own generator.
local token = os.getenv("TOKEN")
local users = tonumber(os.getenv("USERS") or "1000")
-- Every technique but melt: the freshness probe counts melt sessions, so load must not add any.
local techniques = {"swedish", "deep-tissue", "trigger-point", "shiatsu", "thai", "self-trigger-point",
  "tennis-ball", "bath-ball", "trigger-point-platform", "partner"}
local counter = 0

function setup(thread)
  thread:set("seed", math.random(1, 2^31 - 1))
end

function init(args)
  math.randomseed(seed or os.time())
end

local function uuid()
  local t = {}
  for i = 1, 16 do t[i] = math.random(0, 255) end
  t[7] = (t[7] % 16) + 64   -- version 4
  t[9] = (t[9] % 64) + 128  -- variant
  return string.format("%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
    t[1], t[2], t[3], t[4], t[5], t[6], t[7], t[8], t[9], t[10], t[11], t[12], t[13], t[14], t[15], t[16])
end

function request()
  counter = counter + 1
  local before = math.random(3, 9)
  local body = string.format('{"eventId":"%s","userId":"bench-%d","technique":"%s",'
    .. '"startedAt":"2026-11-%02dT18:30:00Z","durationMinutes":%d,"painBefore":%d,"painAfter":%d}',
    uuid(), math.random(1, users), techniques[math.random(1, #techniques)], math.random(1, 20),
    math.random(5, 60), before, math.random(0, before))
  return wrk.format("POST", "/v1/sessions", {
    ["Authorization"] = "Bearer " .. token,
    ["Content-Type"] = "application/json"}, body)
end

function done(summary, latency, requests)
  local statuses = summary.errors.status
  io.stderr:write(string.format("non-2xx answers: %d\n", statuses))
end
