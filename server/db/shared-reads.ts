// One transaction for the reads a page's loaders start together (ADR 049). A workspace page asks several
// school procedures at once (the layout's shell, the register with its groups and instructors, the card
// with its training and eligibility); each used to open its own transaction and enter the school again —
// a BEGIN with the entry and a COMMIT each, on a connection each. Reads of one request that run at the same
// time now join one transaction: it is entered once, they run in it, and it commits when the last of them
// is done.
//
// Nothing a procedure sees or may do changes: the entry is the same statement with the same session (it
// proves the session and sets the user and school for row-level security), every procedure still checks
// its own roles and the school's access state, and a result is given only once the transaction committed.
// A procedure that fails rolls the shared transaction back as its own would have been; the others that
// had joined it are then run again each on its own, so nothing that succeeded is lost with it.
import { inScope, type Tx } from "./client.ts";

/** The answer of a joined read: its own outcome, or `retry` when the transaction it joined was rolled back. */
type Joined<T> = { retry: false; value: T } | { retry: true };

type Shared<E> = {
  users: number;
  /** set once the last user is done: a later read opens a new transaction */
  closing: boolean;
  failed: boolean;
  /** the joined reads run one after another (below) */
  turn: Promise<unknown>;
  release: () => void;
  entered: Promise<{ tx: Tx; entry: E }>;
  committed: Promise<boolean>;
};

/** Transactions shared by the concurrent reads of one request, one per key (a school's slug). */
export class SharedReads<E> {
  readonly #open = new Map<string, Shared<E>>();

  /**
   * Runs `work` in the request's open transaction for `key`, or in a new one that `enter` opens (its first
   * statement). An error from `enter` is every joiner's; an error from `work` is its own.
   */
  async run<T>(key: string, enter: (tx: Tx) => Promise<E>, work: (tx: Tx, entry: E) => Promise<T>): Promise<Joined<T>> {
    let shared = this.#open.get(key);
    if (!shared || shared.closing) {
      shared = open(enter);
      this.#open.set(key, shared);
    }
    shared.users++;
    let outcome: { ok: true; value: T } | { ok: false; error: unknown };
    try {
      const { tx, entry } = await shared.entered;
      // One at a time: they share one connection, so nothing is lost, and Prisma would otherwise send the
      // statements they start in the same tick as one batch, whose plan it compiles afresh each time when
      // it mixes raw SQL and model queries (seen at 5–10 ms of a page's CPU).
      const mine = shared.turn.then(() => work(tx, entry));
      shared.turn = mine.catch(() => {});
      outcome = { ok: true, value: await mine };
    } catch (error) {
      shared.failed = true;
      outcome = { ok: false, error };
    }
    if (--shared.users === 0) this.#closeSoon(key, shared);
    const committed = await shared.committed;
    if (!outcome.ok) throw outcome.error;
    return committed ? { retry: false, value: outcome.value } : { retry: true };
  }

  /**
   * Commits once the reads started in the same turn have had their chance to join (a loader's Promise.all
   * starts them one after another, each awaiting nothing first).
   */
  #closeSoon(key: string, shared: Shared<E>) {
    setImmediate(() => {
      if (shared.users > 0 || shared.closing) return;
      shared.closing = true;
      if (this.#open.get(key) === shared) this.#open.delete(key);
      shared.release();
    });
  }
}

/** The rollback of a shared transaction one of its reads failed in (never leaves this module). */
class RolledBack extends Error {}

function open<E>(enter: (tx: Tx) => Promise<E>): Shared<E> {
  let release!: () => void;
  const released = new Promise<void>((r) => (release = r));
  let onEntered!: (v: { tx: Tx; entry: E }) => void;
  let onRefused!: (e: unknown) => void;
  const entered = new Promise<{ tx: Tx; entry: E }>((resolve, reject) => {
    onEntered = resolve;
    onRefused = reject;
  });
  const shared: Shared<E> = {
    users: 0,
    closing: false,
    failed: false,
    turn: Promise.resolve(),
    release,
    entered,
    committed: null!,
  };
  shared.committed = inScope(null, async (tx) => {
    onEntered({ tx, entry: await enter(tx) });
    await released;
    if (shared.failed) throw new RolledBack();
  }).then(
    () => true,
    (error: unknown) => {
      // Refused at the entry (or the database went away before it): every joiner gets that error.
      onRefused(error);
      return false;
    },
  );
  // A refusal nobody awaits yet must not count as unhandled.
  entered.catch(() => {});
  return shared;
}
