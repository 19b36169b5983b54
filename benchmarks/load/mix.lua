-- wrk script: each request takes the next address of a mix of pages, CSVs and API calls
-- (weights by repetition), and every answer that is not 200 is counted by status.
-- Used by benchmarks/bench_load.sh; results go in benchmarks/README.md.

local unit = "/units/503033/2024/"
local pages = {
  "/", "/units/503033/", unit, unit, unit .. "functional/", unit .. "functional/?level=item",
  unit .. "economic/", unit .. "structure/", unit .. "history/", unit .. "projects/",
  unit .. "three-public/", unit .. "performance/", unit .. "subjects/functional/2080150/",
  unit .. "subjects/functional/208/", unit .. "subjects/economic/302/", unit .. "budget/",
  unit .. "final/", unit .. "final/gk01/", unit .. "budget/explanation-5/",
  unit .. "final/quality/", unit .. "final/corrections/", "/data/", "/data/dictionary/",
  "/data/browse/", "/data/browse/?stage=final&breakdown=functional",
}
local csvs = {
  unit .. "functional.csv", unit .. "economic.csv", unit .. "three-public.csv",
  unit .. "projects.csv", unit .. "performance.csv", unit .. "history.csv",
  unit .. "final/gk01.csv", unit .. "subjects/functional/208.csv", "/data/browse.csv",
  "/data/browse.csv?year=2024&stage=final", "/data/lines.csv", "/data/budget-data.xlsx",
}
local api = {
  "/api/lines/?page_size=100", "/api/lines/?year=2024&stage=final&code_prefix=208",
  "/api/projects/", "/api/units/503033/", "/api/indicator-results/?scope=project",
}

local mix = {}
local function add(list, times)
  for _ = 1, times do
    for _, path in ipairs(list) do mix[#mix + 1] = path end
  end
end
add(pages, 3)  -- about 60% pages, 30% downloads, 10% API calls
add(csvs, 3)
add(api, 2)

local threads = {}

function setup(thread)
  thread:set("id", #threads)
  table.insert(threads, thread)
end

function init(args)
  counter = id * 7  -- threads start at different places in the mix
  statuses = {}
end

function request()
  counter = counter + 1
  return wrk.format("GET", mix[(counter % #mix) + 1])
end

function response(status, headers, body)
  if status ~= 200 then
    statuses[status] = (statuses[status] or 0) + 1
  end
end

function done(summary, latency, requests)
  local bad = 0
  for _, thread in ipairs(threads) do
    for status, count in pairs(thread:get("statuses")) do
      io.write(string.format("status %d: %d responses\n", status, count))
      bad = bad + count
    end
  end
  local errors = summary.errors
  io.write(string.format(
    "mix of %d addresses; requests %d; not 200: %d; socket errors: connect %d, read %d, " ..
    "write %d, timeout %d; status >= 400 (wrk): %d\n",
    #mix, summary.requests, bad, errors.connect, errors.read, errors.write, errors.timeout,
    errors.status))
  for _, p in ipairs({50, 75, 90, 99, 99.9}) do
    io.write(string.format("latency p%s: %.1f ms\n", p, latency:percentile(p) / 1000))
  end
  io.write(string.format("requests/s: %.1f\n", summary.requests / (summary.duration / 1e6)))
end
