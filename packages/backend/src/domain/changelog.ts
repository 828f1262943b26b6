import type { ChangelogEntry, IdentityChange } from "@cdp/contract";
import type { ChangelogRecord, CustomerRecord, IdentityChangeRecord } from "../store/records.js";
import type { Domain, Scope } from "./context.js";
import { now } from "./context.js";
import { cursorList, decodeCursor, encodeCursor, profileIds } from "./cursor.js";

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
    from: entry.from,
    to: entry.to,
    rule: entry.rule,
    notes: entry.notes,
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

/**
 * `GET /customers/{id}/changelog`: the profile's entries and those of every id merged into it (their
 * history before the merge), newest first, each naming the profile it was written on. Read from the
 * survivor's alias list here, so a merge moves nothing. Entry ids grow with time across profiles,
 * so one cursor (the last id) pages the merged sequence; it names the profile, so it pages no other's.
 */
export function listChangelog(
  domain: Domain,
  scope: Scope,
  customer: CustomerRecord,
  query: { limit?: unknown; cursor?: string | undefined },
) {
  const limit = Number(query.limit ?? 50);
  const list = cursorList("changelog", { workspace: scope.workspaceId });
  const beforeId = query.cursor === undefined ? undefined : decodeCursor(query.cursor, list, { owners: profileIds(customer) }).id;
  const entries = changelogOf(domain, scope, customer, beforeId, limit + 1);
  const data = entries.slice(0, limit).map(({ workspaceId: _, ...entry }) => entry);
  const last = data[data.length - 1];
  return {
    data,
    nextCursor: entries.length > limit && last ? encodeCursor(list, { value: null, id: last.id, owner: customer.id }) : null,
  };
}

/** A live profile's changelog with its aliases' entries, newest first, strictly older than `beforeId`. */
export function changelogOf(
  domain: Domain,
  scope: Scope,
  customer: CustomerRecord,
  beforeId: string | undefined,
  limit: number,
): ChangelogRecord[] {
  const own = domain.store.listChangelog(scope.workspaceId, customer.id, beforeId, limit);
  if (!customer.aliases?.length) return own;
  const all = [...own];
  for (const alias of customer.aliases) all.push(...domain.store.listChangelog(scope.workspaceId, alias, beforeId, limit));
  return all.sort((a, b) => (a.id < b.id ? 1 : a.id > b.id ? -1 : 0)).slice(0, limit);
}

/**
 * A live profile's ID changelog with its aliases' lines (their history before the merge), oldest
 * first. Of lines written in one millisecond, an alias's come before those of the profile it merged
 * into: an absorbed profile's history precedes its merge.
 */
export function identityChangesOf(domain: Domain, scope: Scope, customer: CustomerRecord): IdentityChangeRecord[] {
  const own = domain.store.listIdentityChanges(scope.workspaceId, customer.id);
  if (!customer.aliases?.length) return own;
  // The alias list names later-merged ids first within each merge ([absorbed, ...its aliases]): reversed, deeper ones come first.
  const all: IdentityChangeRecord[] = [];
  for (const alias of [...customer.aliases].reverse()) all.push(...domain.store.listIdentityChanges(scope.workspaceId, alias));
  all.push(...own);
  return all.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
}
