import type { Identifier, SearchCondition, SearchGroup } from "@cdp/contract";
import { compareValues, holdsIdentifier as holds, readField, sortableValue } from "../fields.js";
import type { CustomerQuery, TextQuery } from "../query.js";
import { byAge, type CustomerRecord } from "../records.js";
import { matchesGroup } from "./filter.js";
import { searchableValues, tokenize } from "./text.js";

/** Above this many candidates a text term is checked customer by customer during the ordered scan. */
const candidateLimit = 4_000;
/** Above this many candidates, a page in creation order comes from walking that order rather than sorting. */
const orderedWalkFrom = 256;
/** A term starting more tokens than this is copied into one set rather than looked up in each token's postings. */
const fewPostingsLimit = 4;
/** New tokens wait in a short unsorted list; past this many the sorted list is rebuilt. */
const pendingTokenLimit = 4_096;

/**
 * One workspace's customers with the indexes the queries need: identifiers, token postings for
 * prefix search, whole values for phrases, and the creation order for the default sort.
 */
export class CustomerIndex {
  /** Every profile's slot by id: the identifier index points at slots, so a lookup by identifier needs no second map. */
  private readonly slots = new Map<string, Slot>();
  /** type → value → the slot of the live customer holding it (nested: no key string is built per lookup). */
  private readonly identifiers = new Map<string, Map<string, Slot>>();
  private readonly postings = new Map<string, Set<string>>();
  private readonly phrases = new Map<string, Set<string>>();
  private readonly docTokens = new Map<string, string[]>();
  private readonly docPhrases = new Map<string, string[]>();
  private sortedTokens: string[] | null = null;
  /** Tokens added since `sortedTokens` was built: a write must not make the next search re-sort every token. */
  private pendingTokens: string[] = [];
  private staleTokens = 0;
  /** Ids by (createdAt, id) ascending; deleted ids stay until compaction. */
  private order: string[] = [];
  private holes = 0;

  /**
   * Identifiers are indexed at once (identity resolution reads them on the next message); the text
   * waits until a text search needs it. Tracking writes far outnumber searches, and a profile written
   * many times between two searches is indexed once.
   */
  put(customer: CustomerRecord): void {
    let slot = this.slots.get(customer.id);
    if (slot) {
      const previous = slot.record;
      slot.record = customer;
      this.reindexIdentifiers(previous, customer, slot);
    } else {
      slot = { record: customer, stale: false };
      this.slots.set(customer.id, slot);
      this.insertOrdered(customer);
      this.indexIdentifiers(customer, slot);
    }
    if (!slot.stale) {
      slot.stale = true;
      this.staleText.push(slot);
    }
  }

  get(id: string): CustomerRecord | undefined {
    return this.slots.get(id)?.record;
  }

  get size(): number {
    return this.slots.size;
  }

  *records(): IterableIterator<CustomerRecord> {
    for (const slot of this.slots.values()) yield slot.record;
  }

  /** Profiles written since their text was last indexed (each once: its slot says it is waiting). */
  private staleText: Slot[] = [];

  private indexIdentifiers(customer: CustomerRecord, slot: Slot): void {
    if (customer.status !== "active") return;
    for (const identifier of customer.identifiers) this.indexOne(identifier, slot);
  }

  /**
   * Only what changed between two versions of a profile: a message attaching one identifier to a
   * profile holding five touches one entry, not ten.
   */
  private reindexIdentifiers(previous: CustomerRecord, next: CustomerRecord, slot: Slot): void {
    const before = previous.status === "active" ? previous.identifiers : [];
    const after = next.status === "active" ? next.identifiers : [];
    if (before.length + after.length > 64) {
      this.unindexIdentifiers(previous, slot);
      this.indexIdentifiers(next, slot);
      return;
    }
    for (const identifier of before) if (!holds(after, identifier)) this.unindexOne(identifier, slot);
    for (const identifier of after) if (!holds(before, identifier)) this.indexOne(identifier, slot);
  }

  /**
   * type → value → every live profile holding it, for the values several live profiles hold: only a
   * type declared non-unique lets that happen, and its values stay shared if it becomes unique again.
   * The main entry of such a value points at its oldest holder (the one a merge would keep), whatever
   * the order of writes, and passes to the next oldest when that one lets the value go.
   */
  private readonly shared = new Map<string, Map<string, Set<Slot>>>();

  private indexOne(identifier: Identifier, slot: Slot): void {
    let byValue = this.identifiers.get(identifier.type);
    if (!byValue) {
      byValue = new Map();
      this.identifiers.set(identifier.type, byValue);
    }
    const current = byValue.get(identifier.value);
    if (current === undefined) byValue.set(identifier.value, slot);
    else if (current !== slot) this.share(identifier, byValue, current, slot);
  }

  private unindexOne(identifier: Identifier, slot: Slot): void {
    const byValue = this.identifiers.get(identifier.type);
    if (byValue === undefined) return;
    // A shared value passes to its next holder rather than leaving the index.
    if (this.shared.size > 0 && this.unshare(identifier, byValue, slot)) return;
    if (byValue.get(identifier.value) === slot) byValue.delete(identifier.value);
  }

  /** A second (third …) live holder of a value: remember them all; the entry points at the oldest. */
  private share(identifier: Identifier, byValue: Map<string, Slot>, current: Slot, slot: Slot): void {
    let values = this.shared.get(identifier.type);
    if (!values) {
      values = new Map();
      this.shared.set(identifier.type, values);
    }
    let holders = values.get(identifier.value);
    if (!holders) {
      holders = new Set([current]);
      values.set(identifier.value, holders);
    }
    holders.add(slot);
    byValue.set(identifier.value, oldestOf(holders));
  }

  /** Lets one holder of a shared value go; false when the value is not shared. */
  private unshare(identifier: Identifier, byValue: Map<string, Slot>, slot: Slot): boolean {
    const values = this.shared.get(identifier.type);
    const holders = values?.get(identifier.value);
    if (values === undefined || holders === undefined || !holders.delete(slot)) return false;
    if (holders.size <= 1) {
      values.delete(identifier.value);
      if (values.size === 0) this.shared.delete(identifier.type);
    }
    if (holders.size === 0) byValue.delete(identifier.value);
    else byValue.set(identifier.value, oldestOf(holders));
    return true;
  }

  private unindexIdentifiers(customer: CustomerRecord, slot: Slot): void {
    for (const identifier of customer.identifiers) this.unindexOne(identifier, slot);
  }

  /** Brings the text postings up to date with every profile written since the last text search. */
  private refreshText(): void {
    if (this.staleText.length === 0) return;
    for (const slot of this.staleText) {
      slot.stale = false;
      // A profile deleted since has no slot in the map any more.
      if (this.slots.get(slot.record.id) === slot) this.reindexText(slot.record);
    }
    this.staleText = [];
  }

  /** A profile's text postings: only the tokens and phrases that changed are touched (most writes change few). */
  private reindexText(customer: CustomerRecord): void {
    const values = searchableValues(customer);
    const tokens = [...new Set(values.flatMap(tokenize))];
    const phrases = [...new Set(values.map((value) => value.trim().toLowerCase()))];
    const oldTokens = new Set(this.docTokens.get(customer.id) ?? []);
    const oldPhrases = new Set(this.docPhrases.get(customer.id) ?? []);
    const newTokens = new Set(tokens);
    const newPhrases = new Set(phrases);
    for (const token of oldTokens) if (!newTokens.has(token)) this.removePosting(this.postings, token, customer.id, true);
    for (const phrase of oldPhrases) if (!newPhrases.has(phrase)) this.removePosting(this.phrases, phrase, customer.id, false);
    for (const token of tokens) if (!oldTokens.has(token)) this.addPosting(this.postings, token, customer.id, true);
    for (const phrase of phrases) if (!oldPhrases.has(phrase)) this.addPosting(this.phrases, phrase, customer.id, false);
    this.docTokens.set(customer.id, tokens);
    this.docPhrases.set(customer.id, phrases);
  }

  private addPosting(map: Map<string, Set<string>>, key: string, id: string, isToken: boolean): void {
    let ids = map.get(key);
    if (!ids) {
      ids = new Set();
      map.set(key, ids);
      if (isToken && this.sortedTokens) this.pendingTokens.push(key);
    }
    ids.add(id);
  }

  private removePosting(map: Map<string, Set<string>>, key: string, id: string, isToken: boolean): void {
    const ids = map.get(key);
    ids?.delete(id);
    if (ids?.size === 0) {
      map.delete(key);
      // The sorted list keeps the token until its next rebuild; lookups skip tokens without postings.
      if (isToken) this.staleTokens++;
    }
  }

  delete(id: string): void {
    const slot = this.slots.get(id);
    if (!slot) return;
    const previous = slot.record;
    this.unindex(previous, slot);
    this.slots.delete(id);
    this.deletedAt.set(id, previous.createdAt);
    this.holes++;
    if (this.holes > 1_000 && this.holes > this.order.length / 4) {
      this.order = this.order.filter((orderId) => this.slots.has(orderId));
      this.deletedAt.clear();
      this.holes = 0;
    }
  }

  /** The identifier types some live profile holds now (a type whose last value left is not one). */
  identifierTypes(): string[] {
    const out: string[] = [];
    for (const [type, byValue] of this.identifiers) if (byValue.size > 0) out.push(type);
    return out;
  }

  /** The live profile holding a value; of a value several hold (see `shared`), the oldest. */
  findByIdentifier(type: string, value: string): CustomerRecord | undefined {
    return this.identifiers.get(type)?.get(value)?.record;
  }

  /** Every live profile holding a value, oldest first. */
  findAllByIdentifier(type: string, value: string): CustomerRecord[] {
    const holders = this.shared.get(type)?.get(value);
    if (holders) return [...holders].map((slot) => slot.record).sort(byAge);
    const holder = this.findByIdentifier(type, value);
    return holder ? [holder] : [];
  }

  query(query: CustomerQuery): CustomerRecord[] {
    if (query.text) this.refreshText();
    const candidates = narrowByIds(this.candidates(query.text), query.filter && idsNamedBy(query.filter));
    const accept = (customer: CustomerRecord) =>
      (customer.status === "active" ? query.includeRestricted || !customer.restricted : this.acceptsAlias(customer, query)) &&
      (!query.text || this.matchesText(customer.id, query.text)) &&
      (!query.filter || matchesGroup(customer, query.filter));
    const { field, descending } = query.sort;
    if (field === "createdAt" && !candidates) return this.scanInOrder(query, descending, accept);
    // Many matches in the default order: walking the creation order finds a page sooner than sorting them
    // all. Only when every candidate matches the text and there is no filter; else the walk may cross every customer.
    if (field === "createdAt" && candidates?.exact && !query.filter && candidates.ids.size > orderedWalkFrom) {
      return this.scanInOrder(query, descending, accept, candidates.ids);
    }
    const pool = candidates ? [...candidates.ids].flatMap((id) => this.get(id) ?? []) : [...this.records()];
    // Sort keys are read once per customer, and the cursor applies before the sort.
    let positions = pool.filter(accept).map((customer) => ({ value: sortKey(readField(customer, field)), id: customer.id, customer }));
    if (query.after) {
      const after = { value: sortKey(query.after.value), id: query.after.id };
      positions = positions.filter((position) => comparePositions(position, after, descending) > 0);
    }
    positions.sort((a, b) => comparePositions(a, b, descending));
    return positions.slice(0, query.limit).map((position) => position.customer);
  }

  /** A merged profile answers only a query that asks for aliases, and hides with its survivor from all but a dpo. */
  private acceptsAlias(alias: CustomerRecord, query: CustomerQuery): boolean {
    if (!query.includeMerged) return false;
    return query.includeRestricted || !(alias.mergedInto !== null && this.get(alias.mergedInto)?.restricted);
  }

  /**
   * The default sort: walk the creation order from the cursor, stopping once the page is full. With
   * `only`, ids outside it are passed over before their records are read.
   */
  private scanInOrder(
    query: CustomerQuery,
    descending: boolean,
    accept: (customer: CustomerRecord) => boolean,
    only?: ReadonlySet<string>,
  ): CustomerRecord[] {
    const out: CustomerRecord[] = [];
    const order = this.order;
    const key = (id: string) => this.get(id)?.createdAt;
    let index: number;
    if (query.after) {
      const after = query.after;
      const afterKey = `${String(after.value)}\u0000${after.id}`;
      // first position whose (createdAt, id) is greater than the cursor's
      const upper = lowerBoundIndex(order.length, (i) => this.positionKey(order[i] as string) > afterKey);
      const lower = lowerBoundIndex(order.length, (i) => this.positionKey(order[i] as string) >= afterKey);
      index = descending ? lower - 1 : upper;
    } else {
      index = descending ? order.length - 1 : 0;
    }
    for (; index >= 0 && index < order.length && out.length < query.limit; index += descending ? -1 : 1) {
      const id = order[index] as string;
      if (only !== undefined && !only.has(id)) continue;
      if (key(id) === undefined) continue;
      const customer = this.get(id)!;
      if (accept(customer)) out.push(customer);
    }
    return out;
  }

  private positionKey(id: string): string {
    // Deleted ids keep their place: their id's time part sorts them like their creation did.
    return `${this.get(id)?.createdAt ?? this.deletedAt.get(id) ?? ""}\u0000${id}`;
  }

  private readonly deletedAt = new Map<string, string>();

  private insertOrdered(customer: CustomerRecord): void {
    const key = `${customer.createdAt}\u0000${customer.id}`;
    const last = this.order[this.order.length - 1];
    if (last === undefined || this.positionKey(last) < key) {
      this.order.push(customer.id);
      return;
    }
    const at = lowerBoundIndex(this.order.length, (i) => this.positionKey(this.order[i] as string) > key);
    this.order.splice(at, 0, customer.id);
  }

  /**
   * Ids that can match the text query (the intersection of every phrase's and term's matches that
   * stay under the cap, with the terms above it checked on each of them), or null when every customer
   * must be checked. `exact` says whether every part was checked, so that each candidate matches the whole text.
   *
   * A term's matches are its tokens' postings, not a copy of them: an intersection walks its smaller
   * side and looks each id up in the other, so "james smith" reads the rarer name's postings once
   * instead of copying both names' thousands of ids to intersect the copies.
   */
  private candidates(text: TextQuery | undefined): { ids: ReadonlySet<string>; exact: boolean } | null {
    if (!text) return null;
    const parts = text.phrases.map((phrase) => new Matches([this.phrases.get(phrase) ?? new Set<string>()]));
    let common: string[] = [];
    for (const term of text.terms) {
      const matches = this.termMatches(term, candidateLimit);
      if (matches) parts.push(matches);
      else common.push(term);
    }
    // Only common terms ("james smith"): those under a higher cap still beat a scan.
    if (parts.length === 0 && common.length > 1) {
      const over: string[] = [];
      for (const term of common) {
        const matches = this.termMatches(term, candidateLimit * 8);
        if (matches) parts.push(matches);
        else over.push(term);
      }
      common = over;
    }
    const [first, ...rest] = parts;
    if (first === undefined) return null;
    let best = first;
    for (const part of rest) best = new Matches([intersectMatches(best, part)]);
    const ids = best.sets.length === 1 ? (best.sets[0] as ReadonlySet<string>) : unionOf(best.sets);
    if (common.length === 0) return { ids, exact: true };
    // The terms too common to intersect: a lookup per candidate, keeping the candidates' order.
    const checks = common.map((term) => this.termCheck(term));
    const matching = new Set<string>();
    for (const id of ids) if (checks.every((check) => check(id))) matching.add(id);
    return { ids: matching, exact: true };
  }

  /** The customers a term matches, or null when they are more than `cap`. */
  private termMatches(term: string, cap: number): Matches | null {
    const sets = this.fewPostings(term);
    if (sets === null) {
      const union = this.prefixPostings(term, cap);
      return union && new Matches([union]);
    }
    const matches = new Matches(sets);
    return matches.within(cap) ? matches : null;
  }

  /**
   * Whether a customer holds a token starting with `term`: a lookup in the term's postings, or in the
   * customer's own tokens when the term starts many.
   */
  private termCheck(term: string): (id: string) => boolean {
    const sets = this.fewPostings(term);
    if (sets === null) return (id) => (this.docTokens.get(id) ?? []).some((token) => token.startsWith(term));
    return (id) => anyHolds(sets, sets.length, id);
  }

  /**
   * The postings of the tokens starting with `prefix`, in the order of the tokens, when they are few (a
   * word starts few tokens: "john" → john, johnson); null for a prefix of many ("j"), which one copy serves better.
   */
  private fewPostings(prefix: string): ReadonlySet<string>[] | null {
    const sets: ReadonlySet<string>[] = [];
    for (const token of this.tokensStartingWith(prefix)) {
      const ids = this.postings.get(token);
      // A token both in the sorted list and among the pending ones has one posting.
      if (ids === undefined || sets.includes(ids)) continue;
      if (sets.length === fewPostingsLimit) return null;
      sets.push(ids);
    }
    return sets;
  }

  /** Union of the postings of every token starting with `prefix`, or null when it would exceed `cap`. */
  private prefixPostings(prefix: string, cap: number): Set<string> | null {
    const out = new Set<string>();
    for (const token of this.tokensStartingWith(prefix)) {
      const ids = this.postings.get(token);
      if (!ids) continue;
      if (ids.size > cap) return null;
      for (const id of ids) {
        out.add(id);
        if (out.size > cap) return null;
      }
    }
    return out;
  }

  private *tokensStartingWith(prefix: string): Generator<string> {
    const tokens = this.tokens();
    for (
      let i = lowerBoundIndex(tokens.length, (k) => (tokens[k] as string) >= prefix);
      i < tokens.length && (tokens[i] as string).startsWith(prefix);
      i++
    ) {
      yield tokens[i] as string;
    }
    for (const token of this.pendingTokens) if (token.startsWith(prefix)) yield token;
  }

  private matchesText(id: string, text: TextQuery): boolean {
    if (text.phrases.length > 0) {
      const values = this.docPhrases.get(id) ?? [];
      if (!text.phrases.every((phrase) => values.includes(phrase))) return false;
    }
    if (text.terms.length > 0) {
      const tokens = this.docTokens.get(id) ?? [];
      return text.terms.every((term) => tokens.some((token) => token.startsWith(term)));
    }
    return true;
  }

  private tokens(): string[] {
    if (!this.sortedTokens || this.pendingTokens.length + this.staleTokens > pendingTokenLimit) {
      this.sortedTokens = [...this.postings.keys()].sort();
      this.pendingTokens = [];
      this.staleTokens = 0;
    }
    return this.sortedTokens;
  }

  private unindex(customer: CustomerRecord, slot: Slot): void {
    this.unindexIdentifiers(customer, slot);
    for (const token of this.docTokens.get(customer.id) ?? []) this.removePosting(this.postings, token, customer.id, true);
    for (const phrase of this.docPhrases.get(customer.id) ?? []) this.removePosting(this.phrases, phrase, customer.id, false);
    this.docTokens.delete(customer.id);
    this.docPhrases.delete(customer.id);
  }
}

/** A profile's place in the index: its current record, and whether its text waits to be indexed. */
interface Slot {
  record: CustomerRecord;
  stale: boolean;
}

function oldestOf(slots: Iterable<Slot>): Slot {
  let oldest: Slot | undefined;
  for (const slot of slots) if (oldest === undefined || byAge(slot.record, oldest.record) < 0) oldest = slot;
  return oldest as Slot;
}

/** A field holding several values (tags, identifiers) sorts by its first; objects sort as missing. */
const sortKey = sortableValue;

/** Orders two positions: missing values last in either direction; id breaks ties in the sort's direction. */
function comparePositions(a: { value: unknown; id: string }, b: { value: unknown; id: string }, descending: boolean): number {
  const aMissing = a.value === undefined || a.value === null;
  const bMissing = b.value === undefined || b.value === null;
  if (aMissing !== bMissing) return aMissing ? 1 : -1;
  const c = compareValues(a.value, b.value) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
  return descending ? -c : c;
}

/**
 * The ids a filter can match when it names them (`id eq` / `id in`, under `all`, or in every branch of
 * an `any`), or null when any customer may match: such a search looks the ids up instead of scanning.
 */
function idsNamedBy(group: SearchGroup): Set<string> | null {
  const any = group.match === "any";
  let named: Set<string> | null = null;
  for (const condition of group.conditions) {
    const ids = "conditions" in condition ? idsNamedBy(condition) : idsOfCondition(condition);
    if (any) {
      if (ids === null) return null;
      named = named === null ? ids : new Set([...named, ...ids]);
    } else if (ids !== null) {
      named = named === null ? ids : intersect(named, ids);
    }
  }
  return named;
}

function idsOfCondition(condition: SearchCondition): Set<string> | null {
  if (condition.field !== "id") return null;
  // An id is a string: a number (or anything else) named here matches no customer.
  if (condition.op === "eq") return new Set(typeof condition.value === "string" ? [condition.value] : []);
  if (condition.op === "in" && Array.isArray(condition.value))
    return new Set(condition.value.filter((value): value is string => typeof value === "string"));
  return null;
}

/**
 * What a part of a text query matches: the union of a few id sets (a phrase's ids, a term's postings),
 * whose order is that of a copy of them one after the other. Its size is counted only when the bounds
 * the sets' sizes give cannot decide.
 */
class Matches {
  /** The union holds at least `least` ids (its largest set) and at most `most` (the sum of the sizes). */
  readonly least: number;
  readonly most: number;
  private counted: number | undefined;

  constructor(readonly sets: readonly ReadonlySet<string>[]) {
    this.least = Math.max(0, ...sets.map((ids) => ids.size));
    this.most = sets.reduce((sum, ids) => sum + ids.size, 0);
    if (this.least === this.most) this.counted = this.most;
  }

  /** How many ids the union holds. */
  get size(): number {
    this.counted ??= distinctCount(this.sets, this.most);
    return this.counted;
  }

  /** Whether the union holds at most `cap` ids (counting stops past the cap). */
  within(cap: number): boolean {
    if (this.most <= cap) return true;
    if (this.least > cap) return false;
    if (this.counted !== undefined) return this.counted <= cap;
    const count = distinctCount(this.sets, cap);
    if (count <= cap) this.counted = count;
    return count <= cap;
  }

  has(id: string): boolean {
    return anyHolds(this.sets, this.sets.length, id);
  }
}

/**
 * The ids both hold, in the order `intersect` gives for copies of them: the smaller (`a` when they are
 * as large) is walked, each id looked up in the other.
 */
function intersectMatches(a: Matches, b: Matches): Set<string> {
  const [small, large] = smallerOrEqual(a, b) ? [a, b] : [b, a];
  const out = new Set<string>();
  // An id in two of the smaller side's sets keeps the place of its first.
  for (const ids of small.sets) for (const id of ids) if (large.has(id)) out.add(id);
  return out;
}

/** The union of `sets` as one copy, in the order of its sets. */
function unionOf(sets: readonly ReadonlySet<string>[]): Set<string> {
  const out = new Set<string>();
  for (const ids of sets) for (const id of ids) out.add(id);
  return out;
}

/** Whether `a` holds no more ids than `b`, counting them only when the bounds overlap. */
function smallerOrEqual(a: Matches, b: Matches): boolean {
  if (a.most <= b.least) return true;
  if (a.least > b.most) return false;
  return a.size <= b.size;
}

/** Ids in the union of `sets`, each once; the count stops once past `cap`. */
function distinctCount(sets: readonly ReadonlySet<string>[], cap: number): number {
  let count = sets[0]?.size ?? 0;
  for (let index = 1; index < sets.length && count <= cap; index++) {
    for (const id of sets[index] as ReadonlySet<string>) {
      if (!anyHolds(sets, index, id) && ++count > cap) break;
    }
  }
  return count;
}

/** Whether one of the first `count` sets holds `id`. */
function anyHolds(sets: readonly ReadonlySet<string>[], count: number, id: string): boolean {
  for (let index = 0; index < count; index++) if ((sets[index] as ReadonlySet<string>).has(id)) return true;
  return false;
}

/** Text candidates narrowed to the ids a filter names; the filter still runs on each of them. */
function narrowByIds(
  candidates: { ids: ReadonlySet<string>; exact: boolean } | null,
  named: Set<string> | null | undefined,
): { ids: ReadonlySet<string>; exact: boolean } | null {
  if (!named) return candidates;
  return candidates ? { ids: intersect(candidates.ids, named), exact: false } : { ids: named, exact: false };
}

function intersect(a: ReadonlySet<string>, b: ReadonlySet<string>): Set<string> {
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  const out = new Set<string>();
  for (const id of small) if (large.has(id)) out.add(id);
  return out;
}

/** First index in [0, length) for which `isAtOrBeyond` holds (it must be monotonic). */
function lowerBoundIndex(length: number, isAtOrBeyond: (index: number) => boolean): number {
  let lo = 0;
  let hi = length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (isAtOrBeyond(mid)) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}
