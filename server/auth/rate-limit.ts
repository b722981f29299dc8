import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, RLWrapperTimeouts } from "rate-limiter-flexible";
import { redis } from "../redis.ts";
import { config } from "../config.ts";
import { AppError } from "../errors.ts";

// Login throttling on Redis, shared by every web process:
//   per IP: 30 attempts in 15 minutes (a whole office behind one NAT still gets in);
//   per account: 5 failed attempts in 15 minutes, then the account waits out the window.
const LIMITS = {
  ip: { points: 30, duration: 15 * 60 },
  account: { points: 5, duration: 15 * 60 },
};

/** How long a limit check waits for Redis before counting in memory instead. */
const REDIS_WAIT_MS = 1_000;

/** Redis was connected and is gone (between reconnect attempts, or closed): don't queue commands for it. */
const redisAway = () => ["reconnecting", "close", "end"].includes(redis().status);

/**
 * A limiter on the shared Redis that keeps working while Redis is away (fail-open to a local count): with
 * Redis gone, or not answering within REDIS_WAIT_MS, the same limits are counted in this process's memory
 * instead — never a 500, never a request hanging until Redis is back, and a script is still slowed by
 * each process's own counters. Back on Redis, the shared counts resume.
 */
function insuredLimiter(opts: { keyPrefix: string; points: number; duration: number }) {
  const memory = new RateLimiterMemory(opts);
  const shared = new RLWrapperTimeouts({ limiter: new RateLimiterRedis({ ...opts, storeClient: redis() }), timeoutMs: REDIS_WAIT_MS, insuranceLimiter: memory });
  const pick = () => (redisAway() ? memory : shared);
  return {
    consume: (key: string) => pick().consume(key),
    get: (key: string) => pick().get(key),
    delete: (key: string) => pick().delete(key),
  };
}

let api: ApiLimiter | undefined;
let limiters: { ip: ReturnType<typeof insuredLimiter>; account: ReturnType<typeof insuredLimiter> } | undefined;
function get() {
  const prefix = config().REDIS_PREFIX;
  return (limiters ??= {
    ip: insuredLimiter({ keyPrefix: `${prefix}:rl:login-ip`, ...LIMITS.ip }),
    account: insuredLimiter({ keyPrefix: `${prefix}:rl:login-account`, ...LIMITS.account }),
  });
}
export function resetLimiters(): void {
  limiters = undefined;
  api = undefined;
}

function limited(msBeforeNext: number): AppError {
  return new AppError("TOO_MANY_REQUESTS", "auth.rateLimited", { minutes: Math.max(1, Math.ceil(msBeforeNext / 60_000)) });
}

/** Counts a login attempt from this IP and refuses when the IP or the account is over its limit. */
export async function checkLoginAllowed(ip: string, email: string): Promise<void> {
  try {
    await get().ip.consume(ip);
  } catch (e) {
    if (e instanceof RateLimiterRes) throw limited(e.msBeforeNext);
    throw e;
  }
  const account = await get().account.get(email);
  if (account && account.consumedPoints >= LIMITS.account.points) throw limited(account.msBeforeNext);
}

export async function recordLoginFailure(email: string): Promise<void> {
  await get().account.consume(email).catch((e) => {
    if (!(e instanceof RateLimiterRes)) throw e;
  });
}

export async function recordLoginSuccess(email: string): Promise<void> {
  await get().account.delete(email);
}

// API throttling against scraping (offer 4.3.8): every tRPC call, from the browser or from a loader, counts
// per signed-in user and per IP over a minute. The limits are config (API_RATE_PER_USER, API_RATE_PER_IP;
// 0 turns one off) and generous: a person working fast never meets them, a script copying the register does.
export type ApiLimits = { perUser: number; perIp: number; durationSec?: number };
export type ApiLimiter = (who: { userId: string | null; ip: string | null }) => Promise<void>;

export function createApiLimiter(limits: ApiLimits, name = "api"): ApiLimiter {
  const prefix = config().REDIS_PREFIX;
  const duration = limits.durationSec ?? 60;
  const make = (kind: string, points: number) =>
    points > 0 ? insuredLimiter({ keyPrefix: `${prefix}:rl:${name}-${kind}`, points, duration }) : null;
  const user = make("user", limits.perUser);
  const ip = make("ip", limits.perIp);
  return async ({ userId, ip: address }) => {
    try {
      await Promise.all([userId && user ? user.consume(userId) : null, address && ip ? ip.consume(address) : null]);
    } catch (e) {
      if (e instanceof RateLimiterRes) {
        throw new AppError("TOO_MANY_REQUESTS", "privacy.rateLimited", { seconds: Math.max(1, Math.ceil(e.msBeforeNext / 1000)) });
      }
      throw e;
    }
  };
}

/** The limiter every procedure uses, with the configured limits. */
export function apiLimiter(): ApiLimiter {
  return (api ??= createApiLimiter({ perUser: config().API_RATE_PER_USER, perIp: config().API_RATE_PER_IP }));
}
