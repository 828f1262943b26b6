import type { PhoneParser, Role } from "@cdp/contract";
import type { Clock } from "../clock.js";
import type { IdSource } from "../ids.js";
import type { Store } from "../store/store.js";

/** What every domain function works with: the store and the backend's clock and ids. */
export interface Domain {
  store: Store;
  clock: Clock;
  ids: IdSource;
  parsePhone: PhoneParser;
}

/** Who acts: a key (or a token issued to one). */
export interface Actor {
  keyId: string;
  kind: "secret" | "write" | "token";
  role: Role | null;
  organizationId: string;
  workspaces: readonly string[];
  defaultWorkspace: string | null;
}

/** Who acts, in which workspace, through which touchpoint. */
export interface Scope {
  actor: Actor;
  workspaceId: string;
  /** Recorded with every write (`api`, later `tracking`, `shopify:<shop>` …). */
  source: string;
}

/** The backend's time as ISO 8601. One tracking message reads it several times within a millisecond: the text is reused. */
export function now(domain: Domain): string {
  const ms = domain.clock.now();
  if (ms !== lastMs) {
    lastMs = ms;
    lastIso = new Date(ms).toISOString();
  }
  return lastIso;
}

let lastMs = Number.NaN;
let lastIso = "";
