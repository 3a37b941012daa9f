-- wrk script: a wrong-key flood, every request a 4 KB body, answers counted by status.
local threads = {}
local body = '{"UserDetails":{"Company":"' .. string.rep("x", 4000) .. '"}}'

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  unauthorized = 0
  throttled = 0
  other = 0
end

function request()
  return wrk.format("POST", nil, { ["Content-Type"] = "application/json" }, body)
end

function response(status, headers, body)
  if status == 401 then unauthorized = unauthorized + 1
  elseif status == 429 then throttled = throttled + 1
  else other = other + 1 end
end

function done(summary, latency, requests)
  local u, t, o = 0, 0, 0
  for _, th in ipairs(threads) do
    u = u + th:get("unauthorized")
    t = t + th:get("throttled")
    o = o + th:get("other")
  end
  local e = summary.errors
  io.write(string.format(
    'WRKJSON {"requests":%d,"seconds":%.3f,"unauthorized":%d,"throttled":%d,"other":%d,"socketErrors":%d,"p50":%.3f,"p99":%.3f,"max":%.3f}\n',
    summary.requests, summary.duration / 1e6, u, t, o, e.connect + e.read + e.write + e.timeout,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency.max / 1000))
end
