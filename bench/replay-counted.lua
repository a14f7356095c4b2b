-- replay.lua plus a response() callback that counts 200s and every other status (see replay.lua).
-- Used where each response must be accounted for: warm-up checks and the PutSecretValue run.
local here = debug.getinfo(1, "S").source:match("^@(.*/)") or "./"
dofile(here .. "replay.lua")
counted = true

local status_counts = {}

function response(status, headers, body)
  if status == 200 then
    ok = ok + 1
  else
    non200 = non200 + 1
  end
  status_counts[status] = (status_counts[status] or 0) + 1
  local parts = {}
  for code, n in pairs(status_counts) do parts[#parts + 1] = code .. ":" .. n end
  statuses = table.concat(parts, ",")
end

