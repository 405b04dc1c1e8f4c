-- wrk script of the load test: sends every (edit kind × editor address)
-- combination in turn and checks every response against expect.lua (path
-- given as the script argument): status 200, the spam hits, link count and
-- normalized length of the edit's kind, and a reputation answer equal to
-- database A's or B's for that address. Prints one RESULT line.

local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  expect = dofile(args[1])
  requests = {}
  for kind, edit in pairs(expect.edits) do
    for ip, _ in pairs(expect.ips) do
      table.insert(requests, wrk.format("POST", "/edit-check.php",
        { ["X-Forwarded-For"] = ip, ["X-Edit-Kind"] = kind,
          ["Content-Type"] = "application/octet-stream" }, edit.body))
    end
  end
  next_request = 0
  non200, mismatches, answered_a, answered_b, refusals, max_reloads = 0, 0, 0, 0, 0, 0
  first_mismatch = ""
end

function request()
  next_request = next_request % #requests + 1
  return requests[next_request]
end

local function mismatch(why, body)
  mismatches = mismatches + 1
  if first_mismatch == "" then first_mismatch = why .. ": " .. body end
end

function response(status, headers, body)
  if status ~= 200 then
    non200 = non200 + 1
    if first_mismatch == "" then first_mismatch = "status " .. status .. ": " .. body:sub(1, 300) end
    return
  end
  local ip, kind, rep, hits, links, norm, reloads, refused = body:match(
    "^ip=(%S+) kind=(%S+) rep=(%S+) hits=(%d+) links=(%d+) norm=(%d+) reloads=(%d+) refusals=(%d+)")
  local edit = kind and expect.edits[kind]
  local want = ip and expect.ips[ip]
  if not (edit and want) then return mismatch("unparsable", body:sub(1, 300)) end
  if tonumber(hits) ~= edit.hits or tonumber(links) ~= edit.links or tonumber(norm) ~= edit.norm then
    return mismatch("edit check differs from the baseline", body)
  end
  if rep == want.a then answered_a = answered_a + 1 end
  if rep == want.b then answered_b = answered_b + 1 end
  if rep ~= want.a and rep ~= want.b then
    return mismatch("reputation answer is neither A's (" .. want.a .. ") nor B's (" .. want.b .. ")", body)
  end
  refusals = math.max(refusals, tonumber(refused))
  max_reloads = math.max(max_reloads, tonumber(reloads))
end

function done(summary, latency, requests)
  local total = { non200 = 0, mismatches = 0, answered_a = 0, answered_b = 0, refusals = 0, max_reloads = 0 }
  local first = ""
  for _, t in ipairs(threads) do
    total.non200 = total.non200 + t:get("non200")
    total.mismatches = total.mismatches + t:get("mismatches")
    total.answered_a = total.answered_a + t:get("answered_a")
    total.answered_b = total.answered_b + t:get("answered_b")
    total.refusals = math.max(total.refusals, t:get("refusals"))
    total.max_reloads = math.max(total.max_reloads, t:get("max_reloads"))
    if first == "" then first = t:get("first_mismatch") end
  end
  local errors = summary.errors
  io.write(string.format(
    "RESULT requests=%d seconds=%.1f rps=%.1f p50_ms=%.2f p90_ms=%.2f p99_ms=%.2f max_ms=%.2f " ..
    "non200=%d mismatches=%d socket_errors=%d timeouts=%d a_answers=%d b_answers=%d max_reloads=%d refusals=%d\n",
    summary.requests, summary.duration / 1e6, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000, latency.max / 1000,
    total.non200, total.mismatches, errors.connect + errors.read + errors.write, errors.timeout,
    total.answered_a, total.answered_b, total.max_reloads, total.refusals))
  if first ~= "" then io.write("FIRST_PROBLEM " .. first .. "\n") end
end
