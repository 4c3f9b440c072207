-- Reserves one request of a platform's daily quota, and up to a page of records, for every
-- instance at once, so that together they stop before the platform's daily limits (TikTok's
-- Research API: 1,000 requests and 100,000 records a UTC day). The records are settled afterwards
-- (HINCRBY by the caller) to what the page returned; a request is never given back.
-- KEYS[1] the day's quota hash (fields: requests, records; exhausted = 1 once the platform itself
--         said the day's quota is spent)
-- ARGV[1] records wanted (a full page); ARGV[2] the daily request limit; ARGV[3] the daily record
-- limit; ARGV[4] key expiry, seconds
-- Returns the records granted (1..ARGV[1]), or -1: the requests are spent, -2: the records are
-- spent, -3: the platform said the quota is spent.
if redis.call('HGET', KEYS[1], 'exhausted') == '1' then return -3 end
local requests = tonumber(redis.call('HGET', KEYS[1], 'requests') or '0')
if requests >= tonumber(ARGV[2]) then return -1 end
local records = tonumber(redis.call('HGET', KEYS[1], 'records') or '0')
local granted = math.min(tonumber(ARGV[1]), tonumber(ARGV[3]) - records)
if granted < 1 then return -2 end
redis.call('HINCRBY', KEYS[1], 'requests', 1)
redis.call('HINCRBY', KEYS[1], 'records', granted)
redis.call('EXPIRE', KEYS[1], ARGV[4])
return granted
