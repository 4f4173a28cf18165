-- wrk script: filtered partnership queries, rotating through country pairs, domains, types and
-- years; prints p50/p95/p99 latency and requests per second.
local pairs_ = {"RU,CN", "US,CN", "RU,IN", "CN,DE", "IL,US", "KR,JP", "TR,RU", "AE,CN"}
local domains = {"", "ai", "telecom", "space", "quantum", "nuclear", "biotech"}
local types = {"", "rd_center", "joint_lab", "investment", "agreement"}
local i = 0
request = function()
  i = i + 1
  local path = "/api/v1/partnerships?pair=" .. pairs_[(i % #pairs_) + 1]
  local d = domains[(i % #domains) + 1]
  if d ~= "" then path = path .. "&domain=" .. d end
  local t = types[(i % #types) + 1]
  if t ~= "" then path = path .. "&type=" .. t end
  if i % 3 == 0 then path = path .. "&since=2010&until=2020" end
  return wrk.format("GET", path)
end
-- each wrk thread says what its first answer other than 200 was (done() cannot see it)
local told = false
response = function(status, headers, body)
  if status ~= 200 and not told then
    told = true
    io.write("non-200 answer: " .. status .. " " .. string.sub(body or "", 1, 200) .. "\n")
  end
end
done = function(summary, latency, requests)
  io.write(string.format("requests %d, errors %d, %.0f req/s, p50 %.1f ms, p95 %.1f ms, p99 %.1f ms\n",
    summary.requests, summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.timeout,
    summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000))
end
