import type { EventRecord } from "../records.js";
import type { EventQuery } from "../store.js";
import { StringIndex } from "./string-index.js";
import { tokenize } from "./text.js";

/**
 * An event as the store keeps it: `properties` and `context` as one JSON text. A million events
 * kept as trees of parsed objects made garbage collection the largest cost of tracking; one string
 * is one object for the collector, and reads (far fewer than writes) parse it back.
 */
class EventRow {
  constructor(
    readonly id: string,
    readonly messageId: string,
    readonly type: string,
    readonly category: string,
    readonly timestamp: string,
    readonly receivedAt: string,
    /** `[properties, context]` as JSON text. */
    readonly data: string,
    readonly source: string,
    public customerId: string,
    readonly workspaceId: string,
  ) {}

  /** False once deleted or replaced: the indexes that still hold it skip it. */
  live = true;

  static of(event: EventRecord): EventRow {
    return new EventRow(
      event.id,
      event.messageId,
      event.type,
      event.category,
      event.timestamp,
      event.receivedAt,
      flat(JSON.stringify([event.properties, event.context])),
      event.source,
      event.customerId,
      event.workspaceId,
    );
  }

  /** The event as the domain reads it: a new record, its objects its own. */
  record(): EventRecord {
    const [properties, context] = JSON.parse(this.data) as [Record<string, unknown>, Record<string, unknown>];
    return {
      id: this.id,
      messageId: this.messageId,
      type: this.type,
      category: this.category,
      timestamp: this.timestamp,
      receivedAt: this.receivedAt,
      properties,
      context,
      source: this.source,
      customerId: this.customerId,
      workspaceId: this.workspaceId,
    };
  }
}

/**
 * V8's JSON.stringify hands long text back as a tree of pieces (a ConsString per join): kept as it
 * is, every stored text is ten objects. Reading it as a number flattens it in place into one.
 */
function flat(text: string): string {
  void Number(text);
  return text;
}

/**
 * One workspace's events: by id, by customer, by (timestamp, id) and by messageId for dedupe. The
 * indexes hold the rows themselves, so writing an event costs two map operations (its messageId,
 * its customer), not five: with a million events, each lookup in a map is a few cache misses.
 */
export class EventIndex {
  /** Rows in rising id order (ids come from a monotonic source), deleted and replaced ones marked dead. */
  private readonly ordered: EventRow[] = [];
  /** Rows whose id came out of that order (a store fed by something else): found by map. */
  private readonly unordered = new Map<string, EventRow>();
  /** Rows per customer, in the order they were put (a customer has few; arrays cost less than sets). */
  private readonly byCustomer = new Map<string, EventRow[]>();
  /**
   * Every messageId applied in the workspace, events or not (dedupe has no expiry, DESIGN §3), with
   * its event's row, or null: none, or deleted.
   */
  private readonly byMessageId = new StringIndex<EventRow | null>();
  /** Every event by (timestamp, id): a page of the whole workspace's events is a walk, not a sort of them all. */
  private readonly timeOrder = new TimeOrder();

  /** Keeps a copy of the event (the caller's objects are not held); an event with a known id replaces it. */
  put(event: EventRecord): void {
    const row = EventRow.of(event);
    const last = this.ordered[this.ordered.length - 1];
    if (last === undefined || row.id > last.id) this.ordered.push(row);
    else {
      const at = this.locate(row.id);
      const previous = at === -1 ? this.unordered.get(row.id) : this.ordered[at];
      if (previous?.live) this.forget(previous);
      if (at === -1) this.unordered.set(row.id, row);
      else this.ordered[at] = row;
    }
    this.timeOrder.add(row);
    this.byMessageId.set(row.messageId, row);
    const rows = this.byCustomer.get(row.customerId);
    if (rows) rows.push(row);
    else this.byCustomer.set(row.customerId, [row]);
  }

  get(id: string): EventRecord | undefined {
    return this.find(id)?.record();
  }

  /** Ids of the events a source recorded. */
  idsOfSource(source: string): string[] {
    const out: string[] = [];
    for (const row of this.ordered) if (row.live && row.source === source) out.push(row.id);
    for (const row of this.unordered.values()) if (row.live && row.source === source) out.push(row.id);
    return out;
  }

  hasMessage(messageId: string): boolean {
    return this.byMessageId.has(messageId);
  }

  addMessage(messageId: string): void {
    if (!this.byMessageId.has(messageId)) this.byMessageId.set(messageId, null);
  }

  delete(id: string): void {
    const row = this.find(id);
    if (!row) return;
    this.forget(row);
    this.unordered.delete(id);
  }

  /** Deletes every event of a customer (an erasure) at once; answers how many. */
  deleteOfCustomer(customerId: string): number {
    const rows = this.byCustomer.get(customerId) ?? [];
    this.byCustomer.delete(customerId);
    for (const row of rows) {
      row.live = false;
      // The messageId stays known: a replay must not bring the event back.
      if (this.byMessageId.get(row.messageId) === row) this.byMessageId.set(row.messageId, null);
      this.unordered.delete(row.id);
    }
    return rows.length;
  }

  findByMessageId(messageId: string): string | undefined {
    return this.byMessageId.get(messageId)?.id;
  }

  ofCustomer(customerId: string): EventRecord[] {
    return (this.byCustomer.get(customerId) ?? []).map((row) => row.record());
  }

  move(fromCustomerId: string, toCustomerId: string): void {
    const rows = this.byCustomer.get(fromCustomerId);
    if (!rows || fromCustomerId === toCustomerId) return;
    this.byCustomer.delete(fromCustomerId);
    const target = this.byCustomer.get(toCustomerId);
    if (target) for (const row of rows) target.push(row);
    else this.byCustomer.set(toCustomerId, rows);
    for (const row of rows) row.customerId = toCustomerId;
  }

  /** `hidden`: the customers whose events the query leaves out (restricted profiles, for all but a dpo). */
  list(query: EventQuery, hidden?: (customerId: string) => boolean): EventRecord[] {
    const accept = hidden
      ? (row: EventRow) => !hidden(row.customerId) && matchesQuery(row, query)
      : (row: EventRow) => matchesQuery(row, query);
    if (query.customerId === undefined) {
      return this.timeOrder.newestFirst(query, accept).map((row) => row.record());
    }
    const matched = (this.byCustomer.get(query.customerId) ?? []).filter(accept);
    matched.sort((a, b) => (a.timestamp === b.timestamp ? (a.id < b.id ? 1 : -1) : a.timestamp < b.timestamp ? 1 : -1));
    return matched.slice(0, query.limit).map((row) => row.record());
  }

  /** The live row with this id. */
  private find(id: string): EventRow | undefined {
    const at = this.locate(id);
    const row = at === -1 ? this.unordered.get(id) : this.ordered[at];
    return row?.live ? row : undefined;
  }

  /** Where this id sits in `ordered`, or -1. */
  private locate(id: string): number {
    const ordered = this.ordered;
    let lo = 0;
    let hi = ordered.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((ordered[mid] as EventRow).id < id) lo = mid + 1;
      else hi = mid;
    }
    return ordered[lo]?.id === id ? lo : -1;
  }

  /** Marks a row dead and takes it out of its customer's list; its messageId stays known (a replay must not bring it back). */
  private forget(row: EventRow): void {
    row.live = false;
    if (this.byMessageId.get(row.messageId) === row) this.byMessageId.set(row.messageId, null);
    const rows = this.byCustomer.get(row.customerId);
    const at = rows ? rows.indexOf(row) : -1;
    if (!rows || at === -1) return;
    rows.splice(at, 1);
    if (rows.length === 0) this.byCustomer.delete(row.customerId);
  }
}

function matchesQuery(event: EventRow, query: EventQuery): boolean {
  return (
    (query.type === undefined || event.type === query.type) &&
    (query.category === undefined || event.category === query.category) &&
    (query.from === undefined || event.timestamp >= query.from) &&
    (query.to === undefined || event.timestamp <= query.to) &&
    (query.after === undefined || newer(query.after, event)) &&
    (query.terms === undefined && query.phrases === undefined ? true : matchesText(event, query.terms ?? [], query.phrases ?? []))
  );
}

/**
 * Events in (timestamp, id) order, oldest first. Writes land in a pending list, merged in on the
 * next walk (tracking writes many, reads page few). A row deleted or replaced since is skipped by
 * the walk and dropped at the next merge.
 */
class TimeOrder {
  private rows: EventRow[] = [];
  /** Written since the last walk (a million writes may wait here). */
  private pending: EventRow[] = [];

  add(row: EventRow): void {
    this.pending.push(row);
  }

  /** Up to `query.limit` events that `accept`, newest first, from just past `query.after`. */
  newestFirst(query: EventQuery, accept: (event: EventRow) => boolean): EventRow[] {
    this.merge();
    const rows = this.rows;
    const out: EventRow[] = [];
    // Start at the newest position before the cursor (and not after `to`); stop once older than `from`.
    let end = rows.length;
    if (query.after) end = firstAtOrAfter(rows, query.after.timestamp, query.after.id);
    if (query.to !== undefined) end = Math.min(end, firstAfterTime(rows, query.to));
    for (let i = end - 1; i >= 0 && out.length < query.limit; i--) {
      const row = rows[i] as EventRow;
      if (query.from !== undefined && row.timestamp < query.from) break;
      if (row.live && accept(row)) out.push(row);
    }
    return out;
  }

  /** Sorts the pending rows into the order, leaving out dead ones. */
  private merge(): void {
    if (this.pending.length === 0) return;
    const pending = this.pending.filter((row) => row.live).sort(compareRows);
    this.pending = [];
    const old = this.rows;
    const rows: EventRow[] = [];
    let i = 0;
    let j = 0;
    while (i < old.length || j < pending.length) {
      const next =
        i < old.length && (j >= pending.length || compareRows(old[i] as EventRow, pending[j] as EventRow) <= 0) ? old[i++] : pending[j++];
      if ((next as EventRow).live) rows.push(next as EventRow);
    }
    this.rows = rows;
  }
}

function compareRows(a: EventRow, b: EventRow): number {
  return compareKeys(a.timestamp, a.id, b.timestamp, b.id);
}

function compareKeys(aTime: string, aId: string, bTime: string, bId: string): number {
  if (aTime !== bTime) return aTime < bTime ? -1 : 1;
  return aId < bId ? -1 : aId > bId ? 1 : 0;
}

/** The first position whose (timestamp, id) is at or after the given one. */
function firstAtOrAfter(rows: EventRow[], timestamp: string, id: string): number {
  let lo = 0;
  let hi = rows.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const row = rows[mid] as EventRow;
    if (compareKeys(row.timestamp, row.id, timestamp, id) >= 0) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** The first position whose timestamp is after `time`. */
function firstAfterTime(rows: EventRow[], time: string): number {
  let lo = 0;
  let hi = rows.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((rows[mid] as EventRow).timestamp > time) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** True when `event` comes after the keyset position in newest-first order. */
function newer(position: { timestamp: string; id: string }, event: EventRow): boolean {
  return event.timestamp < position.timestamp || (event.timestamp === position.timestamp && event.id < position.id);
}

function matchesText(event: EventRow, terms: string[], phrases: string[]): boolean {
  const values = [event.type, ...textValues((JSON.parse(event.data) as unknown[])[0])];
  if (!phrases.every((phrase) => values.some((value) => value.trim().toLowerCase() === phrase))) return false;
  const tokens = tokenize(values.join(" "));
  return terms.every((term) => tokens.some((token) => token.startsWith(term)));
}

function textValues(value: unknown, depth = 0): string[] {
  if (depth > 4) return [];
  if (typeof value === "string") return [value];
  if (Array.isArray(value)) return value.flatMap((item) => textValues(item, depth + 1));
  if (value && typeof value === "object") return Object.values(value).flatMap((item) => textValues(item, depth + 1));
  return [];
}
