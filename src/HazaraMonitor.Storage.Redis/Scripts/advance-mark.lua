-- Moves numbers forward, never back (two instances may race): series' judged marks, or when a
-- rate-limited endpoint may be called again.
-- KEYS[1..n] the keys; ARGV[1..n] their new values (numbers), ARGV[n+1] expiry (ms).
local expiry = ARGV[#KEYS + 1]
for i, key in ipairs(KEYS) do
  local current = tonumber(redis.call('GET', key) or '0')
  if tonumber(ARGV[i]) > current then redis.call('SET', key, ARGV[i], 'PX', expiry) end
end
return 0
