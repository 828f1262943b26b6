import type { ChangelogEntry, IdentityChange } from "@cdp/contract";
import type { Domain, Scope } from "./context.js";
import { now } from "./context.js";
import { decodeCursor, encodeCursor } from "./cursor.js";

/** Appends one entry to a customer's changelog: every change to a profile leaves one (DESIGN §3). */
export function recordChange(
  domain: Domain,
  scope: Scope,
  customerId: string,
  entry: Omit<ChangelogEntry, "id" | "at" | "source" | "initiator">,
): void {
  // Every field spelled out, absent ones undefined: one hidden class for all entries, each object
  // whole (a spread of optional fields gave most entries a second object for the overflow).
  domain.store.appendChangelog({
    id: domain.ids.id("change"),
    at: now(domain),
    source: scope.source,
    initiator: scope.actor.keyId,
    kind: entry.kind,
    changes: entry.changes,
    merge: entry.merge,
    identifier: entry.identifier,
    rule: entry.rule,
    workspaceId: scope.workspaceId,
    customerId,
  });
}

/** Appends one line to a customer's ID changelog (added, moved, removed, dropped). */
export function recordIdentityChange(
  domain: Domain,
  scope: Scope,
  customerId: string,
  change: Omit<IdentityChange, "at" | "source">,
): void {
  // Spelled out, as in recordChange.
  domain.store.appendIdentityChange({
    at: now(domain),
    source: scope.source,
    type: change.type,
    value: change.value,
    action: change.action,
    from: change.from,
    to: change.to,
    rule: change.rule,
    workspaceId: scope.workspaceId,
    customerId,
  });
}

export function listChangelog(domain: Domain, scope: Scope, customerId: string, query: { limit?: unknown; cursor?: string | undefined }) {
  const limit = Number(query.limit ?? 50);
  const beforeId = query.cursor === undefined ? undefined : decodeCursor(query.cursor, "changelog").id;
  const entries = domain.store.listChangelog(scope.workspaceId, customerId, beforeId, limit + 1);
  const data = entries.slice(0, limit).map(({ workspaceId: _, customerId: __, ...entry }) => entry);
  const last = data[data.length - 1];
  return { data, nextCursor: entries.length > limit && last ? encodeCursor({ kind: "changelog", value: null, id: last.id }) : null };
}
