-- wrk script for scripts/bench-console.sh: mixed GETs of the HTTP API with a bearer token.
-- BENCH_TOKEN: the API token; BENCH_IDS: a file with one network id per line.
-- The mix, per 20 requests: network 5, its events 4, its duties 3, its evidence 2, a
-- working-day deadline 2, a law article 1, a calendar question 1, the organisations 1,
-- the caller 1.

local ids = {}
for line in io.lines(os.getenv("BENCH_IDS")) do
  if #line > 0 then ids[#ids + 1] = line end
end
local auth = "Bearer " .. os.getenv("BENCH_TOKEN")
local articles = { "21", "21.1.3", "37", "59", "64" }
local days = { "2026-01-01", "2026-02-14", "2026-10-01", "2026-10-10", "2026-06-19" }
local mix = {
  "net", "net", "net", "net", "net", "law", "events", "events", "events", "events",
  "duties", "duties", "duties", "evidence", "evidence", "deadline", "deadline", "calendar", "orgs", "me",
}

function setup(thread)
  thread:set("seed", math.random(1, 1000000))
end

function init(args)
  math.randomseed(seed or 1)
  wrk.headers["Authorization"] = auth
end

local function pick(t) return t[math.random(#t)] end

function request()
  local kind = pick(mix)
  local id = pick(ids)
  local path
  if kind == "net" then path = "/api/networks/" .. id
  elseif kind == "events" then path = "/api/networks/" .. id .. "/events"
  elseif kind == "duties" then path = "/api/networks/" .. id .. "/duties?at=2026-11-25"
  elseif kind == "evidence" then path = "/api/networks/" .. id .. "/evidence"
  elseif kind == "deadline" then path = "/api/calendar/add-workdays?n=10&date=" .. pick(days)
  elseif kind == "calendar" then path = "/api/calendar/is-workday?date=" .. pick(days)
  elseif kind == "law" then path = "/api/law/csl/" .. pick(articles)
  elseif kind == "orgs" then path = "/api/organisations"
  else path = "/api/me" end
  return wrk.format("GET", path)
end
