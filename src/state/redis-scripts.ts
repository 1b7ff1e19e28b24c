// Lua run by Redis, so each read-decide-write is atomic across the fleet. Keys and channel are
// passed in (KEYS/ARGV), never spliced into the text.

/**
 * A failure of a closed breaker. KEYS: failure count, circuit hash. ARGV: failMax, openForMs,
 * now (wall ms), count ttl ms, channel, breaker name. At failMax: opens the circuit (the longer
 * period wins), clears the count, publishes to every instance (from ''), returns the open-until;
 * else 0.
 */
export const ADD_FAILURE = `
local n = redis.call('INCR', KEYS[1])
redis.call('PEXPIRE', KEYS[1], ARGV[4])
if n < tonumber(ARGV[1]) then return 0 end
redis.call('DEL', KEYS[1])
local untilMs = tonumber(ARGV[3]) + tonumber(ARGV[2])
local current = tonumber(redis.call('HGET', KEYS[2], 'until') or '0')
if current > untilMs then untilMs = current end
redis.call('HSET', KEYS[2], 'until', untilMs)
redis.call('PEXPIRE', KEYS[2], tonumber(ARGV[2]) + 600000)
redis.call('PUBLISH', ARGV[5], cjson.encode({k = 'c', n = ARGV[6], u = untilMs, f = ''}))
return untilMs
`;

/**
 * A breaker opened (ARGV[1] = open-until wall ms, > 0) or closed (ARGV[1] = 0). KEYS: failure
 * count, circuit hash. ARGV: until, ttl ms of the open record, channel, name, sender id.
 */
export const PUBLISH_CIRCUIT = `
redis.call('DEL', KEYS[1])
local untilMs = tonumber(ARGV[1])
if untilMs > 0 then
  local current = tonumber(redis.call('HGET', KEYS[2], 'until') or '0')
  if current > untilMs then untilMs = current end
  redis.call('HSET', KEYS[2], 'until', untilMs)
  redis.call('PEXPIRE', KEYS[2], ARGV[2])
else
  redis.call('DEL', KEYS[2])
end
redis.call('PUBLISH', ARGV[3], cjson.encode({k = 'c', n = ARGV[4], u = untilMs, f = ARGV[5]}))
return untilMs
`;

/**
 * A lock with expiry that its holder may renew. KEYS: lock. ARGV: holder token, ttl ms.
 * 1 when the caller holds it now, 0 when another does.
 */
export const CLAIM = `
local holder = redis.call('GET', KEYS[1])
if holder == ARGV[1] then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  return 1
end
if holder then return 0 end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
return 1
`;

/** Frees a lock held by the caller only. KEYS: lock. ARGV: holder token. */
export const RELEASE = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
`;
