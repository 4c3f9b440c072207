-- Stores a platform-reported count unless the stored one is larger (sources that each see part of
-- the platform, such as Mastodon instances, whose best figure is the largest).
-- KEYS[1] bucket hash; ARGV[1] field, ARGV[2] count.
local current = tonumber(redis.call('HGET', KEYS[1], ARGV[1]) or '-1')
if tonumber(ARGV[2]) > current then redis.call('HSET', KEYS[1], ARGV[1], ARGV[2]) end
return 0
