-- wrk script for bench_city.py: one address a run; counts answers that are not 200 by status
-- and prints one line "BENCH {json}" with req/s and latency percentiles (microseconds).

local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  statuses = {}
end

function response(status, headers, body)
  if status ~= 200 then
    statuses[status] = (statuses[status] or 0) + 1
  end
end

function done(summary, latency, requests)
  local parts = {}
  local bad = 0
  for _, thread in ipairs(threads) do
    for status, count in pairs(thread:get("statuses")) do
      parts[#parts + 1] = string.format('"%d": %d', status, count)
      bad = bad + count
    end
  end
  local e = summary.errors
  io.write(string.format(
    'BENCH {"requests": %d, "seconds": %.3f, "rps": %.2f, "p50": %d, "p90": %d, "p99": %d, ' ..
    '"max": %d, "not_200": %d, "statuses": {%s}, "socket_errors": %d, "timeouts": %d}\n',
    summary.requests, summary.duration / 1e6, summary.requests / (summary.duration / 1e6),
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max, bad,
    table.concat(parts, ", "), e.connect + e.read + e.write, e.timeout))
end
