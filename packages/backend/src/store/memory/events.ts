import type { EventRecord } from "../records.js";
import type { EventQuery } from "../store.js";
import { tokenize } from "./text.js";

/**
 * An event as the store keeps it: `properties` and `context` as their JSON text. A million events
 * kept as trees of parsed objects made garbage collection the largest cost of tracking; one string
 * each is one object for the collector, and reads (far fewer than writes) parse it back.
 */
class EventRow {
  constructor(
    readonly id: string,
    readonly messageId: string,
    readonly type: string,
    readonly category: string,
    readonly timestamp: string,
    readonly receivedAt: string,
    readonly properties: string,
    readonly context: string,
    readonly source: string,
    public customerId: string,
    readonly workspaceId: string,
  ) {}

  static of(event: EventRecord): EventRow {
    return new EventRow(
      event.id,
      event.messageId,
      event.type,
      event.category,
      event.timestamp,
      event.receivedAt,
      flat(JSON.stringify(event.properties)),
      flat(JSON.stringify(event.context)),
      event.source,
      event.customerId,
      event.workspaceId,
    );
  }

  /** The event as the domain reads it: a new record, its objects its own. */
  record(): EventRecord {
    return {
      id: this.id,
      messageId: this.messageId,
      type: this.type,
      category: this.category,
      timestamp: this.timestamp,
      receivedAt: this.receivedAt,
      properties: JSON.parse(this.properties) as Record<string, unknown>,
      context: JSON.parse(this.context) as Record<string, unknown>,
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

/** One workspace's events: by id, by customer, and by messageId for dedupe. */
export class EventIndex {
  private readonly byId = new Map<string, EventRow>();
  /** Event ids per customer, in the order they were put (a customer has few; arrays cost less than sets). */
  private readonly byCustomer = new Map<string, string[]>();
  /**
   * Every messageId applied in the workspace, events or not (dedupe has no expiry, DESIGN §3), with
   * the id of its event, or null: none, or deleted.
   */
  private readonly byMessageId = new Map<string, string | null>();

  /** Keeps a copy of the event (the caller's objects are not held). */
  put(event: EventRecord): void {
    const row = EventRow.of(event);
    const previous = this.byId.get(row.id);
    if (previous) this.forgetCustomer(previous);
    if (previous?.timestamp !== row.timestamp) this.timeOrder.add(row.timestamp, row.id);
    this.byId.set(row.id, row);
    this.byMessageId.set(row.messageId, row.id);
    const ids = this.byCustomer.get(row.customerId);
    if (ids) ids.push(row.id);
    else this.byCustomer.set(row.customerId, [row.id]);
  }

  get(id: string): EventRecord | undefined {
    return this.byId.get(id)?.record();
  }

  /** Ids of the events a source recorded. */
  idsOfSource(source: string): string[] {
    const out: string[] = [];
    for (const row of this.byId.values()) if (row.source === source) out.push(row.id);
    return out;
  }

  hasMessage(messageId: string): boolean {
    return this.byMessageId.has(messageId);
  }

  addMessage(messageId: string): void {
    if (!this.byMessageId.has(messageId)) this.byMessageId.set(messageId, null);
  }

  delete(id: string): void {
    const event = this.byId.get(id);
    if (!event) return;
    this.forgetCustomer(event);
    this.byId.delete(id);
    // The messageId stays known: a replay of a deleted event's message must not bring it back.
    if (this.byMessageId.get(event.messageId) === id) this.byMessageId.set(event.messageId, null);
  }

  findByMessageId(messageId: string): string | undefined {
    return this.byMessageId.get(messageId) ?? undefined;
  }

  /** Ids of a customer's events, in the order they were put. */
  idsOfCustomer(customerId: string): string[] {
    return [...(this.byCustomer.get(customerId) ?? [])];
  }

  ofCustomer(customerId: string): EventRecord[] {
    return (this.byCustomer.get(customerId) ?? []).map((id) => (this.byId.get(id) as EventRow).record());
  }

  move(fromCustomerId: string, toCustomerId: string): void {
    const ids = this.byCustomer.get(fromCustomerId);
    if (!ids || fromCustomerId === toCustomerId) return;
    this.byCustomer.delete(fromCustomerId);
    let target = this.byCustomer.get(toCustomerId);
    if (!target) {
      target = [];
      this.byCustomer.set(toCustomerId, target);
    }
    for (const id of ids) {
      const row = this.byId.get(id);
      if (!row) continue;
      row.customerId = toCustomerId;
      target.push(id);
    }
  }

  list(query: EventQuery): EventRecord[] {
    if (query.customerId === undefined) {
      return this.timeOrder.newestFirst(query, this.byId, (row) => matchesQuery(row, query)).map((row) => row.record());
    }
    const matched = (this.byCustomer.get(query.customerId) ?? [])
      .map((id) => this.byId.get(id) as EventRow)
      .filter((row) => matchesQuery(row, query));
    matched.sort((a, b) => (a.timestamp === b.timestamp ? (a.id < b.id ? 1 : -1) : a.timestamp < b.timestamp ? 1 : -1));
    return matched.slice(0, query.limit).map((row) => row.record());
  }

  /** Every event by (timestamp, id): a page of the whole workspace's events is a walk, not a sort of them all. */
  private readonly timeOrder = new TimeOrder();

  private forgetCustomer(event: EventRow): void {
    const ids = this.byCustomer.get(event.customerId);
    const at = ids ? ids.indexOf(event.id) : -1;
    if (!ids || at === -1) return;
    ids.splice(at, 1);
    if (ids.length === 0) this.byCustomer.delete(event.customerId);
  }
}

function matchesQuery(event: EventRow, query: EventQuery): boolean {
  return (
    (query.type === undefined || event.type === query.type) &&
    (query.category === undefined || event.category === query.category) &&
    (query.from === undefined || event.timestamp >= query.from) &&
    (query.to === undefined || event.timestamp <= query.to) &&
    (query.after === undefined || newer(query.after, event)) &&
    (query.terms === undefined || matchesTerms(event, query.terms))
  );
}

/**
 * Event ids in (timestamp, id) order, oldest first. Writes land in a pending list, merged in on the
 * next walk (tracking writes many, reads page few). An entry whose event was deleted or got another
 * timestamp is skipped by the walk and dropped at the next merge.
 */
class TimeOrder {
  private timestamps: string[] = [];
  private ids: string[] = [];
  /** Written since the last walk, in two arrays rather than an object per event (a million writes may wait here). */
  private pendingTimestamps: string[] = [];
  private pendingIds: string[] = [];

  add(timestamp: string, id: string): void {
    this.pendingTimestamps.push(timestamp);
    this.pendingIds.push(id);
  }

  /** Up to `query.limit` events that `accept`, newest first, from just past `query.after`. */
  newestFirst(query: EventQuery, byId: Map<string, EventRow>, accept: (event: EventRow) => boolean): EventRow[] {
    this.merge(byId);
    const { timestamps, ids } = this;
    const out: EventRow[] = [];
    // Start at the newest position before the cursor (and not after `to`); stop once older than `from`.
    let end = timestamps.length;
    if (query.after) end = firstAtOrAfter(timestamps, ids, query.after.timestamp, query.after.id);
    if (query.to !== undefined) end = Math.min(end, firstAfterTime(timestamps, query.to));
    for (let i = end - 1; i >= 0 && out.length < query.limit; i--) {
      if (query.from !== undefined && (timestamps[i] as string) < query.from) break;
      const event = byId.get(ids[i] as string);
      if (event === undefined || event.timestamp !== timestamps[i] || !accept(event)) continue;
      out.push(event);
    }
    return out;
  }

  /** Sorts the pending entries into the order, leaving out stale and repeated ones. */
  private merge(byId: Map<string, EventRow>): void {
    const pendingTimestamps = this.pendingTimestamps;
    const pendingIds = this.pendingIds;
    if (pendingIds.length === 0) return;
    this.pendingTimestamps = [];
    this.pendingIds = [];
    const pending = pendingIds
      .map((_, k) => k)
      .sort((a, b) =>
        compareKeys(pendingTimestamps[a] as string, pendingIds[a] as string, pendingTimestamps[b] as string, pendingIds[b] as string),
      );
    const timestamps: string[] = [];
    const ids: string[] = [];
    // An event whose timestamp went A → B → A between two walks has two entries (A, id): keep one.
    const keep = (timestamp: string, id: string) => {
      const last = ids.length - 1;
      if (byId.get(id)?.timestamp !== timestamp || (ids[last] === id && timestamps[last] === timestamp)) return;
      timestamps.push(timestamp);
      ids.push(id);
    };
    let i = 0;
    let j = 0;
    while (i < this.ids.length || j < pending.length) {
      const next = pending[j];
      const nextTimestamp = next === undefined ? "" : (pendingTimestamps[next] as string);
      const nextId = next === undefined ? "" : (pendingIds[next] as string);
      if (
        i < this.ids.length &&
        (next === undefined || compareKeys(this.timestamps[i] as string, this.ids[i] as string, nextTimestamp, nextId) <= 0)
      ) {
        keep(this.timestamps[i] as string, this.ids[i] as string);
        i++;
      } else {
        keep(nextTimestamp, nextId);
        j++;
      }
    }
    this.timestamps = timestamps;
    this.ids = ids;
  }
}

function compareKeys(aTime: string, aId: string, bTime: string, bId: string): number {
  if (aTime !== bTime) return aTime < bTime ? -1 : 1;
  return aId < bId ? -1 : aId > bId ? 1 : 0;
}

/** The first position whose (timestamp, id) is at or after the given one. */
function firstAtOrAfter(timestamps: string[], ids: string[], timestamp: string, id: string): number {
  let lo = 0;
  let hi = timestamps.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (compareKeys(timestamps[mid] as string, ids[mid] as string, timestamp, id) >= 0) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** The first position whose timestamp is after `time`. */
function firstAfterTime(timestamps: string[], time: string): number {
  let lo = 0;
  let hi = timestamps.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((timestamps[mid] as string) > time) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** True when `event` comes after the keyset position in newest-first order. */
function newer(position: { timestamp: string; id: string }, event: EventRow): boolean {
  return event.timestamp < position.timestamp || (event.timestamp === position.timestamp && event.id < position.id);
}

function matchesTerms(event: EventRow, terms: string[]): boolean {
  const tokens = tokenize([event.type, ...textValues(JSON.parse(event.properties))].join(" "));
  return terms.every((term) => tokens.some((token) => token.startsWith(term)));
}

function textValues(value: unknown, depth = 0): string[] {
  if (depth > 4) return [];
  if (typeof value === "string") return [value];
  if (Array.isArray(value)) return value.flatMap((item) => textValues(item, depth + 1));
  if (value && typeof value === "object") return Object.values(value).flatMap((item) => textValues(item, depth + 1));
  return [];
}
