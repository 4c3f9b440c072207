-- A platform's quota of distinct things per rolling window (Instagram's 30 hashtags per 7 days per
-- account, Threads' 2,200 keyword searches per 24 hours per user), shared by every instance. Each
-- member is held from its first use for one window; using it again inside that window is free and
-- does not move its time (Instagram's rule), and a new member is taken only while fewer than the
-- limit are held. Members are taken in the order given, so the first listed are served first.
-- KEYS[1] sorted set: member -> Unix ms of its first use in its current window
-- ARGV[1] now (Unix ms), ARGV[2] window (ms), ARGV[3] limit, ARGV[4..] the members, in priority order
-- Returns { per member: 2 newly taken, 1 already held, 0 refused (the limit is held by others);
--           then the number held after the call; then the oldest holding's time (Unix ms), or -1 }.
local key = KEYS[1]
local t = redis.call('TYPE', key)['ok']
if t ~= 'none' and t ~= 'zset' then
  return redis.error_reply('WRONGTYPE hazaramonitor: ' .. key .. ' is a ' .. t .. ', expected a zset')
end

local now = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
local limit = tonumber(ARGV[3])
redis.call('ZREMRANGEBYSCORE', key, '-inf', now - window)
local held = redis.call('ZCARD', key)
local result = {}
for i = 4, #ARGV do
  local member = ARGV[i]
  if redis.call('ZSCORE', key, member) then
    result[#result + 1] = 1
  elseif held < limit then
    redis.call('ZADD', key, now, member)
    held = held + 1
    result[#result + 1] = 2
  else
    result[#result + 1] = 0
  end
end

result[#result + 1] = held
local oldest = redis.call('ZRANGE', key, 0, 0, 'WITHSCORES')
result[#result + 1] = oldest[2] and tonumber(oldest[2]) or -1
if held > 0 then
  -- Kept one window past its newest member: nothing in it matters after that.
  redis.call('PEXPIRE', key, window)
end
return result
