-- wrk script: GET the overview with the session cookie, collect the server's own timings (Server-Timing: app, db)
-- per thread, count answers that are not the whole interactive page, and print percentiles of those timings and of
-- wrk's latency as key=value lines for run.sh.
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  app_times = {}
  db_times = {}
  failures = 0
  incomplete = 0
  wrk.headers["Cookie"] = os.getenv("BENCH_COOKIE")
  -- What the whole page must hold: the year's figures, or (BENCH_EXPECT) another part, for a user with nothing to show.
  expected = os.getenv("BENCH_EXPECT") or 'data-testid="stat-year-hours"'

end

function response(status, headers, body)
  if status ~= 200 then
    failures = failures + 1
  elseif not (string.find(body, expected, 1, true) and string.find(body, '<!--Blazor:{"type":"server"', 1, true)
              and string.find(body, '</html>', 1, true)) then
    -- A 200 without the expected part, the interactive component's marker or the end of the document is not the page.
    incomplete = incomplete + 1
  end
  local timing = headers["Server-Timing"] or headers["server-timing"]
  if timing then
    local app = string.match(timing, "app;dur=([%d%.]+)")
    local db = string.match(timing, "db;dur=([%d%.]+)")
    if app then app_times[#app_times + 1] = tonumber(app) end
    if db then db_times[#db_times + 1] = tonumber(db) end
  end
end

local function percentile(values, p)
  if #values == 0 then return 0 end
  table.sort(values)
  local index = math.max(1, math.ceil(p / 100 * #values))
  return values[index]
end

function done(summary, latency, requests)
  local app, db, failed, partial = {}, {}, 0, 0
  for _, thread in ipairs(threads) do
    for _, v in ipairs(thread:get("app_times")) do app[#app + 1] = v end
    for _, v in ipairs(thread:get("db_times")) do db[#db + 1] = v end
    failed = failed + thread:get("failures")
    partial = partial + thread:get("incomplete")
  end
  local seconds = summary.duration / 1e6
  io.write(string.format("requests=%d\n", summary.requests))
  io.write(string.format("requests_per_second=%.1f\n", summary.requests / seconds))
  io.write(string.format("non_200=%d\n", failed + summary.errors.status))
  io.write(string.format("incomplete_pages=%d\n", partial))
  io.write(string.format("socket_errors=%d\n", summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
  io.write(string.format("wrk_p50_ms=%.2f\n", latency:percentile(50) / 1000))
  io.write(string.format("wrk_p95_ms=%.2f\n", latency:percentile(95) / 1000))
  io.write(string.format("wrk_p99_ms=%.2f\n", latency:percentile(99) / 1000))
  io.write(string.format("server_samples=%d\n", #app))
  io.write(string.format("server_p50_ms=%.2f\n", percentile(app, 50)))
  io.write(string.format("server_p95_ms=%.2f\n", percentile(app, 95)))
  io.write(string.format("server_p99_ms=%.2f\n", percentile(app, 99)))
  io.write(string.format("db_p50_ms=%.2f\n", percentile(db, 50)))
  io.write(string.format("db_p95_ms=%.2f\n", percentile(db, 95)))
end
