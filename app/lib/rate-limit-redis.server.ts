// The Redis adapter of the rate limiter port (rate-limit.ts): every web process takes from the same buckets, so a
// limit holds for the whole deployment, not per process. Used by the shopper API when REDIS_URL is set.
//
// - One bucket is one hash `<prefix><bucket name>:<key>` (default prefix "afterglow:ratelimit:") holding `tokens`
//   (a float) and `at` (ms). Each take is ONE Lua script, so concurrent takes from any number of processes are
//   serialised by Redis: N takes on a full bucket of capacity C allow exactly min(N, C).
// - Time is Redis's own clock (`TIME`), so web processes whose clocks disagree still agree on the refill.
// - The arithmetic is the in-memory RateLimiter's, step for step (same refill, same retryAfterSeconds rule), so
//   the same takes at the same instants give the same verdicts.
// - Expiry: after each take the key is PEXPIREd at the moment its bucket would be full again. A missing key IS a
//   full bucket, so dropping it then changes nothing, and idle keys cost no memory.
// - Errors (Redis down, slow, script refused) reject the take; the caller decides (the shopper API fails open).
import { createHash } from "node:crypto";
import { Redis } from "ioredis";
import { checkBucketConfig, type BucketConfig, type Limiter, type Verdict } from "~/lib/rate-limit";

export const DEFAULT_RATE_LIMIT_PREFIX = "afterglow:ratelimit:";

// KEYS[1]: the bucket. ARGV: capacity, refill per second, and (tests only) the time in ms; else Redis's TIME.
// Returns { 1 | 0 (allowed), retryAfterSeconds }.
export const TAKE_SCRIPT = `
if redis.replicate_commands then pcall(redis.replicate_commands) end
local capacity = tonumber(ARGV[1])
local rate = tonumber(ARGV[2])
local now = tonumber(ARGV[3])
if not now then
  local t = redis.call('TIME')
  now = tonumber(t[1]) * 1000 + tonumber(t[2]) / 1000
end
local held = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local heldTokens, heldAt = tonumber(held[1]), tonumber(held[2])
local tokens = capacity
if heldTokens and heldAt then
  tokens = math.min(capacity, heldTokens + math.max(0, now - heldAt) / 1000 * rate)
end
local allowed, retry = 0, 0
if tokens >= 1 then
  tokens = tokens - 1
  allowed = 1
else
  retry = math.max(1, math.ceil((1 - tokens) / rate))
end
redis.call('HSET', KEYS[1], 'tokens', tokens, 'at', now)
redis.call('PEXPIRE', KEYS[1], math.max(1, math.ceil((capacity - tokens) / rate * 1000)))
return { allowed, retry }
`;

const TAKE_SHA = createHash("sha1").update(TAKE_SCRIPT).digest("hex");

export interface RedisLimiterOptions {
  redis: Redis;
  /** The bucket's name in its keys, e.g. "shop" or "customer". */
  name: string;
  config: BucketConfig;
  /** Prepended to every key; tests use a unique one per run. Default DEFAULT_RATE_LIMIT_PREFIX. */
  prefix?: string;
  /** Tests only: a clock in ms instead of Redis's TIME (to replay a sequence against the in-memory limiter). */
  nowMs?: () => number;
}

export interface RedisLimiter extends Limiter {
  /** The Redis key of `key`'s bucket. */
  keyOf(key: string): string;
}

export function redisLimiter(options: RedisLimiterOptions): RedisLimiter {
  const { redis, name, config, prefix = DEFAULT_RATE_LIMIT_PREFIX, nowMs } = options;
  checkBucketConfig(config);
  if (!name || name.includes(":")) throw new RangeError(`a bucket name must be non-empty and free of ':' (got ${JSON.stringify(name)})`);
  const keyOf = (key: string) => `${prefix}${name}:${key}`;
  return {
    config,
    keyOf,
    async take(key) {
      // While ioredis waits to reconnect, Redis is known to be down: fail now rather than after commandTimeout.
      if (redis.status === "reconnecting" || redis.status === "end") throw new Error(`Redis connection is ${redis.status}`);
      const args = [keyOf(key), String(config.capacity), String(config.refillPerSecond), nowMs ? String(nowMs()) : ""];
      return verdictOf(await evalTake(redis, args));
    },
  };
}

async function evalTake(redis: Redis, args: string[]): Promise<unknown> {
  try {
    return await redis.evalsha(TAKE_SHA, 1, ...args);
  } catch (error) {
    // First use on this server (or after SCRIPT FLUSH): EVAL sends the script once and caches it.
    if (!(error instanceof Error) || !error.message.includes("NOSCRIPT")) throw error;
    return await redis.eval(TAKE_SCRIPT, 1, ...args);
  }
}

function verdictOf(reply: unknown): Verdict {
  if (!Array.isArray(reply) || typeof reply[0] !== "number" || typeof reply[1] !== "number") {
    throw new Error(`unexpected rate limit script reply: ${JSON.stringify(reply)}`);
  }
  return reply[0] === 1 ? { allowed: true, retryAfterSeconds: 0 } : { allowed: false, retryAfterSeconds: reply[1] };
}

/**
 * The connection for rate limits: a take never waits long. A command gets `commandTimeout` ms (waiting for a
 * (re)connection included) and one retry across a reconnect; ioredis keeps reconnecting in the background.
 * `onError` receives the connection's errors (without a listener ioredis would print every one).
 */
export function createRateLimitRedis(url: string, onError: (error: unknown) => void, commandTimeoutMs = 500): Redis {
  const redis = new Redis(url, {
    commandTimeout: commandTimeoutMs,
    connectTimeout: 2_000,
    maxRetriesPerRequest: 1,
    retryStrategy: (times) => Math.min(times * 200, 2_000),
  });
  redis.on("error", onError);
  return redis;
}
