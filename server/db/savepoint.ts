import type { Tx } from "./client.ts";
import { AppError } from "../errors.ts";

/**
 * Runs `insert` under a savepoint, for the inserts an exclusion constraint may refuse (ADR 007). When
 * `clash` recognises the error (returns other than null), the transaction is rolled back to the savepoint —
 * still usable, to explain the clash or try again — and what `clash` returned is returned; any other error
 * is thrown. Null: the row is in and the savepoint released.
 */
export async function insertOrClash<C>(
  tx: Tx,
  insert: () => Promise<unknown>,
  clash: (e: unknown) => C | null,
): Promise<C | null> {
  await tx.$executeRaw`SAVEPOINT insert_or_clash`;
  try {
    await insert();
  } catch (e) {
    const which = clash(e);
    if (which === null) throw e;
    await tx.$executeRaw`ROLLBACK TO SAVEPOINT insert_or_clash`;
    return which;
  }
  await tx.$executeRaw`RELEASE SAVEPOINT insert_or_clash`;
  return null;
}

/**
 * Runs `work` under a savepoint and, when it is refused (an AppError), rolls just that work back and returns the
 * refusal: one trainee of a bulk action refused, the others still applied in the same transaction.
 */
export function refusalOf(tx: Tx, work: () => Promise<unknown>): Promise<AppError | null> {
  return insertOrClash(tx, work, (e) => (e instanceof AppError ? e : null));
}
