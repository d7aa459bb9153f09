-- wrk script: every request registers a new dispute (api.md's example application).
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = [[{"applicants":[{"name":"张三","id_number":"11010519491231002X","phone":"13800138000","address":"中山市石岐区民生路1号"}],
"respondents":[{"name":"中山市某某电器有限公司","credit_code":"91350100M000100Y43","legal_representative":"李四","address":"中山市火炬开发区"}],
"claims":[{"kind":"unpaid_wages","amount":"8600.00","description":"2026年8—9月工资"}],
"employment":{"start":"2024-03-01","end":"2026-09-30","monthly_wage":"4300.00"},
"facts":"被申请人拖欠申请人2026年8月至9月工资共8600元。","consents":{"simplified":true,"informal_service":true}}]]

local threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args) failed = 0 end
function response(status, headers, body) if status ~= 201 then failed = failed + 1 end end
function done(summary, latency, requests)
  local bad = 0
  for _, t in ipairs(threads) do bad = bad + t:get("failed") end
  io.write(string.format("RESULT requests=%d seconds=%.1f rps=%.0f p50_ms=%.2f p99_ms=%.2f non_201=%d\n",
    summary.requests, summary.duration / 1e6, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, bad))
end
