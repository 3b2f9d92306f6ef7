-- Counts answers by status and prints one JSON line of figures when wrk ends.
-- Latency percentiles come from wrk's own histogram (microseconds).
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  ok, redirects, other = 0, 0, 0
end

function response(status, headers, body)
  if status >= 200 and status < 300 then
    ok = ok + 1
  elseif status >= 300 and status < 400 then
    redirects = redirects + 1
  else
    other = other + 1
  end
end

function done(summary, latency, requests)
  local n_ok, n_redirects, n_other = 0, 0, 0
  for _, thread in ipairs(threads) do
    n_ok = n_ok + thread:get("ok")
    n_redirects = n_redirects + thread:get("redirects")
    n_other = n_other + thread:get("other")
  end
  io.write(string.format(
    'WRK_JSON {"requests": %d, "seconds": %.3f, "p50_ms": %.2f, "p95_ms": %.2f, "p99_ms": %.2f, ' ..
    '"max_ms": %.2f, "ok": %d, "redirects": %d, "other": %d, "socket_errors": %d}\n',
    summary.requests, summary.duration / 1e6,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000,
    latency.max / 1000, n_ok, n_redirects, n_other,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
