import type { Customer } from "@cdp/contract";
import type { CustomerRecord, FieldWrite } from "../store/records.js";
import { recordChange, recordIdentityChange } from "./changelog.js";
import { restrictedAfterMerge } from "./consents.js";
import type { Domain, Scope } from "./context.js";
import { now } from "./context.js";
import { findCustomer, toCustomer } from "./customers.js";
import { DomainError } from "./errors.js";
import { emptyCustomer, identifierKey, limitBreach, maxIdentifiersPerCustomer, maxProfilesPerMerge } from "./identity.js";
import { setOwn } from "./patch.js";
import { assertWritableAt } from "./restriction.js";
import { getSettings } from "./settings.js";

type Decision = { field: string; value: unknown; from: string; rule: "latest_write" | "only_value" | "non_empty" | "union" };

/**
 * Merges profiles (oldest first: the first survives) and answers the survivor. Per field the value
 * written last wins and an empty value never overwrites a real one; tags and identifiers unite;
 * events move; each absorbed profile keeps its id as an alias (`merged`, `mergedInto`) and gives
 * the survivor a changelog entry with every field's decision.
 */
export function mergeProfiles(domain: Domain, scope: Scope, profiles: CustomerRecord[], rule: string, survivorId?: string): CustomerRecord {
  const survivor = profiles.find((profile) => profile.id === (survivorId ?? profiles[0]?.id)) as CustomerRecord;
  const absorbed = profiles.filter((profile) => profile.id !== survivor.id);
  const at = now(domain);
  let merged: CustomerRecord = {
    ...survivor,
    identifiers: [...survivor.identifiers],
    tags: [...survivor.tags],
    fieldWrites: { ...survivor.fieldWrites },
  };
  // Which profile each field's value came from: after the first absorbed profile, the survivor may hold another's value.
  const origins = new Map<string, string>();
  for (const other of absorbed) {
    const decisions: Decision[] = [];
    const held = new Set(merged.identifiers.map(identifierKey));
    merged = absorb(merged, other, decisions, origins);
    for (const identifier of other.identifiers) {
      // A non-unique value both held (a shared household id) stays where it was: nothing moved.
      if (held.has(identifierKey(identifier))) continue;
      recordIdentityChange(domain, scope, merged.id, {
        type: identifier.type,
        value: identifier.value,
        action: "moved",
        from: other.id,
        to: merged.id,
      });
    }
    domain.store.putCustomer(aliasOf(other, merged.id, at));
    // The absorbed profile's own aliases now act on this survivor: each names it, and it lists them.
    for (const aliasId of other.aliases ?? []) {
      const alias = domain.store.getCustomer(scope.workspaceId, aliasId);
      if (alias) domain.store.putCustomer({ ...alias, mergedInto: merged.id });
    }
    merged.aliases = [...(merged.aliases ?? []), other.id, ...(other.aliases ?? [])];
    domain.store.moveEvents(scope.workspaceId, other.id, merged.id);
    // Both consent histories stay readable on the survivor; per purpose the latest decision wins.
    domain.store.moveConsents(scope.workspaceId, other.id, merged.id);
    domain.store.moveSubscriptions(scope.workspaceId, other.id, merged.id);
    recordChange(domain, scope, merged.id, { kind: "merged", merge: { absorbed: other.id, rule, decisions } });
  }
  merged.updatedAt = at;
  merged.restricted = restrictedAfterMerge(domain, scope.workspaceId, merged.id) ?? merged.restricted;
  domain.store.putCustomer(merged);
  return merged;
}

/**
 * Manual merge (admin): `from` into `into`, refused when it would break an identifier limit unless
 * forced. An old (merged) id acts on its survivor, as everywhere else: given as `into`, the survivor
 * receives; in `from`, its survivor is merged, or, when that is already `into`'s, nothing is to do.
 */
export function mergeCustomers(
  domain: Domain,
  scope: Scope,
  input: { into: string; from: string[]; force?: boolean | undefined },
): { customer: Customer; merged: string[]; alreadyMerged: string[] } {
  const into = findCustomer(domain, scope, input.into);
  if (!into) throw new DomainError("not_found", "No customer with that id.", [{ path: "body.into", message: "no customer with that id" }]);
  const others: CustomerRecord[] = [];
  // Where the body named each profile, for a refusal that says which one.
  const places = [{ record: into, path: "body.into" }];
  const alreadyMerged: string[] = [];
  for (const [index, id] of input.from.entries()) {
    const record = findCustomer(domain, scope, id);
    if (!record)
      throw new DomainError("not_found", "No customer with that id.", [
        { path: `body.from.${index}`, message: "no customer with that id" },
      ]);
    if (record.id !== into.id) {
      if (!others.some((other) => other.id === record.id)) {
        others.push(record);
        places.push({ record, path: `body.from.${index}` });
      }
    } else if (id === into.id) {
      // `into` was an old id of this very profile (the contract refuses `from` repeating `into` as given).
      throw new DomainError("validation_failed", "A profile cannot merge into itself.", [
        { path: `body.from.${index}`, message: `is the profile into names (${input.into} was merged into ${into.id})` },
      ]);
    } else {
      alreadyMerged.push(id);
    }
  }
  if (others.length === 0) return { customer: toCustomer(into), merged: [], alreadyMerged };
  if (others.length + 1 > maxProfilesPerMerge) {
    throw new DomainError("identifier_limit", `One merge joins at most ${maxProfilesPerMerge} profiles.`, [
      { path: "body.from", message: `at most ${maxProfilesPerMerge - 1}` },
    ]);
  }
  const all = [into, ...others];
  assertWritableAt(places, scope);
  const total = all.reduce((sum, profile) => sum + profile.identifiers.length, 0);
  if (total > maxIdentifiersPerCustomer) {
    throw new DomainError(
      "identifier_limit",
      `The merged profile would hold ${total} identifiers; a profile holds at most ${maxIdentifiersPerCustomer}.`,
      [{ path: "body.from", message: `${total} identifiers > ${maxIdentifiersPerCustomer}` }],
    );
  }
  const breach = limitBreach(
    all.flatMap((profile) => profile.identifiers),
    getSettings(domain, scope.workspaceId),
    all,
  );
  if (breach && !input.force) {
    throw new DomainError(
      "identifier_limit",
      `The merged profile would hold ${breach.count} ${breach.type} identifiers (limit ${breach.limit}); send force: true to merge anyway.`,
      [{ path: "body.from", message: `${breach.type}: ${breach.count} > ${breach.limit}` }],
    );
  }
  const survivor = mergeProfiles(domain, scope, all, "manual", into.id);
  return { customer: toCustomer(survivor), merged: others.map((other) => other.id), alreadyMerged };
}

/**
 * What is left of an absorbed profile: its id, its creation time and where it went. Its data moved
 * to the survivor, so the alias keeps none of it (a search for its old name must not find it).
 */
function aliasOf(profile: CustomerRecord, survivorId: string, at: string): CustomerRecord {
  return emptyCustomer(profile.id, profile.workspaceId, survivorId, profile.createdAt, at);
}

/**
 * Folds `other` into `into`, recording the decision for each field. `origins` says which profile a
 * field's value in `into` came from (absent: `into` itself), and learns the fields `other` wins.
 */
function absorb(into: CustomerRecord, other: CustomerRecord, decisions: Decision[], origins: Map<string, string>): CustomerRecord {
  const next: CustomerRecord = { ...into, base: { ...into.base }, properties: { ...into.properties }, traits: { ...into.traits } };
  const sections = [
    ["", "base"],
    ["properties.", "properties"],
    ["traits.", "traits"],
  ] as const;
  for (const [prefix, section] of sections) {
    const fields = new Set([...Object.keys(into[section]), ...Object.keys(other[section])]);
    for (const name of fields) {
      const field = `${prefix}${name}`;
      const mine = own(into[section], name);
      const theirs = own(other[section], name);
      const mineFrom = origins.get(field) ?? into.id;
      if (isEmpty(theirs)) {
        if (!isEmpty(mine)) decisions.push({ field, value: mine, from: mineFrom, rule: "only_value" });
        continue;
      }
      if (isEmpty(mine)) {
        setOwn(next[section], name, theirs);
        copyWrite(next, other, field);
        origins.set(field, other.id);
        decisions.push({ field, value: theirs, from: other.id, rule: "non_empty" });
        continue;
      }
      const theirsLater = writeTime(other, field) > writeTime(into, field);
      if (theirsLater) {
        setOwn(next[section], name, theirs);
        copyWrite(next, other, field);
        origins.set(field, other.id);
      }
      decisions.push({ field, value: theirsLater ? theirs : mine, from: theirsLater ? other.id : mineFrom, rule: "latest_write" });
    }
  }
  const tags = [...new Set([...into.tags, ...other.tags])];
  if (other.tags.length) decisions.push({ field: "tags", value: tags, from: into.id, rule: "union" });
  next.tags = tags;
  const held = new Set(into.identifiers.map(identifierKey));
  next.identifiers = [...into.identifiers, ...other.identifiers.filter((identifier) => !held.has(identifierKey(identifier)))];
  return next;
}

/**
 * No value: what never overwrites a real one, in a merge, a sync and a tracking write. `null`, a
 * string of nothing but white space (`""`, `"   "`), and a list or an object holding only such
 * values (`[]`, `{}`, `{ city: "" }`, `{ color: null }`), at any depth.
 */
export function isEmpty(value: unknown, depth = 0): boolean {
  if (value === undefined || value === null) return true;
  if (typeof value === "string") return value.trim() === "";
  if (typeof value !== "object") return false;
  // Deeper than any body may nest (the API refuses depth 32): not worth reading further.
  if (depth > 32) return false;
  if (Array.isArray(value)) {
    for (const item of value) if (!isEmpty(item, depth + 1)) return false;
    return true;
  }
  for (const key in value) if (Object.hasOwn(value, key) && !isEmpty((value as Record<string, unknown>)[key], depth + 1)) return false;
  return true;
}

/** When a field was last written; a field with no record counts from the profile's creation. */
function writeTime(profile: CustomerRecord, field: string): string {
  return profile.fieldWrites[field]?.at ?? profile.createdAt;
}

function copyWrite(into: CustomerRecord, from: CustomerRecord, field: string): void {
  const write: FieldWrite | undefined = from.fieldWrites[field];
  if (write) into.fieldWrites = { ...into.fieldWrites, [field]: write };
}

/** A field's own value: a trait named "constructor" must not read Object.prototype's. */
function own(record: Record<string, unknown>, name: string): unknown {
  return Object.hasOwn(record, name) ? record[name] : undefined;
}
