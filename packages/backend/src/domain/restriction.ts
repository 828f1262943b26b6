import type { CustomerRecord } from "../store/records.js";
import type { Scope } from "./context.js";
import { DomainError } from "./errors.js";

/**
 * Only a dpo writes to a restricted profile (GDPR art. 18). Withdrawals (a denial, an objection, an
 * unsubscribe) narrow processing and are taken from anyone; their routes do not call this.
 */
export function assertWritable(record: CustomerRecord, scope: Scope): void {
  if (record.restricted && scope.actor.role !== "dpo") {
    throw new DomainError(
      "processing_restricted",
      "The profile's processing is restricted (GDPR art. 18); only a dpo may change it, or widen what is done with it.",
    );
  }
}
