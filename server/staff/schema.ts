import { z } from "zod";
import { ROLES } from "../../domain/roles.ts";
import { email, password, token } from "../auth/schema.ts";
import { personName } from "../signup/schema.ts";

const role = z.enum(ROLES, "chooseOne");

export const inviteInput = z.object({ email, role });

/** An invitation, by its id. */
export const invitationId = z.object({ id: z.uuid() });

/** A member of the school, by their user id. */
export const memberInput = z.object({ userId: z.uuid() });

export const setRolesInput = z.object({ userId: z.uuid(), roles: z.array(role).min(1, "required").max(5) });

/** The token of an e-mailed invitation link. */
export const inviteLinkInput = z.object({ token });

/** A signed-in invitee sends the token only; a new person adds a name and a password. */
export const acceptInviteInput = z.object({ token, fullName: personName.optional(), password: password.optional() });
