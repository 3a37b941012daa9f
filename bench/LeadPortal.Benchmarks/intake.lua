-- wrk script: every request a distinct lead (thread id + counter in the email), 201s counted per thread.
local threads = {}
local next_id = 0

function setup(thread)
  next_id = next_id + 1
  thread:set("tid", next_id)
  table.insert(threads, thread)
end

function init(args)
  -- A run id from the command line keeps runs apart: a body sent again would be a (correct) 200 duplicate.
  run = args[1] or "0"
  counter = 0
  created = 0
  other = 0
end

function request()
  counter = counter + 1
  local body = string.format(
    '{"UserDetails":{"FirstName":"Bench","LastName":"User %d-%d","Email":"bench.%s.%d.%d@example.com","Phone":"+46 8 555 %04d","Country":"SE","Company":"Bench AB","Title":"CTO"},"LeadSource":"AzureMarketplace-INS|bench.offer","ActionCode":"INS","OfferTitle":"Bench offer","Description":"load test"}',
    tid, counter, run, tid, counter, counter % 10000)
  return wrk.format("POST", nil, { ["Content-Type"] = "application/json" }, body)
end

function response(status, headers, body)
  if status == 201 then created = created + 1 else other = other + 1 end
end

function done(summary, latency, requests)
  local c, o = 0, 0
  for _, t in ipairs(threads) do
    c = c + t:get("created")
    o = o + t:get("other")
  end
  local e = summary.errors
  io.write(string.format(
    'WRKJSON {"requests":%d,"seconds":%.3f,"created":%d,"non201":%d,"socketErrors":%d,"p50":%.3f,"p99":%.3f,"max":%.3f}\n',
    summary.requests, summary.duration / 1e6, c, o, e.connect + e.read + e.write + e.timeout,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency.max / 1000))
end
