import { ConfirmButton } from "~/components/ConfirmButton.tsx";
import { Notice } from "~/components/Notice.tsx";
import { Table } from "~/components/Table.tsx";
import { Form, Link, useActionData, useLoaderData, useNavigation, useRouteLoaderData } from "@remix-run/react";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Field, FieldBox, FormAlert } from "~/components/Field.tsx";
import { ErrorPanel, type Refused } from "~/components/workspace/ErrorPanel.tsx";
import { DIRECTOR, hasRole, type Role, ROLES } from "../../domain/roles.ts";
import { refusedWith, text, runWs, loadWs } from "~/components/workspace/forms.server.ts";
import { useWorkspace } from "~/components/workspace/useWorkspace.ts";
import { requireUser } from "~/lib/forms.server.ts";
import { useFormat, useT } from "~/lib/i18n.tsx";
import type { RootData } from "~/root.tsx";
import { translator } from "../../domain/i18n/index.ts";

export async function loader({ context, request, params }: LoaderFunctionArgs) {
  requireUser(context, request);
  return loadWs(context, () => context.trpc.staff.list({ school: params.school! }));
}

type Intent = "invite" | "remove" | "setRole" | "revoke";
type StaffValues = { intent: Intent; email: string; role: string; userId: string; id: string };

export async function action({ context, request, params }: ActionFunctionArgs) {
  requireUser(context, request);
  const school = params.school!;
  const form = await request.formData();
  const intent = text(form, "intent") as Intent;
  const values = {
    email: text(form, "email"),
    role: text(form, "role"),
    userId: text(form, "userId"),
    id: text(form, "id"),
  };
  // The server validates the role; an unknown one is refused there like any other bad input.
  const role = values.role as Role;
  const calls: Partial<Record<string, () => Promise<unknown>>> = {
    invite: () => context.trpc.staff.invite({ school, email: values.email, role }),
    remove: () => context.trpc.staff.remove({ school, userId: values.userId }),
    setRole: () => context.trpc.staff.setRoles({ school, userId: values.userId, roles: [role] }),
    revoke: () => context.trpc.staff.revokeInvite({ school, id: values.id }),
  };
  const call = calls[intent];
  if (!call) {
    const error = {
      message: translator(context.ctx.locale)("errors:badRequest"),
      fieldErrors: null,
      field: null,
      status: 400,
    };
    return refusedWith({ data: { error }, init: { status: 400 } }, { intent, ...values });
  }
  const result = await runWs(context, call);
  if (!result.ok) return refusedWith(result.response, { intent, ...values });
  return { done: intent, email: values.email };
}

export default function Staff() {
  const { members, invites } = useLoaderData<typeof loader>();
  const actionData = useActionData() as Refused<StaffValues> | { done: Intent; email: string } | undefined;
  const navigation = useNavigation();
  const { school } = useWorkspace();
  const root = useRouteLoaderData("root") as RootData | undefined;
  const t = useT();
  const fmt = useFormat();
  const isDirector = hasRole(school.roles, DIRECTOR);
  const refused = actionData && "error" in actionData ? actionData : null;
  const done = actionData && "done" in actionData && navigation.state === "idle" ? actionData : null;
  const inviteRefused = refused?.values.intent === "invite" ? refused : null;
  const notices: Record<Intent, string> = {
    invite: t("workspace:staff.invite.sent", { email: done?.email ?? "" }),
    remove: t("workspace:staff.removed"),
    setRole: t("workspace:staff.roleChanged"),
    revoke: t("workspace:staff.revoked"),
  };
  return (
    <main className="ws-main">
      <h1>{t("workspace:staff.title")}</h1>
      {done ? <Notice>{notices[done.done]}</Notice> : null}
      {refused && !inviteRefused ? <FormAlert message={refused.error.message} /> : null}

      <h2>{t("workspace:staff.members")}</h2>
      <Table
        rows={members}
        labels="workspace:staff.cols"
        columns={["nameEmail", "roles", ["since", "hide-phone"], isDirector && "actions"]}
        row={(m) => (
          <tr key={m.id}>
            <td>
              {m.fullName}
              {m.id === root?.user?.id ? <span className="muted"> ({t("workspace:staff.you")})</span> : null}
              <div className="muted small break">{m.email}</div>
              <Link to={`/s/${school.slug}/staff/${m.id}`} className="small">
                {t("resources:staff.profile")}
              </Link>
            </td>
            <td>{m.roles.map((r) => t(`common:roles.${r}`)).join(", ")}</td>
            <td className="hide-phone nowrap">{fmt.date(m.since)}</td>
            {isDirector ? (
              <td>
                <div className="row-actions">
                  <Form method="post" className="inline-form">
                    <input type="hidden" name="intent" value="setRole" />
                    <input type="hidden" name="userId" value={m.id} />
                    <label className="visually-hidden" htmlFor={`role-${m.id}`}>
                      {t("workspace:staff.changeRole")}
                    </label>
                    <select id={`role-${m.id}`} name="role" defaultValue={m.roles[0]}>
                      {ROLES.map((r) => (
                        <option key={r} value={r}>
                          {t(`common:roles.${r}`)}
                        </option>
                      ))}
                    </select>
                    <button type="submit" className="secondary small">
                      {t("workspace:staff.saveRole")}
                    </button>
                  </Form>
                  <Form method="post" className="inline-form">
                    <input type="hidden" name="intent" value="remove" />
                    <input type="hidden" name="userId" value={m.id} />
                    <ConfirmButton question={t("workspace:staff.removeConfirm")}>
                      {t("workspace:staff.remove")}
                    </ConfirmButton>
                  </Form>
                </div>
              </td>
            ) : null}
          </tr>
        )}
      />

      <h2>{t("workspace:staff.invites")}</h2>
      <Table
        rows={invites}
        empty={t("workspace:staff.noInvites")}
        labels="workspace:staff.cols"
        columns={["email", "role", "expires", isDirector && "actions"]}
        row={(i) => (
          <tr key={i.id}>
            <td className="break">{i.email}</td>
            <td>{t(`common:roles.${i.role}`)}</td>
            <td className="nowrap">{fmt.dateTime(i.expiresAt)}</td>
            {isDirector ? (
              <td>
                <Form method="post">
                  <input type="hidden" name="intent" value="revoke" />
                  <input type="hidden" name="id" value={i.id} />
                  <button type="submit" className="danger">
                    {t("workspace:staff.revoke")}
                  </button>
                </Form>
              </td>
            ) : null}
          </tr>
        )}
      />

      {isDirector ? (
        <Form
          method="post"
          className="card invite-form"
          noValidate
          key={done?.done === "invite" ? `sent-${done.email}` : "invite"}
        >
          <h2 className="first">{t("workspace:staff.invite.title")}</h2>
          <p className="muted">{t("workspace:staff.invite.lead")}</p>
          <FormAlert message={inviteRefused?.error.message} />
          <input type="hidden" name="intent" value="invite" />
          <div className="grid2">
            <Field
              name="email"
              type="email"
              label={t("workspace:staff.invite.email")}
              required
              autoComplete="off"
              defaultValue={inviteRefused?.values.email ?? ""}
              error={inviteRefused?.error.fieldErrors?.email}
            />
            <FieldBox
              htmlFor="f-role"
              label={t("workspace:staff.invite.role")}
              error={inviteRefused?.error.fieldErrors?.role}
            >
              <select id="f-role" name="role" defaultValue={inviteRefused?.values.role || "registrar"}>
                {ROLES.map((r) => (
                  <option key={r} value={r}>
                    {t(`common:roles.${r}`)}
                  </option>
                ))}
              </select>
            </FieldBox>
          </div>
          <button type="submit" className="primary" disabled={navigation.state === "submitting"}>
            {t("workspace:staff.invite.submit")}
          </button>
        </Form>
      ) : null}
    </main>
  );
}

export const ErrorBoundary = ErrorPanel;
