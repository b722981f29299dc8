// The development defaults that guard something are public (README, this file): the app roles' passwords
// and the Stripe webhook signing secret. They make `npm start` and the tests work with nothing configured;
// in production — or as soon as a real Stripe key is set, i.e. real money can arrive — each of them would
// let a stranger in (forge "payment succeeded" webhooks, open the database). The web and the worker check
// once at startup and refuse to run, one line per variable (docs/decisions/024-auth-hardening.md).

export const DEV_APP_PASSWORD = "avtomektep_app_dev";
export const DEV_OPERATOR_PASSWORD = "avtomektep_operator_dev";
export const DEV_WEBHOOK_SECRET = "whsec_avtomektep_local";
/** The Kaspi payee secret the migration seeds (server/billing/rails/settings.ts): refused where real money arrives. */
export const DEV_KASPI_SECRET = "kaspi-avtomektep-local-dev";
/** The local Stripe stand-in's key: the only Stripe key that is not a real one. */
export const LOCAL_STRIPE_KEY = "sk_test_avtomektep_local";

type Env = Record<string, string | undefined>;

/**
 * Production, or a real Stripe key the SDK sends to real Stripe (real payments can arrive; a key for a local
 * stand-in that STRIPE_API_BASE names on this machine is not one): no public secret may be in use.
 */
export function needsRealSecrets(env: Env = process.env): boolean {
  const key = env.STRIPE_SECRET_KEY;
  const toRealStripe = !!key && key !== LOCAL_STRIPE_KEY && !onThisMachine(env.STRIPE_API_BASE);
  return env.NODE_ENV === "production" || toRealStripe;
}

/** A STRIPE_API_BASE on loopback: the local stand-in, not Stripe. */
function onThisMachine(base: string | undefined): boolean {
  if (!base) return false;
  try {
    return ["127.0.0.1", "localhost", "[::1]"].includes(new URL(base).hostname);
  } catch {
    return false;
  }
}

const DEV_PASSWORDS = new Set([DEV_APP_PASSWORD, DEV_OPERATOR_PASSWORD]);

function passwordOf(url: string): string | null {
  try {
    return decodeURIComponent(new URL(url).password) || null;
  } catch {
    return null;
  }
}

/** What is wrong, one sentence per variable (never the value itself); empty when the environment may run. */
export function devSecretProblems(env: Env = process.env): string[] {
  if (!needsRealSecrets(env)) return [];
  const problems: string[] = [];
  const role = (urlVar: string, passwordVar: string, dev: string, roleName: string) => {
    const url = env[urlVar];
    if (url) {
      const password = passwordOf(url);
      if (password && DEV_PASSWORDS.has(password)) {
        problems.push(
          `${urlVar} carries a public development password; give ${roleName} a strong password and put it in the URL`,
        );
      }
    } else if ((env[passwordVar] || dev) === dev) {
      problems.push(
        `${passwordVar} is unset or the public development value; set a strong password for ${roleName} (npm run db:migrate gives it to the role) or set ${urlVar}`,
      );
    }
  };
  role("APP_DATABASE_URL", "DB_APP_PASSWORD", DEV_APP_PASSWORD, "role avtomektep_app");
  role("OPERATOR_DATABASE_URL", "DB_OPERATOR_PASSWORD", DEV_OPERATOR_PASSWORD, "role avtomektep_operator");
  for (const urlVar of ["REPORTS_DATABASE_URL", "LISTEN_DATABASE_URL"]) {
    const password = env[urlVar] ? passwordOf(env[urlVar]!) : null;
    if (password && DEV_PASSWORDS.has(password))
      problems.push(`${urlVar} carries a public development password; use the role's real password`);
  }
  const webhook = env.STRIPE_WEBHOOK_SECRET;
  if (!webhook || webhook === DEV_WEBHOOK_SECRET) {
    problems.push(
      `STRIPE_WEBHOOK_SECRET is unset or the public development value, so anyone could sign a "paid" webhook; set the signing secret of your Stripe webhook endpoint (a long random value if you take no card payments)`,
    );
  }
  return problems;
}

/**
 * The startup check of `npm run web` / `npm run worker`: prints each problem on its own line and exits.
 * AM_ALLOW_DEV_SECRETS=1 lets a benchmark run production builds on a developer's machine (whose database
 * roles have the dev passwords): it starts, saying so on each line. Never set it on a server.
 */
export function refuseDevSecrets(service: "web" | "worker", env: Env = process.env): void {
  const problems = devSecretProblems(env);
  if (problems.length === 0) return;
  if (env.AM_ALLOW_DEV_SECRETS === "1") {
    for (const p of problems)
      process.stderr.write(`avtomektep ${service}: AM_ALLOW_DEV_SECRETS=1, starting anyway: ${p}\n`);
    return;
  }
  for (const p of problems) process.stderr.write(`avtomektep ${service}: refusing to start: ${p}\n`);
  process.exit(1);
}
