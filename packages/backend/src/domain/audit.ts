import type { AuditEntry, AuditListQuery } from "@cdp/contract";
import type { Actor, Domain } from "./context.js";
import { canonicalTime, now } from "./context.js";
import { cursorList, decodeCursor, encodeCursor } from "./cursor.js";

export interface AuditInput {
  actor: Actor;
  workspaceId: string | null;
  action: string;
  target: string | null;
  reason: string | null;
  requestId: string;
}

/** Appends one entry: every write through the API leaves one. */
export function recordAudit(domain: Domain, input: AuditInput): AuditEntry {
  const entry: AuditEntry = {
    id: domain.ids.id("audit"),
    time: now(domain),
    workspaceId: input.workspaceId,
    actor: { keyId: input.actor.keyId, kind: input.actor.kind, role: input.actor.role },
    action: input.action,
    target: input.target,
    reason: input.reason,
    requestId: input.requestId,
  };
  domain.store.appendAudit(entry);
  return entry;
}

/** Entries of the workspace and of the organization-level actions, newest first. */
export function listAudit(domain: Domain, workspaceId: string, query: AuditListQuery) {
  const limit = Number(query.limit ?? 50);
  const from = query.from === undefined ? undefined : canonicalTime(query.from);
  const to = query.to === undefined ? undefined : canonicalTime(query.to);
  const list = cursorList("audit", { workspace: workspaceId, action: query.action, actor: query.actor, target: query.target, from, to });
  const beforeId = query.cursor === undefined ? undefined : String(decodeCursor(query.cursor, list).id);
  const entries = domain.store.listAudit({
    workspaceIds: [workspaceId, null],
    limit: limit + 1,
    ...(beforeId === undefined ? {} : { beforeId }),
    ...(query.action === undefined ? {} : { action: query.action }),
    ...(query.actor === undefined ? {} : { actor: query.actor }),
    ...(query.target === undefined ? {} : { target: query.target }),
    ...(from === undefined ? {} : { from }),
    ...(to === undefined ? {} : { to }),
  });
  const data = entries.slice(0, limit);
  const last = data[data.length - 1];
  return { data, nextCursor: entries.length > limit && last ? encodeCursor(list, { value: null, id: last.id }) : null };
}
