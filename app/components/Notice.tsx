import type { ReactNode } from "react";

/** The green "done" line after an action (a polite status for screen readers). */
export function Notice({ children }: { children: ReactNode }) {
  return (
    <p className="notice" role="status">
      {children}
    </p>
  );
}
