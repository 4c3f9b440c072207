-- Raises an alert, all or nothing: the alert id not raised before (a judgement repeated after a
-- crash and a long downtime raises nothing), the series and direction claimed (SET NX with the
-- cooldown as expiry), the alert added to the campaign's log (newest 1,000) and to its pending alerts.
-- KEYS[1] claim, KEYS[2] alert log (sorted set), KEYS[3] pending alerts (hash), KEYS[4] raised mark
-- ARGV[1] alert id, ARGV[2] cooldown (ms), ARGV[3] the alert's minute (unix seconds), ARGV[4] the
-- alert as JSON, ARGV[5] how long the log and the pending set are kept (ms), ARGV[6] how long the
-- raised mark is kept (ms)
-- Returns 1 when raised, 0 when the id was raised before or the claim was taken (nothing written).
if redis.call('EXISTS', KEYS[4]) == 1 then return 0 end
if not redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then return 0 end
redis.call('SET', KEYS[4], '1', 'PX', ARGV[6])
redis.call('ZADD', KEYS[2], ARGV[3], ARGV[4])
redis.call('ZREMRANGEBYRANK', KEYS[2], 0, -1001)
redis.call('PEXPIRE', KEYS[2], ARGV[5])
redis.call('HSET', KEYS[3], ARGV[1], ARGV[4])
redis.call('PEXPIRE', KEYS[3], ARGV[5])
return 1
