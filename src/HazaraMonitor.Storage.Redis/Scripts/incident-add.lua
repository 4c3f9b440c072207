-- Adds an incident posted through the API, unless the campaign already holds the most it may.
-- KEYS[1] the campaign's incidents (hash: id -> JSON)
-- ARGV[1] incident id, ARGV[2] the incident as JSON, ARGV[3] the most the hash may hold
-- Returns 1 when added, 0 when the hash is full (nothing written).
if redis.call('HLEN', KEYS[1]) >= tonumber(ARGV[3]) then return 0 end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
return 1
