-- wrk script for scripts/booking-benchmark/run.sh: POST /api/v1/appointments, each request with its own phone number
-- and Idempotency-Key, slots taken in turn (or at random with RANDOM_SLOT=1) from the file SLOTS_FILE (one id per
-- line). Prints the count of each HTTP status, the rate and p50/p90/p99.
local threads = {}

function setup(thread)
  thread:set("tid", #threads + 1)
  table.insert(threads, thread)
end

function init(args)
  tid = tonumber(wrk.thread:get("tid"))
  slots = {}
  for line in io.lines(os.getenv("SLOTS_FILE")) do table.insert(slots, tonumber(line)) end
  random = os.getenv("RANDOM_SLOT") == "1"
  offset = tonumber(os.getenv("OFFSET") or "0")
  math.randomseed(tid * 7919 + offset)
  sent = 0
  statuses = {}
end

function request()
  sent = sent + 1
  local n = offset + tid * 10000000 + sent
  local slot = random and slots[math.random(#slots)] or slots[(n % #slots) + 1]
  -- One person per request: a French mobile number (07 5x) and, per block of ten million, its own birth year.
  local body = string.format(
    '{"slotId":%d,"procedure":"AES_VIE_PRIVEE","applicant":{"name":"Bench %d","birthDate":"19%02d-01-01","phone":"+3375%07d","language":"fr"}}',
    slot, n, math.floor(n / 10000000) % 100, n % 10000000)
  return wrk.format("POST", "/api/v1/appointments",
    {["Content-Type"] = "application/json", ["Idempotency-Key"] = "bench-" .. n}, body)
end

function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end

function done(summary, latency, requests)
  local all = {}
  for _, t in ipairs(threads) do
    for k, v in pairs(t:get("statuses")) do all[k] = (all[k] or 0) + v end
  end
  for k, v in pairs(all) do io.write(string.format("status %s: %d\n", k, v)) end
  io.write(string.format("requests %d in %.2f s: %.1f/s\n", summary.requests, summary.duration / 1e6,
    summary.requests / (summary.duration / 1e6)))
  for _, p in ipairs({50, 90, 99}) do io.write(string.format("p%d %.1f ms\n", p, latency:percentile(p) / 1000)) end
  io.write(string.format("max %.1f ms\n", latency.max / 1000))
end
