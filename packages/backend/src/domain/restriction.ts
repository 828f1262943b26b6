import { type ApiIssue, normalizeIdentifier } from "@cdp/contract";
import type { CustomerRecord } from "../store/records.js";
import type { Domain, Scope } from "./context.js";
import { DomainError } from "./errors.js";
import type { PlacedIdentifier } from "./identity.js";

/**
 * Only a dpo writes to a restricted profile (GDPR art. 18). Withdrawals (a denial, an objection, an
 * unsubscribe) narrow processing and are taken from anyone; their routes do not call this.
 */
export function assertWritable(record: CustomerRecord, scope: Scope): void {
  if (record.restricted && scope.actor.role !== "dpo") throw processingRestricted();
}

/**
 * `assertWritable` for profiles a body names (`body.into`, `body.from.2`): one refusal with an issue
 * at the place of each restricted one, so the caller knows which.
 */
export function assertWritableAt(profiles: ReadonlyArray<{ record: CustomerRecord; path: string }>, scope: Scope): void {
  if (scope.actor.role === "dpo") return;
  const issues = profiles.filter(({ record }) => record.restricted).map(({ path }) => ({ path, message: restrictedMessage }));
  if (issues.length) throw processingRestricted(issues);
}

/**
 * `assertWritable` for the profiles a request's identifiers resolve to (an event by identifiers, a
 * sync): the refusal names the place of each identifier a restricted one holds (`body.email`,
 * `body.identifiers.1.value`).
 */
export function assertHoldersWritable(
  domain: Domain,
  scope: Scope,
  holders: readonly CustomerRecord[],
  placed: readonly PlacedIdentifier[],
): void {
  if (scope.actor.role === "dpo" || !holders.some((holder) => holder.restricted)) return;
  const restricted = new Set(holders.filter((holder) => holder.restricted).map((holder) => holder.id));
  const issues: ApiIssue[] = [];
  for (const { identifier, path } of placed) {
    const normalized = normalizeIdentifier(identifier, { parsePhone: domain.parsePhone });
    if (!normalized.ok) continue;
    const holderId = domain.store.findCustomerIdByIdentifier(scope.workspaceId, normalized.identifier.type, normalized.identifier.value);
    if (holderId !== undefined && restricted.has(holderId)) issues.push({ path, message: restrictedMessage });
  }
  throw processingRestricted(issues.length ? issues : undefined);
}

const restrictedMessage = "is restricted (GDPR art. 18): only a dpo may change it";

/** The 403 a write to a restricted profile gets; `issues` name the places, when the request has them. */
export function processingRestricted(issues?: ApiIssue[]): DomainError {
  return new DomainError(
    "processing_restricted",
    "The profile's processing is restricted (GDPR art. 18); only a dpo may change it, or widen what is done with it.",
    issues,
  );
}
