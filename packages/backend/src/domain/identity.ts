import { type ApiIssue, type Identifier, normalizeIdentifier } from "@cdp/contract";
import type { IdentifierRecord } from "../store/records.js";
import type { Domain } from "./context.js";
import { DomainError } from "./errors.js";

/** Per identifier type: how many one profile may hold, and which wins when one must be dropped (lower first). */
export interface IdentifierRule {
  limit: number;
  priority: number;
}

/** DESIGN.md §4 defaults; custom types get `custom`. */
export const defaultIdentifierRules: Readonly<Record<string, IdentifierRule>> = {
  userId: { limit: 1, priority: 1 },
  email: { limit: 5, priority: 2 },
  phone: { limit: 5, priority: 3 },
  loyaltyCard: { limit: 5, priority: 4 },
  pushToken: { limit: 10, priority: 6 },
  deviceId: { limit: 100, priority: 7 },
  anonymousId: { limit: 100, priority: 8 },
};
const customRule: IdentifierRule = { limit: 5, priority: 5 };

/** A profile may hold at most this many identifiers in all. */
export const maxIdentifiersPerCustomer = 1_000;

export function identifierRule(type: string): IdentifierRule {
  // Own keys only: a custom type may be named "constructor" or "toString".
  return Object.hasOwn(defaultIdentifierRules, type) ? (defaultIdentifierRules[type] as IdentifierRule) : customRule;
}

export interface PlacedIdentifier {
  identifier: Identifier;
  /** Where the request carried it, for error paths: `body.identifiers.0.value`, `body.email`. */
  path: string;
}

/**
 * Normalises identifiers given through the API. An invalid value is a 400 naming its place; a
 * blocked one a 422 (`blocked_identifier`). Duplicates after normalisation collapse into one.
 */
export function normalizeForApi(domain: Domain, placed: PlacedIdentifier[]): Identifier[] {
  const invalid: ApiIssue[] = [];
  const blocked: ApiIssue[] = [];
  const seen = new Map<string, Identifier>();
  for (const { identifier, path } of placed) {
    const result = normalizeIdentifier(identifier, { parsePhone: domain.parsePhone });
    if (!result.ok) {
      (result.reason === "blocked" ? blocked : invalid).push({ path, message: result.message });
      continue;
    }
    seen.set(identifierKey(result.identifier), result.identifier);
  }
  if (invalid.length) throw new DomainError("validation_failed", "An identifier is not valid", invalid);
  if (blocked.length) throw new DomainError("blocked_identifier", "Blocked values never identify anyone", blocked);
  return [...seen.values()];
}

/** Refuses a set of identifiers that breaks a type's limit or the per-profile cap. */
export function checkIdentifierLimits(identifiers: ReadonlyArray<Identifier | IdentifierRecord>, path = "body.identifiers"): void {
  if (identifiers.length > maxIdentifiersPerCustomer) {
    throw new DomainError("identifier_limit", `A profile holds at most ${maxIdentifiersPerCustomer} identifiers`, [
      { path, message: `more than ${maxIdentifiersPerCustomer} identifiers` },
    ]);
  }
  const counts = new Map<string, number>();
  for (const identifier of identifiers) counts.set(identifier.type, (counts.get(identifier.type) ?? 0) + 1);
  const issues: ApiIssue[] = [];
  for (const [type, count] of counts) {
    const { limit } = identifierRule(type);
    if (count > limit)
      issues.push({
        path,
        message: `a profile holds at most ${limit} ${type} identifier${limit === 1 ? "" : "s"}; this would make ${count}`,
      });
  }
  if (issues.length) throw new DomainError("identifier_limit", "A profile would hold more identifiers of a type than its limit", issues);
}

export function identifierKey(identifier: Identifier): string {
  return `${identifier.type}\u0000${identifier.value}`;
}
