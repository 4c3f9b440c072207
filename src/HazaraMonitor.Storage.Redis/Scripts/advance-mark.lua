-- Moves a series' judged mark forward, never back (two instances may race).
-- KEYS[1] mark; ARGV[1] minute (unix seconds), ARGV[2] expiry (ms).
local current = tonumber(redis.call('GET', KEYS[1]) or '0')
if tonumber(ARGV[1]) > current then redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2]) end
return 0
