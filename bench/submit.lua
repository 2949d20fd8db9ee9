-- wrk script: POST a new citizen report per request, each with a unique
-- client token (so every request should create exactly one row).
-- Args: csrf token (form), path.
local counter = 0
local thread_counter = 0

function setup(thread)
  thread_counter = thread_counter + 1
  thread:set("tid", thread_counter)
end

function init(args)
  csrf = args[1]
  path = args[2]
  mode = args[3]
  run = args[4] or "0"
end

request = function()
  counter = counter + 1
  local token = string.format("b%s%03d%012d", run, tid, counter)
  local body
  if mode == "baseline" then
    body = "csrfmiddlewaretoken=" .. csrf
  else
    body = "csrfmiddlewaretoken=" .. csrf .. "&client_token=" .. token ..
      "&category=fake_agent&district=PK620&tehsil=PK62003&place=near+the+bus+stand" ..
      "&when=last+month&description=An+agent+took+three+million+rupees+for+a+visa+and+vanished" ..
      "&involved=&child_involved=no&contact="
  end
  return wrk.format("POST", path, nil, body)
end

done = function(summary, latency, requests)
  io.write(string.format("RESULT requests=%d errors_status=%d p50_ms=%.1f p99_ms=%.1f duration_s=%.2f\n",
    summary.requests, summary.errors.status, latency:percentile(50) / 1000,
    latency:percentile(99) / 1000, summary.duration / 1e6))
end
