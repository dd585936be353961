-- wrk script: GET /users/{id}, id uniformly random in 1..MAX_ID (environment, default 10000).
-- Each wrk thread has a fixed seed, so a rerun sends the same ids in the same order per thread.
local max_id = tonumber(os.getenv("MAX_ID") or "10000")
local threads = 0

function setup(thread)
  threads = threads + 1
  thread:set("seed", 1000 + threads)
end

function init(args)
  math.randomseed(seed or 1000)
end

function request()
  return wrk.format("GET", "/users/" .. math.random(1, max_id))
end
