// The billing page's line under the access status: what the state means and how it ends. A suspension is worded
// by who made it (docs/decisions/039): the access ladder's for non-payment — pay and access is back — or the
// operator's by hand, which no payment words describe (the banner above gives the operator's reason).
import { useWorkspace } from "~/components/workspace/useWorkspace.ts";
import { useT } from "~/lib/i18n.tsx";

type Suspension = { byOperator: boolean } | null | undefined;

/** The `billing:hint.*` key for an access state; a suspension by the operator has its own. */
export function accessHintKey(status: string, suspension: Suspension): string {
  return status === "suspended" && suspension?.byOperator
    ? "billing:hint.suspendedByOperator"
    : `billing:hint.${status}`;
}

/** The hint line for the school's access state, read with the workspace's suspension (who suspended it). */
export function AccessHint({ status }: { status: string }) {
  const t = useT();
  const { suspension } = useWorkspace();
  return (
    <p className="billing-hint" data-testid="access-hint">
      {t(accessHintKey(status, suspension))}
    </p>
  );
}
