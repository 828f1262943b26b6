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

export function now(domain: Domain): string {
  return new Date(domain.clock.now()).toISOString();
}
