-- One atomic ingest step for one batch of one campaign (all keys share the {campaign} hash tag).
-- The argument layout is written by RedisIngestCommand.cs; read both together. It is compact on
-- purpose: the cost of a commit is dominated by the number of ARGV strings, not by the commands.
--
-- KEYS[1]                       cursor key
-- KEYS[2 .. 1+nSeen]            dedupe sets, one per minute of the posts
-- next nBucket keys             bucket hashes
-- next nHll keys                unique-author HyperLogLogs
-- next nTop keys                top posts: per bucket a ranking (sorted set) then its details (hash)
-- next nCo keys                 co-hashtag counts (hashes)
--
-- ARGV: setCursor ('0' keep it, '1' set it, 'f{token}' set it under a lease whose fencing token is
--   {token}: refused with a FENCED error, before anything is written, when the stored cursor was
--   written under a larger token, i.e. by a newer owner), cursor value, nSeen, nBucket, nHll, nShape, nAuthorGroups,
--   nTop, nCo, nTopGroups, nCoPosts, topKeep (posts kept per ranking), coCap (co-hashtags per bucket), then
--   per key after the cursor, in KEYS order: expireAt (unix seconds)
--   per shape:       3 bucket indexes (minute, hour, day; 1..nBucket), m, then m field names
--   per seen key:    number of shapes s, then s times: shape index (1..nShape), n, n post ids
--   per author group: number of hll indexes h, h hll indexes (1..nHll), n, n author ids
--   per top group:   ranking index r (1..nTop; its details are r + 1), n, n times: engagement, member, details JSON
--   per co post:     the post's position in the flags, hour and day hash indexes (1..nCo), n, n hashtags
-- Returns: { new posts, duplicates, flags }
--   where flags has one character per post id, in ARGV order: '1' new, '0' already counted.

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
local nGroups = tonumber(arg())
local nTop = tonumber(arg())
local nCo = tonumber(arg())
local nTopGroups = tonumber(arg())
local nCoPosts = tonumber(arg())
local topKeep = tonumber(arg())
local coCap = tonumber(arg())
local bucketBase = 1 + nSeen
local hllBase = bucketBase + nBucket
local topBase = hllBase + nHll
local coBase = topBase + nTop

-- Redis does not roll a script back when a command fails half-way, so every key is checked
-- before the first write: a key of the wrong type (a corrupted or foreign key) fails the whole
-- step with nothing written, instead of marking posts seen without counting them. The same
-- check tells which keys are new: only those need their expiry (it is fixed at creation from
-- the bucket's end, so setting it again would change nothing).
local isNew = {}
local checks = { { 1, 1, 'string' }, { 2, 1 + nSeen, 'set' }, { bucketBase + 1, hllBase, 'hash' }, { hllBase + 1, topBase, 'string' }, { coBase + 1, #KEYS, 'hash' } }
for k = topBase + 1, coBase, 2 do
  checks[#checks + 1] = { k, k, 'zset' }
  checks[#checks + 1] = { k + 1, k + 1, 'hash' }
end
for _, c in ipairs(checks) do
  for k = c[1], c[2] do
    local t = redis.call('TYPE', KEYS[k])['ok']
    if t == 'none' then
      isNew[k] = true
    elseif t ~= c[3] then
      return redis.error_reply('WRONGTYPE hazaramonitor: ' .. KEYS[k] .. ' is a ' .. t .. ', expected a ' .. c[3])
    end
  end
end

-- A stale owner (its lease taken over) must not move the new owner's cursor.
local fence = string.match(setCursor, '^f(%d+)$')
if fence then
  local stored = redis.call('GET', KEYS[1])
  local storedFence = stored and string.match(stored, '^f(%d+):')
  if storedFence and tonumber(storedFence) > tonumber(fence) then
    return redis.error_reply('FENCED hazaramonitor: ' .. KEYS[1] .. ' was written under lease token ' .. storedFence .. ', this writer holds ' .. fence)
  end
  cursor = 'f' .. fence .. ':' .. cursor
end

-- Expiry of every key but the cursor, indexed like KEYS.
local expireAt = {}
for k = 2, #KEYS do
  expireAt[k] = arg()
end

local shapeBuckets, shapeFields = {}, {}
for s = 1, nShape do
  shapeBuckets[s] = { tonumber(arg()), tonumber(arg()), tonumber(arg()) }
  local m = tonumber(arg())
  local fields = {}
  for j = 1, m do
    fields[j] = arg()
  end
  shapeFields[s] = fields
end

-- unpack() is limited by the Lua C stack (LUAI_MAXCSTACK = 8000), so long lists go in chunks.
local CHUNK = 4000

local newPerShape = {}
for s = 1, nShape do
  newPerShape[s] = 0
end
local newTotal, dupTotal = 0, 0
local flags = {}

for k = 1, nSeen do
  local key = KEYS[1 + k]
  local ids, shapes = {}, {}
  local shapesInKey = tonumber(arg())
  for _ = 1, shapesInKey do
    local s = tonumber(arg())
    local n = tonumber(arg())
    for _ = 1, n do
      ids[#ids + 1] = arg()
      shapes[#shapes + 1] = s
    end
  end
  local lo, n = 1, #ids
  while lo <= n do
    local hi = math.min(lo + CHUNK - 1, n)
    local present = redis.call('SMISMEMBER', key, unpack(ids, lo, hi))
    local fresh = {}
    for i = lo, hi do
      if present[i - lo + 1] == 0 then
        fresh[#fresh + 1] = ids[i]
        newPerShape[shapes[i]] = newPerShape[shapes[i]] + 1
        flags[#flags + 1] = '1'
      else
        dupTotal = dupTotal + 1
        flags[#flags + 1] = '0'
      end
    end
    if #fresh > 0 then
      redis.call('SADD', key, unpack(fresh))
      newTotal = newTotal + #fresh
    end
    lo = hi + 1
  end
  if isNew[1 + k] then
    redis.call('EXPIREAT', key, expireAt[1 + k])
  end
end

-- Sum the shapes' increments per (bucket, field) so each distinct field gets one HINCRBY.
local sums = {}
for s = 1, nShape do
  local c = newPerShape[s]
  if c > 0 then
    for _, b in ipairs(shapeBuckets[s]) do
      local perKey = sums[b]
      if perKey == nil then
        perKey = {}
        sums[b] = perKey
      end
      for _, field in ipairs(shapeFields[s]) do
        perKey[field] = (perKey[field] or 0) + c
      end
    end
  end
end
for b, fields in pairs(sums) do
  local key = KEYS[bucketBase + b]
  for field, c in pairs(fields) do
    redis.call('HINCRBY', key, field, c)
  end
  if isNew[bucketBase + b] then
    redis.call('EXPIREAT', key, expireAt[bucketBase + b])
  end
end

for _ = 1, nGroups do
  local h = tonumber(arg())
  local targets = {}
  for j = 1, h do
    targets[j] = hllBase + tonumber(arg())
  end
  local n = tonumber(arg())
  local members = {}
  for i = 1, n do
    members[i] = arg()
  end
  for _, k in ipairs(targets) do
    local lo = 1
    while lo <= n do
      local hi = math.min(lo + CHUNK - 1, n)
      redis.call('PFADD', KEYS[k], unpack(members, lo, hi))
      lo = hi + 1
    end
    if isNew[k] then
      redis.call('EXPIREAT', KEYS[k], expireAt[k])
      isNew[k] = nil
    end
  end
end

-- Top posts: a post read again lifts its score to its newest engagement (GT: never lowers it),
-- and only the topKeep best of each bucket are kept, with their details.
for _ = 1, nTopGroups do
  local r = topBase + tonumber(arg())
  local n = tonumber(arg())
  for _ = 1, n do
    local score, member, details = arg(), arg(), arg()
    redis.call('ZADD', KEYS[r], 'GT', score, member)
    redis.call('HSET', KEYS[r + 1], member, details)
  end
  local extra = redis.call('ZCARD', KEYS[r]) - topKeep
  if extra > 0 then
    local dropped = redis.call('ZRANGE', KEYS[r], 0, extra - 1)
    redis.call('ZREMRANGEBYRANK', KEYS[r], 0, extra - 1)
    redis.call('HDEL', KEYS[r + 1], unpack(dropped))
  end
  for k = r, r + 1 do
    if isNew[k] then
      redis.call('EXPIREAT', KEYS[k], expireAt[k])
      isNew[k] = nil
    end
  end
end

-- Co-hashtags of new posts only (a post read again adds nothing); a bucket names at most coCap
-- of them, later ones count under '*' (other).
for _ = 1, nCoPosts do
  local position = tonumber(arg())
  local targets = { coBase + tonumber(arg()), coBase + tonumber(arg()) }
  local n = tonumber(arg())
  local tags = {}
  for i = 1, n do
    tags[i] = arg()
  end
  if flags[position] == '1' then
    for _, k in ipairs(targets) do
      for _, tag in ipairs(tags) do
        if redis.call('HEXISTS', KEYS[k], tag) == 1 or redis.call('HLEN', KEYS[k]) < coCap then
          redis.call('HINCRBY', KEYS[k], tag, 1)
        else
          redis.call('HINCRBY', KEYS[k], '*', 1)
        end
      end
      if isNew[k] then
        redis.call('EXPIREAT', KEYS[k], expireAt[k])
        isNew[k] = nil
      end
    end
  end
end

if setCursor ~= '0' then
  redis.call('SET', KEYS[1], cursor)
end

return { newTotal, dupTotal, table.concat(flags) }
