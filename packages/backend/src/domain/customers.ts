import {
  type ApiIssue,
  basePropertyNames,
  Customer,
  type CustomerCreate,
  type CustomerCreated,
  type CustomerProjection,
  type CustomerUpdate,
  type Identifier,
  normalizeIdentifier,
} from "@cdp/contract";
import { holdsIdentifier } from "../store/fields.js";
import type { CustomerRecord, IdentifierRecord } from "../store/records.js";
import { recordChange, recordIdentityChange } from "./changelog.js";
import type { Domain, Scope } from "./context.js";
import { now } from "./context.js";
import { DomainError, notFound } from "./errors.js";
import {
  checkIdentifierLimits,
  identifierKey,
  identifierRecord,
  isMatchable,
  newCustomer,
  normalizeForApi,
  type PlacedIdentifier,
  resolveAndApply,
  resolveIdentifiers,
} from "./identity.js";
import { isEmpty } from "./merge.js";
import { copyObject, isPlainObject, mergePatch, sameJson, setOwn } from "./patch.js";
import { refuseErasedIdentifiers } from "./privacy.js";
import { checkProperties, storedProperties } from "./properties.js";
import { assertHoldersWritable, assertWritable, assertWritableAt } from "./restriction.js";
import { assertRoomForTypes, getSettings } from "./settings.js";
import { endSubscriptionsOfValue } from "./subscriptions.js";

/** Base properties a request may write: all but the identifier mirrors. */
const writableBase = basePropertyNames.filter((name) => name !== "email" && name !== "phone");

export interface CreateResult {
  customer: Customer;
  outcome: "created" | "updated" | "merged";
  dropped?: CustomerCreated["dropped"];
}

/**
 * Creates a customer. When an identifier already belongs to a profile: 409, or with
 * `onConflict: "merge"` that profile takes the request's values (the sync rule).
 */
export function createCustomer(domain: Domain, scope: Scope, given: CustomerCreate): CreateResult {
  const input = withStoredProperties(domain, scope, given);
  const placed: PlacedIdentifier[] = (input.identifiers ?? []).map((identifier, index) => ({
    identifier,
    path: `body.identifiers.${index}.value`,
  }));
  if (input.email !== undefined) placed.push({ identifier: { type: "email", value: input.email }, path: "body.email" });
  if (input.phone !== undefined) placed.push({ identifier: { type: "phone", value: input.phone }, path: "body.phone" });
  const settings = getSettings(domain, scope.workspaceId);
  const identifiers = normalizeForApi(domain, placed, settings);
  assertRoomForTypes(domain, scope.workspaceId, settings, input.identifiers ?? [], (index) => `body.identifiers.${index}.type`);
  // A sync resolves as tracking does, so it re-creates no erased person; a plain create (a new sign-up) may.
  if (input.onConflict === "merge") refuseErasedIdentifiers(domain, scope, identifiers, "body");

  const holders = new Map<string, Identifier[]>();
  for (const identifier of identifiers) {
    // A non-unique value may be held by any number of profiles: it never conflicts.
    if (!isMatchable(settings, identifier.type)) continue;
    const holder = domain.store.findCustomerIdByIdentifier(scope.workspaceId, identifier.type, identifier.value);
    if (holder !== undefined) holders.set(holder, [...(holders.get(holder) ?? []), identifier]);
  }

  if (holders.size === 0) {
    checkIdentifierLimits(identifiers, settings);
    const at = now(domain);
    const record = newCustomer(domain, scope, at);
    record.identifiers = identifiers.map((identifier) => identifierRecord(identifier, at, scope.source));
    applyWrite(domain, scope, record, input, "create");
    domain.store.putCustomer(record);
    recordChange(domain, scope, record.id, { kind: "created", changes: writtenFields(input) });
    for (const identifier of identifiers) recordIdentityChange(domain, scope, record.id, { ...identifier, action: "added" });
    return { customer: toCustomer(record), outcome: "created" };
  }

  if (input.onConflict === "merge") return syncCustomer(domain, scope, input, identifiers, placed);

  const issues: ApiIssue[] = [];
  for (const held of holders.values()) {
    for (const identifier of held) {
      const at = placed.findIndex((place) => sameAfterNormalizing(domain, place.identifier, identifier));
      issues.push({ path: placed[at]?.path ?? "body.identifiers", message: `${identifier.type} belongs to another profile` });
    }
  }
  throw new DomainError(
    "identifier_conflict",
    'An identifier belongs to another profile. Send onConflict: "merge" to update that profile instead.',
    issues,
  );
}

/**
 * The sync rule (`onConflict: "merge"`): identity resolution picks the profile (creating one when
 * none matches, merging when several do) and the request's values are written onto it.
 */
function syncCustomer(
  domain: Domain,
  scope: Scope,
  input: CustomerCreate,
  identifiers: Identifier[],
  placed: readonly PlacedIdentifier[],
): CreateResult {
  const settings = getSettings(domain, scope.workspaceId);
  const { holders } = resolveIdentifiers(domain, scope.workspaceId, identifiers, settings);
  // Everything that can refuse the request is checked before anything is written.
  assertHoldersWritable(domain, scope, holders, placed);
  if (input.properties) {
    checkProperties(domain, scope.workspaceId, input.properties, Object.keys(input.properties), { required: holders.length === 0 });
  } else if (holders.length === 0) {
    checkProperties(domain, scope.workspaceId, {}, []);
  }
  const { customer, created, dropped } = resolveAndApply(domain, scope, identifiers, (found) =>
    assertHoldersWritable(domain, scope, found, placed),
  );
  const outcome = created ? "created" : holders.length > 1 ? "merged" : "updated";
  // DESIGN §4: never a silent drop. The answer names each identifier the profile did not take (a
  // second userId, an email another profile keeps), its place in the body and the rule; the changelog has it too.
  const left = dropped
    .filter(({ identifier }) => !holdsIdentifier(customer.identifiers, identifier))
    .map(({ identifier, rule }) => ({
      path: placed.find((place) => sameAfterNormalizing(domain, place.identifier, identifier))?.path ?? "body.identifiers",
      type: identifier.type,
      value: identifier.value,
      rule,
    }));
  const answer = (record: CustomerRecord): CreateResult =>
    left.length ? { customer: toCustomer(record), outcome, dropped: left } : { customer: toCustomer(record), outcome };
  const write = created ? input : syncedWrite(input, customer);
  const changes = writtenFields(write);
  // Identifiers only, or nothing the profile lacks: resolution did what there was to do.
  if (Object.keys(changes).length === 0) return answer(customer);
  const record = cloneRecord(customer);
  applyWrite(domain, scope, record, write, created ? "create" : "sync", { required: created });
  record.updatedAt = now(domain);
  domain.store.putCustomer(record);
  recordChange(domain, scope, record.id, { kind: "updated", changes });
  return answer(record);
}

/** Reads a customer; a merged id answers with the profile it merged into. */
export function getCustomer(
  domain: Domain,
  scope: Scope,
  id: string,
  /** Where the request named the id, when in its body (`body.customerId`): the 404's issue names it, as merge's do. */
  path?: string,
): CustomerRecord {
  const record = findCustomer(domain, scope, id);
  if (!record) {
    if (path === undefined) throw notFound("customer");
    throw new DomainError("not_found", "No customer with that id.", [{ path, message: "no customer with that id" }]);
  }
  return record;
}

/** The live customer an id names (following merges), or undefined. */
export function findCustomer(domain: Domain, scope: Scope, id: string): CustomerRecord | undefined {
  let record = domain.store.getCustomer(scope.workspaceId, id);
  for (let hops = 0; record?.status === "merged" && record.mergedInto && hops < 100; hops++) {
    record = domain.store.getCustomer(scope.workspaceId, record.mergedInto);
  }
  return record?.status === "active" ? record : undefined;
}

/** Applies a JSON merge patch; identifiers never change here. */
export function updateCustomer(domain: Domain, scope: Scope, id: string, given: CustomerUpdate): Customer {
  const existing = getCustomer(domain, scope, id);
  const patch = withStoredProperties(domain, scope, given);
  assertWritable(existing, scope);
  const record = cloneRecord(existing);
  applyWrite(domain, scope, record, patch, "patch");
  record.updatedAt = now(domain);
  domain.store.putCustomer(record);
  recordChange(domain, scope, record.id, { kind: "updated", changes: writtenFields(patch) });
  return toCustomer(record);
}

/** Removes a customer for good: a later GET of its id answers 404. */
export function deleteCustomer(domain: Domain, scope: Scope, id: string): { id: string; deleted: true } {
  const record = getCustomer(domain, scope, id);
  assertWritable(record, scope);
  deleteWithAliases(domain, scope, record);
  return { id: record.id, deleted: true };
}

/** Deletes up to 100 customers, all or nothing: one unknown id and nothing is deleted. */
export function bulkDeleteCustomers(domain: Domain, scope: Scope, ids: readonly string[]): { deleted: number; ids: string[] } {
  const missing: ApiIssue[] = [];
  const records = new Map<string, CustomerRecord>();
  const named: { record: CustomerRecord; path: string }[] = [];
  for (const [index, id] of ids.entries()) {
    // An old (merged) id acts on its survivor, as get and delete do.
    const record = findCustomer(domain, scope, id);
    if (!record) missing.push({ path: `body.ids.${index}`, message: "no customer with that id" });
    else {
      records.set(record.id, record);
      named.push({ record, path: `body.ids.${index}` });
    }
  }
  if (missing.length) throw new DomainError("not_found", "Some customers do not exist; nothing was deleted.", missing);
  assertWritableAt(named, scope);
  for (const record of records.values()) deleteWithAliases(domain, scope, record);
  return { deleted: records.size, ids: [...records.keys()] };
}

/** A deleted profile's old (merged) ids go with it: none may stay behind as a record of the person. */
function deleteWithAliases(domain: Domain, scope: Scope, record: CustomerRecord): void {
  for (const alias of record.aliases ?? []) domain.store.deleteCustomer(scope.workspaceId, alias);
  domain.store.deleteCustomer(scope.workspaceId, record.id);
}

/**
 * Adds an identifier. When another live profile holds it: 409, or with `move` it leaves that
 * profile for this one. Adding one the customer already holds changes nothing. A value of a
 * non-unique type is added whoever else holds it (`move` takes it from nobody).
 */
export function addIdentifier(domain: Domain, scope: Scope, id: string, input: Identifier & { move?: boolean | undefined }): Customer {
  const record = getCustomer(domain, scope, id);
  assertWritable(record, scope);
  const settings = getSettings(domain, scope.workspaceId);
  const [identifier] = normalizeForApi(domain, [{ identifier: { type: input.type, value: input.value }, path: "body.value" }], settings);
  assertRoomForTypes(domain, scope.workspaceId, settings, [input], () => "body.type");
  const wanted = identifier as Identifier;
  const key = identifierKey(wanted);
  const alreadyHeld = record.identifiers.some((held) => identifierKey(held) === key);
  // Several live profiles hold a value of a unique type only when it was non-unique once: `move` takes it from all of them.
  const holderIds = isMatchable(settings, wanted.type)
    ? domain.store.findCustomerIdsByIdentifier(scope.workspaceId, wanted.type, wanted.value).filter((holderId) => holderId !== record.id)
    : [];
  if (holderIds.length === 0 && alreadyHeld) return toCustomer(record);
  if (holderIds.length > 0 && !input.move) {
    throw new DomainError("identifier_conflict", "Another profile holds this identifier. Send move: true to take it from there.", [
      { path: "body.value", message: `${wanted.type} belongs to another profile` },
    ]);
  }
  const holders = holderIds
    .map((holderId) => domain.store.getCustomer(scope.workspaceId, holderId))
    .filter((holder) => holder !== undefined);
  // Moving the value writes to the profile holding it: a restricted one refuses, named at the value.
  assertWritableAt(
    holders.map((holder) => ({ record: holder, path: "body.value" })),
    scope,
  );
  const at = now(domain);
  const next = cloneRecord(record);
  if (!alreadyHeld) next.identifiers.push({ ...wanted, addedAt: at, source: scope.source });
  checkIdentifierLimits(next.identifiers, settings, "body.value", [record]);
  next.updatedAt = at;
  for (const holder of holders) {
    const rest = cloneRecord(holder);
    rest.identifiers = rest.identifiers.filter((held) => identifierKey(held) !== key);
    rest.updatedAt = at;
    domain.store.putCustomer(rest);
    recordIdentityChange(domain, scope, holder.id, { ...wanted, action: "moved", from: holder.id, to: next.id });
    recordChange(domain, scope, holder.id, { kind: "identifier_moved", identifier: wanted, from: holder.id, to: next.id });
    // A subscription belongs to its contact value: the old holder's ends, the new one starts afresh.
    endSubscriptionsOfValue(domain, scope, holder.id, wanted);
  }
  domain.store.putCustomer(next);
  if (holders.length === 0) {
    recordIdentityChange(domain, scope, next.id, { ...wanted, action: "added" });
    recordChange(domain, scope, next.id, { kind: "identifier_added", identifier: wanted });
  } else {
    for (const holder of holders) {
      recordIdentityChange(domain, scope, next.id, { ...wanted, action: "moved", from: holder.id, to: next.id });
      recordChange(domain, scope, next.id, { kind: "identifier_moved", identifier: wanted, from: holder.id, to: next.id });
    }
  }
  return toCustomer(next);
}

/** Removes an identifier the customer holds (the value is normalised first); 404 when it holds no such one. */
export function removeIdentifier(domain: Domain, scope: Scope, id: string, type: string, value: string): Customer {
  const record = getCustomer(domain, scope, id);
  assertWritable(record, scope);
  const normalized = normalizeIdentifier({ type, value }, { parsePhone: domain.parsePhone });
  const key = normalized.ok ? identifierKey(normalized.identifier) : undefined;
  if (!key || !record.identifiers.some((held) => identifierKey(held) === key)) {
    throw new DomainError("not_found", "The customer holds no such identifier.");
  }
  const next = cloneRecord(record);
  const removed = record.identifiers.find((held) => identifierKey(held) === key) as Identifier;
  next.identifiers = next.identifiers.filter((held) => identifierKey(held) !== key);
  next.updatedAt = now(domain);
  domain.store.putCustomer(next);
  recordIdentityChange(domain, scope, next.id, { type: removed.type, value: removed.value, action: "removed" });
  recordChange(domain, scope, next.id, { kind: "identifier_removed", identifier: { type: removed.type, value: removed.value } });
  endSubscriptionsOfValue(domain, scope, next.id, removed);
  return toCustomer(next);
}

/**
 * The customer holding an identifier; the value is normalised first (` A@X.com ` finds `a@x.com`).
 * A type declared non-unique identifies nobody (several customers may share a value): 422
 * `identifier_not_unique`, pointing at search. A value still shared from a type's non-unique days
 * answers its oldest holder, the one identity resolution matches.
 */
export function lookupCustomer(domain: Domain, scope: Scope, type: string, value: string): Customer {
  if (!isMatchable(getSettings(domain, scope.workspaceId), type)) {
    throw new DomainError(
      "identifier_not_unique",
      `${type} is declared non-unique in this workspace, so a value may belong to several customers and identifies none. Find them with POST /v1/customers/search: { "conditions": [{ "field": "identifiers.${type}", "op": "eq", "value": … }] }.`,
      [{ path: "query.type", message: `${type} is not unique; search by identifiers.${type} instead` }],
    );
  }
  const normalized = normalizeIdentifier({ type, value }, { parsePhone: domain.parsePhone });
  if (!normalized.ok) throw new DomainError("not_found", "No customer holds that identifier.");
  const id = domain.store.findCustomerIdByIdentifier(scope.workspaceId, normalized.identifier.type, normalized.identifier.value);
  if (id === undefined) throw new DomainError("not_found", "No customer holds that identifier.");
  return toCustomer(getCustomer(domain, scope, id));
}

/** The API's view of a record: email and phone mirror the first identifier of their type. */
export function toCustomer(record: CustomerRecord): Customer {
  const base = record.base;
  const text = (name: string) => (typeof base[name] === "string" ? (base[name] as string) : null);
  return {
    id: record.id,
    status: record.status,
    mergedInto: record.mergedInto,
    restricted: record.restricted,
    firstName: text("firstName"),
    lastName: text("lastName"),
    birthDate: text("birthDate"),
    gender: text("gender"),
    locale: text("locale"),
    timeZone: text("timeZone"),
    email: record.identifiers.find((identifier) => identifier.type === "email")?.value ?? null,
    phone: record.identifiers.find((identifier) => identifier.type === "phone")?.value ?? null,
    address: (base.address as Customer["address"]) ?? null,
    company: text("company"),
    jobTitle: text("jobTitle"),
    properties: copyObject(record.properties),
    traits: copyObject(record.traits),
    identifiers: record.identifiers.map(({ type, value }) => ({ type, value })),
    tags: [...record.tags],
    createdAt: record.createdAt,
    updatedAt: record.updatedAt,
  };
}

/** Projects a customer to the fields asked for; `id` is always there. */
export function projectCustomer(customer: Customer, fields: readonly string[] | undefined): CustomerProjection {
  if (!fields) return customer;
  const out: Record<string, unknown> = { id: customer.id };
  for (const field of fields) if (field in customer) out[field] = customer[field as keyof Customer];
  return out as CustomerProjection;
}

/** The fields a customer has, from the contract's schema: what `fields=` may name. */
export const customerFields: readonly string[] = Object.keys(Customer.shape);

/** Parses `fields=a,b`, naming any field a customer does not have. */
export function parseFields(fields: string | undefined, path: string): string[] | undefined {
  if (fields === undefined) return undefined;
  const names = fields.split(",");
  const unknown = names.filter((name) => !customerFields.includes(name));
  if (unknown.length) {
    throw new DomainError("validation_failed", "Unknown fields", [
      {
        path,
        message: `unknown field${unknown.length > 1 ? "s" : ""}: ${unknown.join(", ")}; a customer has ${customerFields.join(", ")}`,
      },
    ]);
  }
  return names;
}

/** A write with its extended properties as the store keeps them (datetimes as instants): what is written and what the changelog records. */
function withStoredProperties<T extends CustomerCreate | CustomerUpdate>(domain: Domain, scope: Scope, input: T): T {
  if (!input.properties) return input;
  const properties = storedProperties(domain, scope.workspaceId, input.properties);
  return properties === input.properties ? input : { ...input, properties };
}

type WriteMode = "create" | "sync" | "patch";

/**
 * Writes base properties, extended properties, traits and tags into `record`. create and sync
 * set values (sync unites tags); patch follows RFC 7396 (null removes, tags replace).
 */
function applyWrite(
  domain: Domain,
  scope: Scope,
  record: CustomerRecord,
  input: CustomerCreate | CustomerUpdate,
  mode: WriteMode,
  options: { required?: boolean } = {},
): void {
  const at = now(domain);
  // Every field of this write shares one record of it.
  const write = { source: scope.source, at };
  const written = (field: string) => {
    record.fieldWrites[field] = write;
  };
  const fields = input as Record<string, unknown>;
  for (const name of writableBase) {
    if (!Object.hasOwn(fields, name) || fields[name] === undefined) continue;
    const value = fields[name];
    if (value === null) {
      if (mode === "patch") delete record.base[name];
      continue;
    }
    record.base[name] = name === "address" ? mergePatch(record.base.address, value) : value;
    written(name);
  }
  if (isEmptyObject(record.base.address)) delete record.base.address;

  if (input.properties !== undefined) {
    const next = input.properties === null ? {} : (mergePatch(record.properties, input.properties) as Record<string, unknown>);
    checkProperties(domain, scope.workspaceId, next, Object.keys(input.properties ?? {}), options);
    for (const key of Object.keys(input.properties ?? {})) written(`properties.${key}`);
    record.properties = next;
  } else if (mode === "create" && options.required !== false) {
    checkProperties(domain, scope.workspaceId, record.properties, []);
  }
  if (input.traits !== undefined) {
    record.traits = input.traits === null ? {} : (mergePatch(record.traits, input.traits) as Record<string, unknown>);
    for (const key of Object.keys(input.traits ?? {})) written(`traits.${key}`);
  }
  if (input.tags !== undefined) {
    const tags = input.tags ?? [];
    record.tags = mode === "sync" ? [...new Set([...record.tags, ...tags])] : [...new Set(tags)];
    written("tags");
  }
}

/** What a create or sync body holds beside the profile's fields: identifiers (resolved, not written as fields) and the conflict rule. */
const notFields: ReadonlySet<string> = new Set(["onConflict", "identifiers", "email", "phone"]);

/** The fields a write names, with the values it gives them (null: removed). */
function writtenFields(input: CustomerCreate | CustomerUpdate): Record<string, unknown> {
  const changes: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(input)) {
    if (value === undefined || notFields.has(key)) continue;
    setOwn(changes, key, value);
  }
  return changes;
}

/**
 * What a sync writes onto the profile it found. A sync adds and updates, never empties (DESIGN §4:
 * an empty value never overwrites a real one), so it leaves out empty values at any depth of a base
 * field, `address`, `properties` and `traits` (`""`, `null`, `{ city: "" }`), values the profile
 * holds already, and tags it has: what is left is what changes, and a sync of nothing new writes nothing.
 */
function syncedWrite(input: CustomerCreate, record: CustomerRecord): CustomerCreate {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(input)) {
    if (value === undefined) continue;
    if (notFields.has(key)) setOwn(out, key, value);
    else if (key === "tags") {
      const added = (value as string[]).filter((tag) => !record.tags.includes(tag));
      if (added.length) out.tags = added;
    } else if (key === "properties" || key === "traits") {
      const changed = changedMembers(value, record[key]);
      if (changed !== undefined) setOwn(out, key, changed);
    } else {
      const changed = changedMembers(value, Object.hasOwn(record.base, key) ? record.base[key] : undefined);
      if (changed !== undefined) setOwn(out, key, changed);
    }
  }
  return out as CustomerCreate;
}

/** Of a value written over `current`, what changes it: none (undefined) when empty or the same; of an object, its changed members. */
function changedMembers(value: unknown, current: unknown): unknown {
  if (isEmpty(value)) return undefined;
  if (!isPlainObject(value)) return sameJson(value, current) ? undefined : value;
  const out: Record<string, unknown> = {};
  let any = false;
  for (const [key, member] of Object.entries(value)) {
    const changed = changedMembers(member, isPlainObject(current) && Object.hasOwn(current, key) ? current[key] : undefined);
    if (changed === undefined) continue;
    setOwn(out, key, changed);
    any = true;
  }
  return any ? out : undefined;
}

function isEmptyObject(value: unknown): boolean {
  return typeof value === "object" && value !== null && Object.keys(value).length === 0;
}

function cloneRecord(record: CustomerRecord): CustomerRecord {
  const base: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(record.base)) setOwn(base, key, value);
  return {
    ...record,
    base,
    properties: copyObject(record.properties),
    traits: copyObject(record.traits),
    identifiers: record.identifiers.map((identifier): IdentifierRecord => ({ ...identifier })),
    tags: [...record.tags],
    fieldWrites: { ...record.fieldWrites },
  };
}

function sameAfterNormalizing(domain: Domain, raw: Identifier, normalized: Identifier): boolean {
  const result = normalizeIdentifier(raw, { parsePhone: domain.parsePhone });
  return result.ok && identifierKey(result.identifier) === identifierKey(normalized);
}
