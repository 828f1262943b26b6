import type { IdempotencyRecord } from "../records.js";

/**
 * Answers kept for Idempotency-Keys, and which customers each names, so that erasing a customer
 * drops the answers about them (kept as `erased`: the key then answers 410) without a scan of them
 * all. An erasure that comes while a request is in flight is remembered until its answer is put: an
 * answer naming a customer erased meanwhile is kept as erased too.
 */
export class IdempotencyAnswers {
  private readonly records = new Map<string, IdempotencyRecord>();
  /** Customer id → the scopes whose kept answer names it. */
  private readonly naming = new Map<string, Set<string>>();
  /** Scope in flight → the customer ids erased since it was claimed. */
  private readonly erasedInFlight = new Map<string, Set<string>>();

  get(scope: string): IdempotencyRecord | undefined {
    return this.records.get(scope);
  }

  put(scope: string, record: IdempotencyRecord): void {
    this.unindex(scope);
    let kept = record;
    if (record.state === "in_flight") this.erasedInFlight.set(scope, new Set());
    else {
      const erased = this.erasedInFlight.get(scope);
      this.erasedInFlight.delete(scope);
      if (record.state === "done" && erased?.size && record.customers?.some((id) => erased.has(id))) kept = erasedRecord(record);
    }
    this.records.set(scope, kept);
    for (const id of kept.customers ?? []) {
      let scopes = this.naming.get(id);
      if (!scopes) {
        scopes = new Set();
        this.naming.set(id, scopes);
      }
      scopes.add(scope);
    }
  }

  delete(scope: string): void {
    this.unindex(scope);
    this.erasedInFlight.delete(scope);
    this.records.delete(scope);
  }

  /** Forgets the records that expired before `now` (ms). */
  prune(now: number): void {
    for (const [scope, record] of this.records) if (record.expiresAt <= now) this.delete(scope);
  }

  /** Drops every kept answer that names the customer; answers still in flight are checked when they are put. */
  eraseCustomer(customerId: string): void {
    this.dropAnswersNaming(customerId);
    for (const erased of this.erasedInFlight.values()) erased.add(customerId);
  }

  /**
   * Drops the kept answers that name the customer (a delete): the key stays taken. Answers in flight
   * are left alone, the delete's own among them, so that its retry replays `{ id, deleted: true }`.
   */
  dropAnswersNaming(customerId: string): void {
    for (const scope of [...(this.naming.get(customerId) ?? [])]) {
      const record = this.records.get(scope);
      this.unindex(scope);
      if (record) this.records.set(scope, erasedRecord(record));
    }
    this.naming.delete(customerId);
  }

  private unindex(scope: string): void {
    for (const id of this.records.get(scope)?.customers ?? []) {
      const scopes = this.naming.get(id);
      scopes?.delete(scope);
      if (scopes?.size === 0) this.naming.delete(id);
    }
  }
}

/** The record once its answer is dropped: the key stays taken (same body → 410, another → 409). */
function erasedRecord(record: IdempotencyRecord): IdempotencyRecord {
  return { fingerprint: record.fingerprint, state: "erased", status: 0, body: "", expiresAt: record.expiresAt, customers: [] };
}
