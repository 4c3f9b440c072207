-- Settles a reservation (spend-reserve.lua) to what the platform bills: each post read is billed
-- once per UTC day, however often it is read, so only posts not yet read today are kept and the
-- rest of the reservation is refunded. A reservation never settled (the request failed, or the
-- instance died) stays charged: the ledger errs towards spending less, never more.
-- KEYS[1] the day's ledger hash, KEYS[2] the month's, KEYS[3] the set of post ids read today
-- ARGV[1] posts reserved, ARGV[2] price of one post read (micro), ARGV[3] day set expiry (seconds)
-- ARGV[4..] the ids of the posts the request returned
-- Returns the posts billed for the first time today.
local reserved = tonumber(ARGV[1])
local price = tonumber(ARGV[2])
local new = 0
for i = 4, #ARGV do
  new = new + redis.call('SADD', KEYS[3], ARGV[i])
end
if #ARGV >= 4 then redis.call('EXPIRE', KEYS[3], ARGV[3]) end
-- A page longer than its reservation is billed in full all the same. (new - reserved, not
-- -(reserved - new): Lua writes a negative zero as "-0", which HINCRBY refuses.)
local change = new - reserved
for i = 1, 2 do
  redis.call('HINCRBY', KEYS[i], 'micro', change * price)
  redis.call('HINCRBY', KEYS[i], 'reads', change)
end
return new
