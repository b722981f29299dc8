// The Content-Security-Policy nonce of the response being rendered (server/http/security-headers.ts): set by
// app/entry.server.tsx, read by the root layout for Remix's inline scripts. In the browser it is absent —
// scripts added after hydration are modules from our own origin, which the policy allows.
import { createContext, useContext } from "react";

const NonceContext = createContext<string | undefined>(undefined);

export const NonceProvider = NonceContext.Provider;

export function useNonce(): string | undefined {
  return useContext(NonceContext);
}
