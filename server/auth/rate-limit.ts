import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, RLWrapperTimeouts } from "rate-limiter-flexible";
import { limitsRedis } from "../redis.ts";
import { config } from "../config.ts";
import { AppError } from "../errors.ts";

// Sign-in throttling on Redis, shared by every web process (docs/decisions/024-auth-hardening.md):
//   per IP: 30 attempts in 15 minutes, whatever the accounts (a whole office behind one NAT still gets in);
//   per account AND IP: 5 failures in 15 minutes, then that address waits — an attacker elsewhere cannot
//     lock the owner out by guessing;
//   per account: LOGIN_FAILURES_PER_DAY (100) failures a day from all addresses together, then addresses
//     the account has not signed in from in the last 30 days wait: a slow backstop against guessing spread
//     over many addresses, which still lets the owner in from home.
const LIMITS = {
  ip: { points: 30, duration: 15 * 60 },
  accountIp: { points: 5, duration: 15 * 60 },
  accountDay: { duration: 24 * 3600 },
  knownIp: { points: 1_000_000, duration: 30 * 24 * 3600 },
};

// The forms anyone can post without an account, each with its own limits, apart from the API's:
//   an address may ask for 10 reset links and 10 sign-ups an hour (over → 429 with the wait: it says
//     nothing about any e-mail), and post 30 links (reset, sign-up confirmation) in 15 minutes;
//   one e-mail address gets at most 3 reset and 3 sign-up e-mails an hour — silently: the answer is the
//     same, so nobody learns the limit hit a registered address, and nobody floods a mailbox.
export const FORM_LIMITS = {
  resetIp: { points: 10, duration: 3600 },
  resetAddress: { points: 3, duration: 3600 },
  signupIp: { points: 10, duration: 3600 },
  signupAddress: { points: 3, duration: 3600 },
  linkIp: { points: 30, duration: 15 * 60 },
} as const;
export type FormLimit = keyof typeof FORM_LIMITS;

/** How long a limit check waits for Redis before counting in memory instead. */
const REDIS_WAIT_MS = 1_000;

/** Redis was connected and is gone (between reconnect attempts, or closed): don't queue commands for it. */
const redisAway = () => ["reconnecting", "close", "end"].includes(limitsRedis().status);

/**
 * A limiter on the shared Redis that keeps working while Redis is away (fail-open to a local count): with
 * Redis gone, or not answering within REDIS_WAIT_MS, the same limits are counted in this process's memory
 * instead — never a 500, never a request hanging until Redis is back, and a script is still slowed by
 * each process's own counters. Back on Redis, the shared counts resume.
 */
function insuredLimiter(opts: { keyPrefix: string; points: number; duration: number }) {
  const memory = new RateLimiterMemory(opts);
  const shared = new RLWrapperTimeouts({
    limiter: new RateLimiterRedis({ ...opts, storeClient: limitsRedis() }),
    timeoutMs: REDIS_WAIT_MS,
    insuranceLimiter: memory,
  });
  const pick = () => (redisAway() ? memory : shared);
  return {
    consume: (key: string) => pick().consume(key),
    get: (key: string) => pick().get(key),
    delete: (key: string) => pick().delete(key),
  };
}

type Limiter = ReturnType<typeof insuredLimiter>;
let api: ApiLimiter | undefined;
let kaspi: Limiter | null | undefined;
let limiters:
  | { ip: Limiter; accountIp: Limiter; accountDay: Limiter; knownIp: Limiter; forms: Record<FormLimit, Limiter> }
  | undefined;
function get() {
  const prefix = config().REDIS_PREFIX;
  return (limiters ??= {
    ip: insuredLimiter({ keyPrefix: `${prefix}:rl:login-ip`, ...LIMITS.ip }),
    accountIp: insuredLimiter({ keyPrefix: `${prefix}:rl:login-account-ip`, ...LIMITS.accountIp }),
    accountDay: insuredLimiter({
      keyPrefix: `${prefix}:rl:login-account-day`,
      points: config().LOGIN_FAILURES_PER_DAY,
      ...LIMITS.accountDay,
    }),
    knownIp: insuredLimiter({ keyPrefix: `${prefix}:rl:login-known`, ...LIMITS.knownIp }),
    forms: Object.fromEntries(
      Object.entries(FORM_LIMITS).map(([kind, l]) => [
        kind,
        insuredLimiter({ keyPrefix: `${prefix}:rl:form-${kind}`, ...l }),
      ]),
    ) as Record<FormLimit, Limiter>,
  });
}
export function resetLimiters(): void {
  limiters = undefined;
  api = undefined;
  kaspi = undefined;
}

function limited(msBeforeNext: number): AppError {
  return new AppError("TOO_MANY_REQUESTS", "auth.rateLimited", {
    minutes: Math.max(1, Math.ceil(msBeforeNext / 60_000)),
  });
}

const pair = (email: string, ip: string) => `${email}|${ip}`;

/** Counts a sign-in attempt from this IP and refuses when the IP, the account at this IP, or the account's day is over its limit. */
export async function checkLoginAllowed(ip: string, email: string): Promise<void> {
  const l = get();
  try {
    await l.ip.consume(ip);
  } catch (e) {
    if (e instanceof RateLimiterRes) throw limited(e.msBeforeNext);
    throw e;
  }
  const here = await l.accountIp.get(pair(email, ip));
  if (here && here.consumedPoints >= LIMITS.accountIp.points) throw limited(here.msBeforeNext);
  const day = await l.accountDay.get(email);
  if (day && day.consumedPoints >= config().LOGIN_FAILURES_PER_DAY && !(await l.knownIp.get(pair(email, ip))))
    throw limited(day.msBeforeNext);
}

const swallowOver = (e: unknown) => {
  if (!(e instanceof RateLimiterRes)) throw e;
};

export async function recordLoginFailure(email: string, ip: string): Promise<void> {
  const l = get();
  await Promise.all([
    l.accountIp.consume(pair(email, ip)).catch(swallowOver),
    l.accountDay.consume(email).catch(swallowOver),
  ]);
}

/** A right password: this address starts afresh for the account, and is one the owner signs in from. */
export async function recordLoginSuccess(email: string, ip: string): Promise<void> {
  const l = get();
  await Promise.all([l.accountIp.delete(pair(email, ip)), l.knownIp.consume(pair(email, ip)).catch(swallowOver)]);
}

/** A form an address may post only so often: over the limit → 429 with the wait (kk/ru, Retry-After). */
export async function refuseOverFormLimit(kind: FormLimit, key: string): Promise<void> {
  try {
    await get().forms[kind].consume(key);
  } catch (e) {
    if (e instanceof RateLimiterRes) {
      throw new AppError("TOO_MANY_REQUESTS", "auth.tooManyRequests", {
        minutes: Math.max(1, Math.ceil(e.msBeforeNext / 60_000)),
      });
    }
    throw e;
  }
}

/** Counts one more for `key`; false once it is over the limit (the caller then answers as usual and does nothing). */
export async function withinFormLimit(kind: FormLimit, key: string): Promise<boolean> {
  try {
    await get().forms[kind].consume(key);
    return true;
  } catch (e) {
    if (e instanceof RateLimiterRes) return false;
    throw e;
  }
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
        throw new AppError("TOO_MANY_REQUESTS", "privacy.rateLimited", {
          seconds: Math.max(1, Math.ceil(e.msBeforeNext / 1000)),
        });
      }
      throw e;
    }
  };
}

/** The limiter every procedure uses, with the configured limits. */
export function apiLimiter(): ApiLimiter {
  return (api ??= createApiLimiter({ perUser: config().API_RATE_PER_USER, perIp: config().API_RATE_PER_IP }));
}

// The Kaspi endpoint (/pay/kaspi/*, docs/decisions/038) is a server calling, not a person: it is counted per
// address over a minute on its own (KASPI_RATE_PER_IP, 0 turns it off), apart from the API and the forms.

/** Counts one Kaspi request from `ip`; past the limit, the seconds to wait (the caller answers in Kaspi's format). */
export async function kaspiRequestWait(ip: string): Promise<number | null> {
  const perIp = config().KASPI_RATE_PER_IP;
  kaspi ??=
    perIp > 0
      ? insuredLimiter({ keyPrefix: `${config().REDIS_PREFIX}:rl:kaspi-ip`, points: perIp, duration: 60 })
      : null;
  if (!kaspi) return null;
  try {
    await kaspi.consume(ip);
    return null;
  } catch (e) {
    if (e instanceof RateLimiterRes) return Math.max(1, Math.ceil(e.msBeforeNext / 1000));
    throw e;
  }
}
