import type { EventRecord } from "../records.js";
import type { EventQuery } from "../store.js";
import { tokenize } from "./text.js";

/** One workspace's events: by id, by customer, and by messageId for dedupe. */
export class EventIndex {
  readonly byId = new Map<string, EventRecord>();
  private readonly byCustomer = new Map<string, Set<string>>();
  private readonly byMessageId = new Map<string, string>();
  /** Every messageId applied in the workspace, events or not: dedupe has no expiry (DESIGN §3). */
  readonly messages = new Set<string>();

  put(event: EventRecord): void {
    const previous = this.byId.get(event.id);
    if (previous) this.forgetCustomer(previous);
    this.byId.set(event.id, event);
    this.byMessageId.set(event.messageId, event.id);
    this.messages.add(event.messageId);
    let ids = this.byCustomer.get(event.customerId);
    if (!ids) {
      ids = new Set();
      this.byCustomer.set(event.customerId, ids);
    }
    ids.add(event.id);
  }

  delete(id: string): void {
    const event = this.byId.get(id);
    if (!event) return;
    this.forgetCustomer(event);
    this.byId.delete(id);
    // The messageId stays known: a replay of a deleted event's message must not bring it back.
    this.byMessageId.delete(event.messageId);
  }

  findByMessageId(messageId: string): string | undefined {
    return this.byMessageId.get(messageId);
  }

  ofCustomer(customerId: string): EventRecord[] {
    return [...(this.byCustomer.get(customerId) ?? [])].map((id) => this.byId.get(id) as EventRecord);
  }

  move(fromCustomerId: string, toCustomerId: string): void {
    for (const event of this.ofCustomer(fromCustomerId)) this.put({ ...event, customerId: toCustomerId });
    this.byCustomer.delete(fromCustomerId);
  }

  list(query: EventQuery): EventRecord[] {
    const pool = query.customerId === undefined ? [...this.byId.values()] : this.ofCustomer(query.customerId);
    const matched = pool.filter(
      (event) =>
        (query.type === undefined || event.type === query.type) &&
        (query.category === undefined || event.category === query.category) &&
        (query.from === undefined || event.timestamp >= query.from) &&
        (query.to === undefined || event.timestamp <= query.to) &&
        (query.after === undefined || newer(query.after, event)) &&
        (query.terms === undefined || matchesTerms(event, query.terms)),
    );
    matched.sort((a, b) => (a.timestamp === b.timestamp ? (a.id < b.id ? 1 : -1) : a.timestamp < b.timestamp ? 1 : -1));
    return matched.slice(0, query.limit);
  }

  private forgetCustomer(event: EventRecord): void {
    const ids = this.byCustomer.get(event.customerId);
    ids?.delete(event.id);
    if (ids?.size === 0) this.byCustomer.delete(event.customerId);
  }
}

/** True when `event` comes after the keyset position in newest-first order. */
function newer(position: { timestamp: string; id: string }, event: EventRecord): boolean {
  return event.timestamp < position.timestamp || (event.timestamp === position.timestamp && event.id < position.id);
}

function matchesTerms(event: EventRecord, terms: string[]): boolean {
  const tokens = tokenize([event.type, ...textValues(event.properties)].join(" "));
  return terms.every((term) => tokens.some((token) => token.startsWith(term)));
}

function textValues(value: unknown, depth = 0): string[] {
  if (depth > 4) return [];
  if (typeof value === "string") return [value];
  if (Array.isArray(value)) return value.flatMap((item) => textValues(item, depth + 1));
  if (value && typeof value === "object") return Object.values(value).flatMap((item) => textValues(item, depth + 1));
  return [];
}
