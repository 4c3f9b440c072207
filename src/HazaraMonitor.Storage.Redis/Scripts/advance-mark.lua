-- Moves a number forward, never back (two instances may race): a series' judged mark, or when a
-- rate-limited endpoint may be called again.
-- KEYS[1] the key; ARGV[1] the new value (a number), ARGV[2] expiry (ms).
local current = tonumber(redis.call('GET', KEYS[1]) or '0')
if tonumber(ARGV[1]) > current then redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2]) end
return 0
