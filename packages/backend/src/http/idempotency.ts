import { idsIn } from "@cdp/contract";
import { sha256 } from "../crypto.js";
import type { Domain } from "../domain/context.js";
import { DomainError } from "../domain/errors.js";

/** Keys are kept 24 hours (DESIGN.md §5). */
const lifetime = 24 * 60 * 60 * 1_000;

export interface IdempotencyClaim {
  /** Stores the answer for replays (5xx answers release the key so a retry can run). */
  complete(status: number, body: string): void;
  release(): void;
}

/**
 * Claims an `Idempotency-Key` for (key, workspace, method, path). Answers a stored response when
 * the same body came before, 409 when another body did or the first is still in flight, 410 when
 * the answer named a customer erased since. The store keeps the scope as a hash: a path naming a
 * customer (`/v1/customers/cus_…/erase`) is not kept in clear after that customer is erased.
 */
export async function claimIdempotencyKey(
  domain: Domain,
  scope: string,
  body: string,
  options: {
    /**
     * False for a request that erases the customer its path names: its answer (a privacy request)
     * names nobody, and stays replayable after its own erasure.
     */
    pathNamesSubject?: boolean;
  } = {},
): Promise<{ replay: { status: number; body: string } } | { claim: IdempotencyClaim }> {
  pruneNow(domain);
  const fingerprint = await sha256(body);
  const key = await sha256(scope);
  const existing = domain.store.getIdempotency(key);
  if (existing && existing.expiresAt > domain.clock.now()) {
    if (existing.fingerprint !== fingerprint) throw new DomainError("idempotency_mismatch");
    if (existing.state === "in_flight") throw new DomainError("idempotency_in_progress");
    if (existing.state === "erased") throw new DomainError("idempotency_erased");
    return { replay: { status: existing.status, body: existing.body } };
  }
  const expiresAt = domain.clock.now() + lifetime;
  domain.store.putIdempotency(key, { fingerprint, state: "in_flight", status: 0, body: "", expiresAt });
  const path = options.pathNamesSubject === false ? "" : scope;
  return {
    claim: {
      complete: (status, responseBody) => {
        if (status >= 500) domain.store.deleteIdempotency(key);
        else {
          // The customers the path and the answer name: an erasure of one of them drops the answer.
          const customers = idsIn("customer", `${path}\u0000${responseBody}`);
          domain.store.putIdempotency(key, { fingerprint, state: "done", status, body: responseBody, expiresAt, customers });
        }
      },
      release: () => domain.store.deleteIdempotency(key),
    },
  };
}

let claimsSincePrune = 0;

/** Every so many claims, expired keys and tokens are dropped, so a long-running backend does not grow without end. */
function pruneNow(domain: Domain): void {
  if (++claimsSincePrune < 1_000) return;
  claimsSincePrune = 0;
  domain.store.pruneExpired(domain.clock.now());
}
