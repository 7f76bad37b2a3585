-- One call of a page's rate class, by GCRA (the generic cell rate
-- algorithm): calls are spaced `interval` microseconds apart on Redis's
-- own clock, so the workers' clocks never matter.
--
-- KEYS[1]  the theoretical arrival time (TAT) of the next call, in
--          microseconds since the epoch; absent means "now".
-- ARGV[1]  interval: the window over the budgeted calls per window, in us.
-- ARGV[2]  max_wait: how far ahead a slot may be reserved, in us (0: only
--          a slot that is free now).
-- Returns {1, wait}: granted, the call may be made in `wait` us (the slot
-- is reserved); or {0, retry_after}: refused, nothing changed.
local interval = tonumber(ARGV[1])
local max_wait = tonumber(ARGV[2])
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000000 + tonumber(time[2])
local tat = tonumber(redis.call('GET', KEYS[1]) or now) or now
if tat < now then
  tat = now
end
local wait = tat - now
if wait > max_wait then
  return {0, wait - max_wait}
end
local next_tat = tat + interval
-- '%.0f': a double that large would otherwise be written as 1.7e+15.
redis.call('SET', KEYS[1], string.format('%.0f', next_tat),
  'PX', math.ceil((next_tat - now) / 1000) + 1000)
return {1, wait}
