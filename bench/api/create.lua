-- wrk script: POST a uniquely named ConfigMap per request.
local next_thread = 0
function setup(thread)
  thread:set("thread_id", next_thread)
  next_thread = next_thread + 1
end

local counter = 0
request = function()
  counter = counter + 1
  local body = string.format(
    '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"c-%d-%d"},"data":{"key":"value"}}',
    thread_id, counter)
  return wrk.format("POST", nil, nil, body)
end
