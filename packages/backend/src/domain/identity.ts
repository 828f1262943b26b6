import { type ApiIssue, type Identifier, type IdentityChange, normalizeIdentifier, type Settings } from "@cdp/contract";
import { holdsIdentifier as holds } from "../store/fields.js";
import { byAge, type CustomerRecord, type IdentifierRecord } from "../store/records.js";
import { identityChangesOf, recordChange, recordIdentityChange } from "./changelog.js";
import type { Domain, Scope } from "./context.js";
import { now } from "./context.js";
import { DomainError } from "./errors.js";
import { mergeProfiles } from "./merge.js";
import { getSettings, ruleOf } from "./settings.js";

/** A profile may hold at most this many identifiers in all, and one merge may join at most this many profiles (DESIGN §4). */
export const maxIdentifiersPerCustomer = 1_000;
export const maxProfilesPerMerge = 50;

export interface PlacedIdentifier {
  identifier: Identifier;
  /** Where the request carried it, for error paths: `body.identifiers.0.value`, `body.email`. */
  path: string;
}

/**
 * Normalises identifiers given through the API. An invalid value is a 400 naming its place; a
 * blocked one a 422 (`blocked_identifier`). Duplicates after normalisation collapse into one.
 */
export function normalizeForApi(domain: Domain, placed: PlacedIdentifier[], settings?: Settings): Identifier[] {
  const invalid: ApiIssue[] = [];
  const blocked: ApiIssue[] = [];
  const seen = new Map<string, Identifier>();
  for (const { identifier, path } of placed) {
    const result = normalizeIdentifier(identifier, { parsePhone: domain.parsePhone, blocked: settings?.identity.blockedValues ?? [] });
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

/** An identifier's value is at most this long (the contract's cap); a longer one is dropped like an invalid one. */
export const maxIdentifierLength = 512;

/** A value a tracking message carried that identifies no one: which one (its index), and the rule. */
export interface TrackingDrop {
  index: number;
  identifier: Identifier;
  rule: "blocked value" | "invalid email" | "invalid phone" | "too long";
  message: string;
}

/**
 * Normalises identifiers from a tracking message: invalid and blocked values are dropped, not the
 * message. Given `drops`, each drop is reported there (duplicates are not drops).
 */
export function normalizeForTracking(domain: Domain, identifiers: Identifier[], settings: Settings, drops?: TrackingDrop[]): Identifier[] {
  const out: Identifier[] = [];
  const options = { parsePhone: domain.parsePhone, blocked: settings.identity.blockedValues };
  for (let index = 0; index < identifiers.length; index++) {
    const identifier = identifiers[index] as Identifier;
    const result = normalizeIdentifier(identifier, options);
    if (!result.ok) {
      const rule = result.reason === "blocked" ? "blocked value" : result.reason === "invalid_email" ? "invalid email" : "invalid phone";
      drops?.push({ index, identifier, rule, message: result.message });
      continue;
    }
    if (result.identifier.value.length > maxIdentifierLength) {
      drops?.push({ index, identifier, rule: "too long", message: `longer than ${maxIdentifierLength} characters` });
      continue;
    }
    const { type, value } = result.identifier;
    // A message carries a handful of identifiers: a scan finds duplicates sooner than a map.
    if (!out.some((kept) => kept.type === type && kept.value === value)) out.push(result.identifier);
  }
  return out;
}

/**
 * The first type over its limit in a set of identifiers, or undefined. `already` are the profiles
 * the set is made of: a type they hold over its limit (a limit lowered since) is over only when the
 * set holds more of it than the fullest of them, so a write never adds to the excess but a
 * profile's own values keep it matched.
 */
export function limitBreach(
  identifiers: ReadonlyArray<Identifier>,
  settings: Settings,
  already: ReadonlyArray<{ identifiers: ReadonlyArray<Identifier> }> = [],
): { type: string; limit: number; count: number } | undefined {
  const counts = new Map<string, number>();
  for (const identifier of identifiers) counts.set(identifier.type, (counts.get(identifier.type) ?? 0) + 1);
  for (const [type, count] of counts) {
    const { limit } = ruleOf(settings, type);
    if (count <= limit) continue;
    // Profiles about to merge may share a value of a non-unique type: the survivor holds it once.
    const distinct = distinctValues(identifiers, type);
    if (distinct <= limit) continue;
    let held = 0;
    for (const profile of already) held = Math.max(held, distinctValues(profile.identifiers, type));
    if (distinct > held) return { type, limit, count: distinct };
  }
  return undefined;
}

function distinctValues(identifiers: ReadonlyArray<Identifier>, type: string): number {
  const values = new Set<string>();
  for (const identifier of identifiers) if (identifier.type === type) values.add(identifier.value);
  return values.size;
}

/** Refuses a set of identifiers that breaks a type's limit or the per-profile cap. */
export function checkIdentifierLimits(
  identifiers: ReadonlyArray<Identifier>,
  settings: Settings,
  path = "body.identifiers",
  already: ReadonlyArray<{ identifiers: ReadonlyArray<Identifier> }> = [],
): void {
  if (identifiers.length > maxIdentifiersPerCustomer) {
    throw new DomainError("identifier_limit", `A profile holds at most ${maxIdentifiersPerCustomer} identifiers`, [
      { path, message: `more than ${maxIdentifiersPerCustomer} identifiers` },
    ]);
  }
  const breach = limitBreach(identifiers, settings, already);
  if (breach) {
    throw new DomainError("identifier_limit", "A profile would hold more identifiers of a type than its limit", [
      {
        path,
        message: `a profile holds at most ${breach.limit} ${breach.type} identifier${breach.limit === 1 ? "" : "s"}; this would make ${breach.count}`,
      },
    ]);
  }
}

export function identifierKey(identifier: Identifier): string {
  return `${identifier.type}\u0000${identifier.value}`;
}

/**
 * Identifier types whose values belong to one live profile; a type declared non-unique is stored,
 * never matched: no resolution, lookup, conflict or move goes by it (DESIGN §4).
 */
export function isMatchable(settings: Settings, type: string): boolean {
  return ruleOf(settings, type).unique;
}

/** The live profiles holding any of the identifiers, oldest first. */
function holdersOf(domain: Domain, workspaceId: string, identifiers: readonly Identifier[], settings: Settings): CustomerRecord[] {
  return lookUp(domain, workspaceId, identifiers, settings).holders;
}

export interface Resolution {
  /** The profiles the message joins (oldest first): none → create, one → attach, several → merge. */
  holders: CustomerRecord[];
  /** The message's identifiers that take part. */
  kept: Identifier[];
  /** The message's identifiers dropped to respect a limit, with the rule that fired. */
  dropped: Array<{ identifier: Identifier; rule: string }>;
}

/**
 * DESIGN §4, as a pure decision over the store: match every identifier; when attaching or merging
 * would give a profile more values of a type than its limit, drop the message's lowest-priority
 * identifier and match again. Writes nothing.
 */
export function resolveIdentifiers(
  domain: Domain,
  workspaceId: string,
  identifiers: readonly Identifier[],
  settings: Settings,
): Resolution {
  // The common case (a returning visitor): every identifier already on one profile, so nothing can clash.
  const { known, holders } = lookUp(domain, workspaceId, identifiers, settings);
  if (known) return { holders: [known], kept: [...identifiers], dropped: [] };
  return resolveUnknown(domain, workspaceId, identifiers, settings, holders);
}

/**
 * `resolveIdentifiers` once the identifiers are known not to be all on one profile; `firstHolders`
 * are the live profiles holding them, as `lookUp` found them.
 */
function resolveUnknown(
  domain: Domain,
  workspaceId: string,
  identifiers: readonly Identifier[],
  settings: Settings,
  firstHolders: CustomerRecord[],
): Resolution {
  const kept = [...identifiers];
  const dropped: Resolution["dropped"] = [];
  for (;;) {
    const holders = dropped.length === 0 ? firstHolders : holdersOf(domain, workspaceId, kept, settings);
    const combined = unionOf(holders, kept);
    const breach =
      limitBreach(combined, settings, holders) ??
      (combined.length > maxIdentifiersPerCustomer
        ? { type: "identifiers", limit: maxIdentifiersPerCustomer, count: combined.length }
        : undefined);
    if (!breach || kept.length <= 1) return { holders, kept, dropped };
    // Give up the lowest-priority identifier among those that bring the clash in (the value of the
    // type over its limit, or a profile holding one), so an identifier that clashes with nothing
    // (a device's anonymousId) keeps its profile's history joined.
    const bringing = kept.filter(
      (identifier) => identifier.type === breach.type || holderHasType(domain, workspaceId, identifier, breach.type, settings),
    );
    const lowest = lowestPriority(bringing.length > 0 ? bringing : kept, settings);
    kept.splice(kept.indexOf(lowest), 1);
    dropped.push({ identifier: lowest, rule: `${breach.type} limit ${breach.limit}` });
  }
}

/**
 * Every identifier looked up once: the one profile holding them all (`known`), else the live
 * profiles holding any of them, oldest first (what `holdersOf` answers).
 */
function lookUp(
  domain: Domain,
  workspaceId: string,
  identifiers: readonly Identifier[],
  settings: Settings,
): { known: CustomerRecord | undefined; holders: CustomerRecord[] } {
  const holders: CustomerRecord[] = [];
  let all = identifiers.length > 0;
  for (const identifier of identifiers) {
    const holder = isMatchable(settings, identifier.type)
      ? domain.store.findCustomerByIdentifier(workspaceId, identifier.type, identifier.value)
      : undefined;
    if (holder === undefined) all = false;
    else if (!holders.includes(holder)) holders.push(holder);
  }
  if (all && holders.length === 1) return { known: holders[0], holders };
  if (holders.length > 1) holders.sort(byAge);
  return { known: undefined, holders };
}

/** The identifiers the profiles and the message would hold together, each once. */
function unionOf(holders: readonly CustomerRecord[], kept: readonly Identifier[]): Identifier[] {
  let size = kept.length;
  for (const holder of holders) size += holder.identifiers.length;
  // A handful (the usual case) are compared directly; many go through a map.
  if (size <= 32) {
    const out: Identifier[] = [];
    for (const holder of holders) for (const identifier of holder.identifiers) if (!holds(out, identifier)) out.push(identifier);
    for (const identifier of kept) if (!holds(out, identifier)) out.push(identifier);
    return out;
  }
  const combined = new Map<string, Identifier>();
  for (const holder of holders) for (const identifier of holder.identifiers) combined.set(identifierKey(identifier), identifier);
  for (const identifier of kept) combined.set(identifierKey(identifier), identifier);
  return [...combined.values()];
}

function alreadyDropped(domain: Domain, scope: Scope, customerId: string, identifier: Identifier): boolean {
  const key = identifierKey(identifier);
  const changes = domain.store.listIdentityChanges(scope.workspaceId, customerId);
  for (let i = changes.length - 1; i >= 0; i--) {
    const change = changes[i] as IdentityChange;
    if (identifierKey(change) === key) return change.action === "dropped";
  }
  return false;
}

function holderHasType(domain: Domain, workspaceId: string, identifier: Identifier, type: string, settings: Settings): boolean {
  if (type === "identifiers") return true;
  // A non-unique value joins no profile, so it brings no clash in.
  if (!isMatchable(settings, identifier.type)) return false;
  const holderId = domain.store.findCustomerIdByIdentifier(workspaceId, identifier.type, identifier.value);
  const holder = holderId === undefined ? undefined : domain.store.getCustomer(workspaceId, holderId);
  return holder?.identifiers.some((held) => held.type === type) ?? false;
}

/** The identifier to give up first: the highest priority number; among equals, the last given. */
function lowestPriority(identifiers: Identifier[], settings: Settings): Identifier {
  let worst = identifiers[0] as Identifier;
  for (const identifier of identifiers)
    if (ruleOf(settings, identifier.type).priority >= ruleOf(settings, worst.type).priority) worst = identifier;
  return worst;
}

/**
 * Finds the profile identifiers resolve to, writing nothing: `identity.resolve`. An invalid email or
 * phone is a 400 naming its place, as on every API write; a blocked value is no one's, so it
 * matches nothing (the question "whose is it?" has an answer: nobody's).
 */
export function resolveOnly(domain: Domain, workspaceId: string, identifiers: Identifier[]): string | null {
  const settings = getSettings(domain, workspaceId);
  const drops: TrackingDrop[] = [];
  const normalized = normalizeForTracking(domain, identifiers, settings, drops);
  const invalid = drops.filter((drop) => drop.rule === "invalid email" || drop.rule === "invalid phone");
  if (invalid.length) {
    throw new DomainError(
      "validation_failed",
      "An identifier is not valid",
      invalid.map((drop) => ({ path: `body.identifiers.${drop.index}.value`, message: drop.message })),
    );
  }
  if (normalized.length === 0) return null;
  const { holders, kept } = resolveIdentifiers(domain, workspaceId, normalized, settings);
  // A write with these identifiers would be refused (too many profiles to merge): so is the question,
  // rather than answering a profile no write could reach.
  checkProfilesPerMerge(holders.length);
  if (holders.length === 0) return null;
  // Several holders would merge into the oldest: that is the profile these identifiers mean.
  return holders.length > 0 && kept.length > 0 ? (holders[0] as CustomerRecord).id : null;
}

/**
 * Refuses identifiers that join more profiles than one merge may (DESIGN §4). Only an API body's
 * `identifiers` can name that many: a tracking message carries a handful of identifiers.
 */
function checkProfilesPerMerge(profiles: number): void {
  if (profiles <= maxProfilesPerMerge) return;
  throw new DomainError(
    "identifier_limit",
    `One request may join at most ${maxProfilesPerMerge} profiles; these identifiers join ${profiles}.`,
    [{ path: "body.identifiers", message: `held by ${profiles} profiles; at most ${maxProfilesPerMerge} may join` }],
  );
}

/**
 * Resolves a message's identifiers to one profile and writes the outcome: a new profile, an attach,
 * or a merge into the oldest; dropped anonymousId/deviceId values move to the resolved profile,
 * other dropped values stay where they are and the drop is in the changelog.
 */
export function resolveAndApply(
  domain: Domain,
  scope: Scope,
  identifiers: Identifier[],
  /** Runs before anything is written, with the profiles the identifiers join: may refuse by throwing. */
  guard?: (holders: readonly CustomerRecord[]) => void,
): { customer: CustomerRecord; created: boolean; dropped: Resolution["dropped"]; changed: boolean } {
  const settings = getSettings(domain, scope.workspaceId);
  // The common case (a returning visitor): every identifier already on one profile, so there is nothing to write.
  const lookedUp = lookUp(domain, scope.workspaceId, identifiers, settings);
  if (lookedUp.known) {
    guard?.([lookedUp.known]);
    return { customer: lookedUp.known, created: false, dropped: noDrops, changed: false };
  }
  const { holders, kept, dropped } = resolveUnknown(domain, scope.workspaceId, identifiers, settings, lookedUp.holders);
  // The guard sees every profile the write would change: those it joins, and those a dropped device would move from.
  guard?.(holders.concat(movedFrom(domain, scope.workspaceId, dropped, holders, settings)));
  checkProfilesPerMerge(holders.length);
  const at = now(domain);
  let customer: CustomerRecord;
  let created = false;
  if (holders.length === 0) {
    customer = newCustomer(domain, scope, at);
    created = true;
    recordChange(domain, scope, customer.id, { kind: "created" });
  } else {
    customer = holders.length === 1 ? (holders[0] as CustomerRecord) : mergeProfiles(domain, scope, holders, "identity_resolution");
  }
  customer = { ...customer, identifiers: [...customer.identifiers] };
  // A message that brings nothing new (most track calls) leaves the profile as it is.
  let changed = created || holders.length > 1;
  /** A drop written to the changelogs: a write, though the profile record is as it was. */
  let logged = false;
  const held = heldBy(customer.identifiers);
  for (const identifier of kept) {
    if (held.has(identifier)) continue;
    changed = true;
    customer.identifiers.push(identifierRecord(identifier, at, scope.source));
    held.add(identifier);
    recordIdentityChange(domain, scope, customer.id, { type: identifier.type, value: identifier.value, action: "added" });
    // Every change to a profile is a changelog entry (DESIGN §3); a new profile's first identifiers are its creation.
    if (!created)
      recordChange(domain, scope, customer.id, {
        kind: "identifier_added",
        identifier: { type: identifier.type, value: identifier.value },
      });
  }
  for (const { identifier, rule } of dropped) {
    // Already where it belongs: nothing moved, nothing to say.
    if (held.has(identifier)) continue;
    const movable = identifier.type === "anonymousId" || identifier.type === "deviceId";
    // A non-unique value belongs to nobody: it is never taken from the profiles that share it.
    const holderId = isMatchable(settings, identifier.type)
      ? domain.store.findCustomerIdByIdentifier(scope.workspaceId, identifier.type, identifier.value)
      : undefined;
    // It moves only where it fits: the type's limit and the profile's cap hold for moves too.
    const fits =
      customer.identifiers.length < maxIdentifiersPerCustomer && !limitBreach([...customer.identifiers, identifier], settings, [customer]);
    if (movable && fits && holderId !== customer.id) {
      changed = true;
      if (holderId !== undefined) takeIdentifier(domain, scope, holderId, identifier, customer.id);
      customer.identifiers.push(identifierRecord(identifier, at, scope.source));
      recordIdentityChange(domain, scope, customer.id, { ...identifier, action: "moved", from: holderId ?? null, to: customer.id });
      recordChange(
        domain,
        scope,
        customer.id,
        holderId === undefined
          ? { kind: "identifier_added", identifier: { type: identifier.type, value: identifier.value } }
          : { kind: "identifier_moved", identifier: { type: identifier.type, value: identifier.value }, from: holderId, to: customer.id },
      );
    } else if (!alreadyDropped(domain, scope, customer.id, identifier)) {
      // A device that keeps sending the same clash is logged once, not on every message.
      logged = true;
      recordIdentityChange(domain, scope, customer.id, { ...identifier, action: "dropped", rule });
      recordChange(domain, scope, customer.id, { kind: "identifier_dropped", identifier, rule });
    }
  }
  if (changed) {
    customer.updatedAt = at;
    domain.store.putCustomer(customer);
  }
  return { customer, created, dropped, changed: changed || logged };
}

/** The live profiles, other than `holders`, holding a dropped anonymousId or deviceId that would move to the message's profile. */
function movedFrom(
  domain: Domain,
  workspaceId: string,
  dropped: Resolution["dropped"],
  holders: readonly CustomerRecord[],
  settings: Settings,
): CustomerRecord[] {
  const out: CustomerRecord[] = [];
  for (const { identifier } of dropped) {
    if ((identifier.type !== "anonymousId" && identifier.type !== "deviceId") || !isMatchable(settings, identifier.type)) continue;
    const holder = domain.store.findCustomerByIdentifier(workspaceId, identifier.type, identifier.value);
    if (holder && !holders.includes(holder) && !out.includes(holder)) out.push(holder);
  }
  return out;
}

/** The known-profile path drops nothing: one shared empty list, not one a message. */
const noDrops: Resolution["dropped"] = Object.freeze([]) as unknown as Resolution["dropped"];

/** Which identifiers a profile holds, as it grows: a scan of a short list, a key set for a long one. */
function heldBy(identifiers: readonly Identifier[]): { has(identifier: Identifier): boolean; add(identifier: Identifier): void } {
  if (identifiers.length <= 16) {
    const list = [...identifiers];
    return { has: (identifier) => holds(list, identifier), add: (identifier) => void list.push(identifier) };
  }
  const keys = new Set(identifiers.map(identifierKey));
  return { has: (identifier) => keys.has(identifierKey(identifier)), add: (identifier) => void keys.add(identifierKey(identifier)) };
}

/**
 * A profile's identifier as stored. Spelled out rather than spread (`{ ...identifier, addedAt }`):
 * V8 gives each object built by such a spread a hidden class of its own, which costs memory and
 * makes every read of it slow.
 */
export function identifierRecord(identifier: Identifier, addedAt: string, source: string): IdentifierRecord {
  return { type: identifier.type, value: identifier.value, addedAt, source };
}

/** A new, empty, active profile record (not stored yet). */
export function newCustomer(domain: Domain, scope: Scope, at: string): CustomerRecord {
  return emptyCustomer(domain.ids.id("customer"), scope.workspaceId, null, at, at);
}

/** A profile record holding no data: active, or merged into `mergedInto`. One shape for both (one hidden class). */
export function emptyCustomer(
  id: string,
  workspaceId: string,
  mergedInto: string | null,
  createdAt: string,
  updatedAt: string,
): CustomerRecord {
  return {
    id,
    workspaceId,
    status: mergedInto === null ? "active" : "merged",
    mergedInto,
    restricted: false,
    base: {},
    properties: {},
    traits: {},
    identifiers: [],
    tags: [],
    createdAt,
    updatedAt,
    fieldWrites: {},
  };
}

/** Removes an identifier from its holder because it moves to `to` (ID changelog: moved, on both). */
function takeIdentifier(domain: Domain, scope: Scope, holderId: string, identifier: Identifier, to: string): void {
  const holder = domain.store.getCustomer(scope.workspaceId, holderId);
  if (!holder) return;
  const key = identifierKey(identifier);
  domain.store.putCustomer({
    ...holder,
    identifiers: holder.identifiers.filter((held: IdentifierRecord) => identifierKey(held) !== key),
    updatedAt: now(domain),
  });
  recordIdentityChange(domain, scope, holderId, { ...identifier, action: "moved", from: holderId, to });
  // Every change to a profile is a changelog entry (DESIGN §3): losing a device is one.
  recordChange(domain, scope, holderId, {
    kind: "identifier_moved",
    identifier: { type: identifier.type, value: identifier.value },
    from: holderId,
    to,
  });
}

/** A customer's aliases, identifiers and ID changelog (a merged id answers for its survivor). */
export function customerIdentities(domain: Domain, scope: Scope, customer: CustomerRecord) {
  return {
    aliases: [...(customer.aliases ?? [])],
    identifiers: customer.identifiers.map(({ type, value, addedAt, source }) => ({ type, value, addedAt, source })),
    changelog: identityChangesOf(domain, scope, customer).map(({ workspaceId: _, ...change }) => change),
  };
}
