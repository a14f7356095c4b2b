-- wrk script: replays pre-signed raw HTTP requests written by SignedRequests (bench/run.sh).
--
--   wrk -t T -c C -d D --latency -s bench/replay.lua http://HOST:PORT/ -- FILE T MODE
--   wrk ... -s bench/replay-counted.lua ...   (the same, plus a response() callback counting statuses)
--
-- FILE  records "<length>\n<bytes>", one complete HTTP request each
-- T     the number of wrk threads (the same as -t); thread k of T sends records k, k+T, k+2T, ...
-- MODE  cycle : cycle through the thread's records forever (GetSecretValue: a replay is the same read)
--       once  : send each record at most once (PutSecretValue: every request has its own
--               ClientRequestToken); if a thread runs out it repeats its last record, counts it as
--               "exhausted" and the run is invalid
--
-- replay.lua has no response() callback, so wrk does not parse response bodies (the cheapest client
-- for the read benchmark); it still counts non-2xx statuses itself (wrk_status_errors). replay-counted.lua
-- adds response(), counting 200s and everything else per status (counted=1). done() prints one line:
--   BENCH requests=N duration_us=N rps=F p50_us=N p90_us=N p99_us=N p999_us=N max_us=N
--         counted=0|1 ok=N non200=N exhausted=N socket_errors=N statuses=CODE:N,...

local threads = {}
local next_id = 0

function setup(thread)
  thread:set("id", next_id)
  next_id = next_id + 1
  table.insert(threads, thread)
end

local records = {}
local count = 0
local pos = 0
local mode = "cycle"

counted = false -- replay-counted.lua sets it
ok = 0
non200 = 0
exhausted = 0
statuses = ""

function init(args)
  local file = args[1]
  local nthreads = tonumber(args[2])
  mode = args[3] or "cycle"
  local id = wrk.thread:get("id")
  local f = assert(io.open(file, "rb"))
  local i = 0
  while true do
    local len = f:read("*l")
    if not len then break end
    local n = tonumber(len)
    local bytes = f:read(n)
    assert(bytes and #bytes == n, "truncated record in " .. file)
    if i % nthreads == id then
      count = count + 1
      records[count] = bytes
    end
    i = i + 1
  end
  f:close()
  assert(count > 0, "thread " .. id .. " got no records from " .. file)
end

function request()
  if pos >= count then
    if mode == "once" then
      exhausted = exhausted + 1
      return records[count]
    end
    pos = 0
  end
  pos = pos + 1
  return records[pos]
end

function done(summary, latency, requests)
  local t_ok, t_non200, t_exhausted, t_statuses = 0, 0, 0, {}
  for _, thread in ipairs(threads) do
    t_ok = t_ok + (thread:get("ok") or 0)
    t_non200 = t_non200 + (thread:get("non200") or 0)
    t_exhausted = t_exhausted + (thread:get("exhausted") or 0)
    local s = thread:get("statuses")
    if s and s ~= "" then t_statuses[#t_statuses + 1] = s end
  end
  local e = summary.errors
  local socket_errors = e.connect + e.read + e.write + e.timeout
  io.write(string.format(
    "BENCH counted=%d requests=%d duration_us=%d rps=%.1f p50_us=%d p90_us=%d p99_us=%d p999_us=%d max_us=%d "
      .. "ok=%d non200=%d exhausted=%d socket_errors=%d wrk_status_errors=%d statuses=%s\n",
    counted and 1 or 0, summary.requests, summary.duration, summary.requests / (summary.duration / 1e6),
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency:percentile(99.9), latency.max,
    t_ok, t_non200, t_exhausted, socket_errors, e.status, table.concat(t_statuses, ";")))
end
