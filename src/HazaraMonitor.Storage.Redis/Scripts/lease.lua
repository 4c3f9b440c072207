-- Takes or keeps a lease: one owner at a time for what must not run twice (the Jetstream
-- consumer, live detection). A new owner gets a fencing token larger than every earlier owner's,
-- so what it commits can refuse a stale owner that wakes up still believing it holds the lease.
-- KEYS[1] the lease (hash: owner, token; expires after ARGV[2] ms), KEYS[2] the token counter
-- ARGV[1] the owner asking, ARGV[2] time to live (ms)
-- Returns the owner's token, or -1 when another owner holds the lease.
local owner = redis.call('HGET', KEYS[1], 'owner')
if owner and owner ~= ARGV[1] then return -1 end
local token
if owner then
  token = tonumber(redis.call('HGET', KEYS[1], 'token'))
else
  token = redis.call('INCR', KEYS[2])
  redis.call('HSET', KEYS[1], 'owner', ARGV[1], 'token', token)
end
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return token
