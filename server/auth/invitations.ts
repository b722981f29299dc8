// Accepting an e-mailed invitation: the one rule behind a staff member joining a school (server/staff/invites.ts)
// and a trainee joining their cabinet (server/cabinet/join.ts).
//
// The link carries a token; only its hash is stored, and row-level security shows the one invitation that hash
// names (app.invite_token_hash). An invitation is open while it is unused, not revoked and not expired. Accepting
// takes the signed-in account — it must be the invited address — or makes one for the address (the link reached
// that mailbox, so the address is proven); an address that already has an account must sign in first. The
// invitation is then marked used once: an acceptance racing another finds it taken. A new person is signed in.
import { randomUUID } from "node:crypto";
import { appDb, inScope, switchScope, type Tx } from "../db/client.ts";
import { AppError } from "../errors.ts";
import type { RequestMeta } from "../audit/log.ts";
import type { Locale } from "../../domain/i18n/index.ts";
import { hashToken } from "./tokens.ts";
import { hashPassword } from "./password.ts";
import { startSession, type SessionUser } from "./sessions.ts";

/** Who follows the link: signed in or not, and the language the page is in (a new account keeps it). */
export type Visitor = { user: SessionUser | null; locale: Locale };

/** What every kind of invitation row has. */
type InviteRow = { schoolId: string; email: string; expiresAt: Date; acceptedAt: Date | null; revokedAt?: Date | null };

/** An open invitation with what its kind read besides, and the school it opens. */
export type OpenInvite<Row extends InviteRow, More> = Row & More & { school: { name: string; slug: string } };

/** One kind of invitation: how its row is read, and what accepting it gives. */
export type InviteKind<Row extends InviteRow, More> = {
  /** The row of this token hash, or null. */
  read: (tx: Tx, tokenHash: string) => Promise<Row | null>;
  /** What else the link needs, read in the school's scope (the trainee's name). */
  more: (tx: Tx, row: Row) => Promise<More>;
  /** The name of the account made for a new person; without it, they give one (`fullName`). */
  accountName?: (inv: OpenInvite<Row, More>) => string;
  /** Marks the invitation used, only while it is still open: 0 rows means someone got there first. */
  take: (tx: Tx, inv: OpenInvite<Row, More>) => Promise<{ count: number }>;
  /** What joining gives (the membership, the cabinet login), with its audit entry. */
  join: (tx: Tx, inv: OpenInvite<Row, More>, userId: string, meta: RequestMeta) => Promise<void>;
};

/** Still to be accepted: never used, not revoked, not past its expiry. */
function isOpen(inv: InviteRow, now = new Date()): boolean {
  return !inv.acceptedAt && !inv.revokedAt && inv.expiresAt >= now;
}

/** The open invitation of a token hash, with its school; null when unknown, used, revoked or expired. */
async function findOpen<Row extends InviteRow, More>(
  kind: InviteKind<Row, More>,
  tokenHash: string,
): Promise<OpenInvite<Row, More> | null> {
  return inScope({ inviteTokenHash: tokenHash }, async (tx) => {
    const row = await kind.read(tx, tokenHash);
    if (!row || !isOpen(row)) return null;
    await switchScope(tx, { schoolId: row.schoolId, inviteTokenHash: tokenHash });
    const [school, more] = await Promise.all([
      tx.school.findUniqueOrThrow({ where: { id: row.schoolId }, select: { name: true, slug: true } }),
      kind.more(tx, row),
    ]);
    return { ...row, ...more, school };
  });
}

/**
 * The page the link opens: the invitation, and what it says of the person — the invited address, whether it
 * already has an account (then they sign in), who is signed in. A link that is not open is NOT_FOUND.
 */
export async function inviteLink<Row extends InviteRow, More>(
  kind: InviteKind<Row, More>,
  user: SessionUser | null,
  token: string,
) {
  const inv = await findOpen(kind, hashToken(token));
  if (!inv) throw new AppError("NOT_FOUND", "auth.tokenInvalid");
  const hasAccount = !!(await appDb().user.findUnique({ where: { email: inv.email }, select: { id: true } }));
  return { inv, invitee: { email: inv.email, hasAccount, signedInAs: user?.email ?? null } };
}

/**
 * Accepts the invitation of `token` for the visitor: signed in as the invited address, or a new person with a
 * password (and a name when the kind has none for them). One transaction makes the account, takes the
 * invitation and joins; a new person is then signed in through `signIn` (the session cookie).
 */
export async function acceptInvite<Row extends InviteRow, More>(
  kind: InviteKind<Row, More>,
  visitor: Visitor,
  input: { token: string; password?: string | undefined; fullName?: string | undefined },
  meta: RequestMeta,
  signIn: (cookie: string) => void,
): Promise<OpenInvite<Row, More>> {
  const { user } = visitor;
  const tokenHash = hashToken(input.token);
  const inv = await findOpen(kind, tokenHash);
  if (!inv) throw new AppError("NOT_FOUND", "auth.tokenInvalid");
  if (user && user.email !== inv.email) throw new AppError("FORBIDDEN", "invite.wrongAccount", { email: inv.email });
  const passwordHash = !user && input.password ? await hashPassword(input.password) : null;

  const userId = await inScope({ schoolId: inv.schoolId, inviteTokenHash: tokenHash }, async (tx) => {
    const userId =
      user?.id ??
      (await newAccount(tx, {
        email: inv.email,
        fullName: kind.accountName?.(inv) ?? input.fullName,
        passwordHash,
        locale: visitor.locale,
      }));
    await switchScope(tx, { schoolId: inv.schoolId, userId, inviteTokenHash: tokenHash });
    const taken = await kind.take(tx, inv);
    if (taken.count === 0) throw new AppError("NOT_FOUND", "auth.tokenInvalid");
    await kind.join(tx, inv, userId, meta);
    return userId;
  });
  if (!user) signIn((await startSession(userId, meta)).cookie);
  return inv;
}

/** The invitee's account, for an address that has none: an existing one must sign in and accept instead. */
async function newAccount(
  tx: Tx,
  person: { email: string; fullName: string | undefined; passwordHash: string | null; locale: Locale },
): Promise<string> {
  const existing = await tx.user.findUnique({ where: { email: person.email }, select: { id: true } });
  if (existing) throw new AppError("UNAUTHORIZED", "invite.wrongAccount", { email: person.email });
  if (!person.passwordHash) throw new AppError("BAD_REQUEST", "password", {}, "password");
  if (!person.fullName) throw new AppError("BAD_REQUEST", "required", {}, "fullName");
  const id = randomUUID();
  // The link reached this mailbox, so the address is proven.
  await tx.user.create({
    data: {
      id,
      email: person.email,
      fullName: person.fullName,
      passwordHash: person.passwordHash,
      locale: person.locale,
      emailVerifiedAt: new Date(),
    },
    select: { id: true },
  });
  return id;
}
