import type { ApiIssue } from "@cdp/contract";
import type { CustomerRecord } from "../store/records.js";
import type { Scope } from "./context.js";
import { DomainError } from "./errors.js";

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
  const issues = profiles
    .filter(({ record }) => record.restricted)
    .map(({ path }) => ({ path, message: "is restricted (GDPR art. 18): only a dpo may change it" }));
  if (issues.length) throw processingRestricted(issues);
}

function processingRestricted(issues?: ApiIssue[]): DomainError {
  return new DomainError(
    "processing_restricted",
    "The profile's processing is restricted (GDPR art. 18); only a dpo may change it, or widen what is done with it.",
    issues,
  );
}
