-- Appeal submission: every request posts the "check your answers" page of a
-- different draft, so each one files a new appeal. The drafts and the cookie come
-- from the file named by the BENCH_DRAFTS environment variable (one path per line,
-- the first line is the Cookie header, the second the CSRF token).
dofile(os.getenv("BENCH_REPORT_LUA"))

local paths, cookie, token = {}, nil, nil
local counter = 0
local thread_count = tonumber(os.getenv("BENCH_THREADS") or "2")
local previous_setup = setup
local thread_number = 0

function setup(thread)
  thread:set("number", thread_number)
  thread_number = thread_number + 1
  previous_setup(thread)
end

local previous_init = init
function init(args)
  previous_init(args)
  local file = assert(io.open(os.getenv("BENCH_DRAFTS")))
  cookie = file:read("*l")
  token = file:read("*l")
  for line in file:lines() do table.insert(paths, line) end
  file:close()
  counter = number
end

function request()
  local path = paths[(counter % #paths) + 1]
  counter = counter + thread_count
  return wrk.format("POST", path, {
    ["Cookie"] = cookie,
    ["Content-Type"] = "application/x-www-form-urlencoded",
    ["Referer"] = "http://127.0.0.1" .. path,
  }, "csrfmiddlewaretoken=" .. token .. "&good_faith=on")
end
