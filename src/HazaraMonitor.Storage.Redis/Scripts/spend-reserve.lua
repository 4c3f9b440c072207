-- Reserves spending on a metered platform before a request, for every instance at once, so what
-- the requests can be billed never passes a budget: a request is charged here at its most (every
-- post it may return billed), and settled afterwards (spend-settle.lua) to what was really billed.
-- KEYS[1] the day's ledger hash, KEYS[2] the month's (fields: micro = spend in millionths of the
--         currency, reads = posts billed, requests = requests billed)
-- ARGV[1] posts wanted (0 for a request billed per request only)
-- ARGV[2] fewest posts worth a request (the platform's smallest page); fewer affordable: refused
-- ARGV[3] requests to charge
-- ARGV[4] price of one post read, micro; ARGV[5] price of one request, micro
-- ARGV[6] daily budget, micro (-1: none); ARGV[7] monthly budget, micro (-1: none)
-- ARGV[8] monthly post-read cap (-1: none)
-- ARGV[9] micro to leave unspent in the day, ARGV[10] in the month (room kept for requests that
--         come first, such as volume counts)
-- ARGV[11] day key expiry, seconds; ARGV[12] month key expiry, seconds
-- Returns the posts granted (>= ARGV[2], or 0 for a request billed per request only), or -1: refused.
local wanted = tonumber(ARGV[1])
local fewest = tonumber(ARGV[2])
local requests = tonumber(ARGV[3])
local readPrice = tonumber(ARGV[4])
local requestPrice = tonumber(ARGV[5])
local dailyBudget = tonumber(ARGV[6])
local monthlyBudget = tonumber(ARGV[7])
local readCap = tonumber(ARGV[8])

local function spent(key) return tonumber(redis.call('HGET', key, 'micro') or '0') end

-- What the tightest limit leaves, in micro.
local room = math.huge
if dailyBudget >= 0 then room = math.min(room, dailyBudget - tonumber(ARGV[9]) - spent(KEYS[1])) end
if monthlyBudget >= 0 then room = math.min(room, monthlyBudget - tonumber(ARGV[10]) - spent(KEYS[2])) end
room = room - requests * requestPrice
if room < 0 then return -1 end

local granted = wanted
if readPrice > 0 and room ~= math.huge then granted = math.min(granted, math.floor(room / readPrice)) end
if readCap >= 0 then
  granted = math.min(granted, readCap - tonumber(redis.call('HGET', KEYS[2], 'reads') or '0'))
end
if wanted > 0 and granted < fewest then return -1 end
if granted < 0 then granted = 0 end

local charge = granted * readPrice + requests * requestPrice
for i, key in ipairs(KEYS) do
  redis.call('HINCRBY', key, 'micro', charge)
  redis.call('HINCRBY', key, 'reads', granted)
  redis.call('HINCRBY', key, 'requests', requests)
end
redis.call('EXPIRE', KEYS[1], ARGV[11])
redis.call('EXPIRE', KEYS[2], ARGV[12])
return granted
