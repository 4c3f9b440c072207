-- One atomic ingest step for one batch of one campaign (all keys share the {campaign} hash tag).
-- The argument layout is written by RedisIngestCommand.cs; read both together.
--
-- KEYS[1]                       cursor key
-- KEYS[2 .. 1+nSeen]            dedupe sets, one per UTC day of the posts
-- next nBucket keys             bucket hashes
-- next nHll keys                unique-author HyperLogLogs
--
-- ARGV: setCursor ('1'/'0'), cursor value, nSeen, nBucket, nHll, nShape, then
--   per bucket key:  expireAt (unix seconds)
--   per shape:       m, then m pairs (bucket key index 1..nBucket, field)
--   per seen key:    expireAt, n, then n pairs (post id, shape index 1..nShape)
--   per hll key:     expireAt, n, then n author ids
-- Returns: { new posts, duplicates, new posts of shape 1, ..., new posts of shape nShape }

local a = 1
local function arg()
  local v = ARGV[a]
  a = a + 1
  return v
end

local setCursor = arg()
local cursor = arg()
local nSeen = tonumber(arg())
local nBucket = tonumber(arg())
local nHll = tonumber(arg())
local nShape = tonumber(arg())
local bucketBase = 1 + nSeen
local hllBase = bucketBase + nBucket

-- Redis does not roll a script back when a command fails half-way, so every key is checked
-- before the first write: a key of the wrong type (a corrupted or foreign key) fails the whole
-- step with nothing written, instead of marking posts seen without counting them.
local function expect(key, wanted)
  local t = redis.call('TYPE', key)['ok']
  if t ~= 'none' and t ~= wanted then
    return redis.error_reply('WRONGTYPE hazaramonitor: ' .. key .. ' is a ' .. t .. ', expected a ' .. wanted)
  end
  return nil
end
local checks = { { 1, 1, 'string' }, { 2, 1 + nSeen, 'set' }, { bucketBase + 1, hllBase, 'hash' }, { hllBase + 1, #KEYS, 'string' } }
for _, c in ipairs(checks) do
  for k = c[1], c[2] do
    local err = expect(KEYS[k], c[3])
    if err then
      return err
    end
  end
end

local bucketExpire = {}
for b = 1, nBucket do
  bucketExpire[b] = arg()
end

local shapeFields = {}
for s = 1, nShape do
  local m = tonumber(arg())
  local list = {}
  for j = 1, m do
    list[j] = { tonumber(arg()), arg() }
  end
  shapeFields[s] = list
end

-- unpack() is limited by the Lua C stack (LUAI_MAXCSTACK = 8000), so long lists go in chunks.
local CHUNK = 4000

local newPerShape = {}
for s = 1, nShape do
  newPerShape[s] = 0
end
local newTotal, dupTotal = 0, 0

for k = 1, nSeen do
  local key = KEYS[1 + k]
  local expireAt = arg()
  local n = tonumber(arg())
  local ids, shapes = {}, {}
  for i = 1, n do
    ids[i] = arg()
    shapes[i] = tonumber(arg())
  end
  local lo = 1
  while lo <= n do
    local hi = math.min(lo + CHUNK - 1, n)
    local present = redis.call('SMISMEMBER', key, unpack(ids, lo, hi))
    local fresh = {}
    for i = lo, hi do
      if present[i - lo + 1] == 0 then
        fresh[#fresh + 1] = ids[i]
        newPerShape[shapes[i]] = newPerShape[shapes[i]] + 1
      else
        dupTotal = dupTotal + 1
      end
    end
    if #fresh > 0 then
      redis.call('SADD', key, unpack(fresh))
      newTotal = newTotal + #fresh
    end
    lo = hi + 1
  end
  redis.call('EXPIREAT', key, expireAt)
end

-- Sum the shapes' increments per (bucket, field) so each distinct field gets one HINCRBY.
local sums = {}
for s = 1, nShape do
  local c = newPerShape[s]
  if c > 0 then
    for _, p in ipairs(shapeFields[s]) do
      local perKey = sums[p[1]]
      if perKey == nil then
        perKey = {}
        sums[p[1]] = perKey
      end
      perKey[p[2]] = (perKey[p[2]] or 0) + c
    end
  end
end
for b, fields in pairs(sums) do
  local key = KEYS[bucketBase + b]
  for field, c in pairs(fields) do
    redis.call('HINCRBY', key, field, c)
  end
  redis.call('EXPIREAT', key, bucketExpire[b])
end

for h = 1, nHll do
  local key = KEYS[hllBase + h]
  local expireAt = arg()
  local n = tonumber(arg())
  local members = {}
  for i = 1, n do
    members[i] = arg()
  end
  local lo = 1
  while lo <= n do
    local hi = math.min(lo + CHUNK - 1, n)
    redis.call('PFADD', key, unpack(members, lo, hi))
    lo = hi + 1
  end
  redis.call('EXPIREAT', key, expireAt)
end

if setCursor == '1' then
  redis.call('SET', KEYS[1], cursor)
end

local result = { newTotal, dupTotal }
for s = 1, nShape do
  result[2 + s] = newPerShape[s]
end
return result
