import { hash, verify } from "@node-rs/argon2";

// @node-rs/argon2 exports Algorithm as a const enum, which isolated modules can't read: 2 = Argon2id.
const ARGON2ID = 2;

// argon2id with OWASP's minimum recommended parameters (19 MiB, 2 passes, 1 lane): ~80 ms here.
const params = { algorithm: ARGON2ID, memoryCost: 19456, timeCost: 2, parallelism: 1 } as const;

export const hashPassword = (password: string) => hash(password, params);

export async function verifyPassword(passwordHash: string | null | undefined, password: string): Promise<boolean> {
  if (!passwordHash) {
    // Spend the same time as a real check, so response times don't reveal which e-mails exist.
    await hash(password, params);
    return false;
  }
  return verify(passwordHash, password).catch(() => false);
}
