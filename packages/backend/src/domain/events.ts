import type { Event, EventCreate, EventListQuery, EventUpdate } from "@cdp/contract";
import type { EventRecord } from "../store/records.js";
import type { Domain, Scope } from "./context.js";
import { canonicalTime, now } from "./context.js";
import { cursorList, decodeCursor, encodeCursor, profileIds } from "./cursor.js";
import { findCustomer, getCustomer } from "./customers.js";
import { DomainError } from "./errors.js";
import { findEventType } from "./event-types.js";
import { isMatchable, normalizeForApi, resolveAndApply } from "./identity.js";
import { copyObject, mergePatch } from "./patch.js";
import { refuseErasedIdentifiers } from "./privacy.js";
import { assertHoldersWritable, assertWritable, assertWritableAt } from "./restriction.js";
import { quotedPhrases } from "./search.js";
import { assertRoomForTypes, getSettings } from "./settings.js";

export interface NewEvent {
  customerId: string;
  type: string;
  category?: string | undefined;
  timestamp?: string | undefined;
  properties?: Record<string, unknown> | undefined;
  context?: Record<string, unknown> | undefined;
  messageId?: string | undefined;
}

/**
 * The category an event of this type gets: the one given, else the registered type's, else
 * `custom` — or a refusal when the workspace rejects unknown types.
 */
export function categoryFor(domain: Domain, workspaceId: string, type: string, given?: string, path = "body.type"): string {
  const registered = eventTypeFor(domain, workspaceId, type, path);
  return given ?? registered.category;
}

/**
 * The registered type (its name is one string shared by every event of it, not one per parsed
 * message), or `custom` — or a refusal when the workspace rejects unknown types.
 */
export function eventTypeFor(domain: Domain, workspaceId: string, type: string, path = "body.type"): { name: string; category: string } {
  const registered = findEventType(domain, workspaceId, type);
  if (registered) return registered;
  if (getSettings(domain, workspaceId).unknownEventTypes === "reject") {
    throw new DomainError("unknown_event_type", `${type} is not a defined event type, and the workspace refuses unknown types.`, [
      { path, message: "is not a defined event type" },
    ]);
  }
  return { name: type, category: "custom" };
}

/**
 * Records an event for a live customer; a messageId seen before answers the event already recorded.
 * The record is the store's: copy it (`toEvent`) before handing it out. So are the `properties` and
 * `context` given: callers pass objects of their own (parsed from the request), never touched again.
 */
export function recordEvent(
  domain: Domain,
  scope: Scope,
  input: NewEvent,
  /** The caller knows the messageId is new (tracking checked it): no second lookup. */
  fresh = false,
): { record: EventRecord; duplicate: boolean } {
  if (input.messageId !== undefined && !fresh) {
    const seenId = domain.store.findEventIdByMessageId(scope.workspaceId, input.messageId);
    const seen = seenId === undefined ? undefined : domain.store.getEvent(scope.workspaceId, seenId);
    if (seen) return { record: seen, duplicate: true };
  }
  const receivedAt = now(domain);
  const record: EventRecord = {
    id: domain.ids.id("event"),
    messageId: input.messageId ?? domain.ids.id("event").replace(/^evt_/, "msg_"),
    type: input.type,
    // Both callers checked the type already; a category given stands.
    category: input.category ?? categoryFor(domain, scope.workspaceId, input.type),
    // Tracking gives its times in the store's form already (`eventTime`); `createEvent` makes it so.
    timestamp: input.timestamp ?? receivedAt,
    receivedAt,
    properties: input.properties ?? {},
    context: input.context ?? {},
    source: scope.source,
    customerId: input.customerId,
    workspaceId: scope.workspaceId,
  };
  domain.store.putEvent(record);
  return { record, duplicate: false };
}

/**
 * `POST /events`: by customer id, or by identifiers that resolve (or create) the profile. A messageId
 * seen before answers the event already recorded, `created: false`, and writes nothing.
 */
export function createEvent(domain: Domain, scope: Scope, input: EventCreate): { event: Event; created: boolean } {
  if (input.messageId !== undefined) {
    const seenId = domain.store.findEventIdByMessageId(scope.workspaceId, input.messageId);
    const seen = seenId === undefined ? undefined : domain.store.getEvent(scope.workspaceId, seenId);
    if (seen) return { event: toEvent(seen), created: false };
    // Dedupe has no expiry: the messageId of a deleted event never records an event again.
    if (domain.store.hasMessage(scope.workspaceId, input.messageId)) {
      throw new DomainError("message_replayed", "That messageId was used before (its event was deleted); it never records again.", [
        { path: "body.messageId", message: "was used before" },
      ]);
    }
  }
  // Refuse an unknown type before resolution writes anything.
  categoryFor(domain, scope.workspaceId, input.type, input.category);
  let customerId: string;
  if (input.customerId !== undefined) {
    const customer = getCustomer(domain, scope, input.customerId, "body.customerId");
    assertWritableAt([{ record: customer, path: "body.customerId" }], scope);
    customerId = customer.id;
  } else {
    const settings = getSettings(domain, scope.workspaceId);
    const placed = (input.identifiers ?? []).map((identifier, index) => ({ identifier, path: `body.identifiers.${index}.value` }));
    const identifiers = normalizeForApi(domain, placed, settings);
    assertRoomForTypes(domain, scope.workspaceId, settings, input.identifiers ?? [], (index) => `body.identifiers.${index}.type`);
    refuseErasedIdentifiers(domain, scope, identifiers, "body.identifiers");
    // A value of a non-unique type identifies no one: with nothing else, there is no profile to find or make.
    if (identifiers.length > 0 && !identifiers.some((identifier) => isMatchable(settings, identifier.type))) {
      throw new DomainError(
        "identifier_not_unique",
        "None of the identifiers is of a unique type, so none identifies one customer; give a customerId or a unique identifier.",
        (input.identifiers ?? []).map((_, index) => ({ path: `body.identifiers.${index}.type`, message: "a non-unique type" })),
      );
    }
    customerId = resolveAndApply(domain, scope, identifiers, (holders) => assertHoldersWritable(domain, scope, holders, placed)).customer
      .id;
  }
  const timestamp = input.timestamp === undefined ? undefined : canonicalTime(input.timestamp);
  return { event: toEvent(recordEvent(domain, scope, { ...input, customerId, timestamp }).record), created: true };
}

export function getEvent(domain: Domain, scope: Scope, id: string): Event {
  const record = domain.store.getEvent(scope.workspaceId, id);
  if (!record) throw new DomainError("not_found", "No event with that id.");
  return toEvent(record);
}

/** An event to change: 404 when there is none, 403 `processing_restricted` when its profile is restricted and the caller no dpo. */
function writableEvent(domain: Domain, scope: Scope, id: string): EventRecord {
  const record = domain.store.getEvent(scope.workspaceId, id);
  if (!record) throw new DomainError("not_found", "No event with that id.");
  const customer = domain.store.getCustomer(scope.workspaceId, record.customerId);
  if (customer) assertWritable(customer, scope);
  return record;
}

export function updateEvent(domain: Domain, scope: Scope, id: string, patch: EventUpdate): Event {
  const record = writableEvent(domain, scope, id);
  const type = patch.type ?? record.type;
  const next: EventRecord = {
    ...record,
    type,
    category: patch.type ? categoryFor(domain, scope.workspaceId, type, patch.category) : (patch.category ?? record.category),
    timestamp: patch.timestamp === undefined ? record.timestamp : canonicalTime(patch.timestamp),
    properties:
      patch.properties === undefined
        ? record.properties
        : ((mergePatch(record.properties, patch.properties ?? {}) as Record<string, unknown>) ?? {}),
    context:
      patch.context === undefined ? record.context : ((mergePatch(record.context, patch.context ?? {}) as Record<string, unknown>) ?? {}),
  };
  if (patch.properties === null) next.properties = {};
  if (patch.context === null) next.context = {};
  domain.store.putEvent(next);
  return toEvent(next);
}

export function deleteEvent(domain: Domain, scope: Scope, id: string): { id: string; deleted: true } {
  writableEvent(domain, scope, id);
  domain.store.deleteEvent(scope.workspaceId, id);
  return { id, deleted: true };
}

/** A copy under a new id and messageId. */
export function duplicateEvent(domain: Domain, scope: Scope, id: string): Event {
  const record = writableEvent(domain, scope, id);
  const copy: EventRecord = {
    ...record,
    id: domain.ids.id("event"),
    messageId: domain.ids.id("event").replace(/^evt_/, "msg_"),
    receivedAt: now(domain),
  };
  domain.store.putEvent(copy);
  return toEvent(copy);
}

export function listEvents(domain: Domain, scope: Scope, query: EventListQuery) {
  const limit = Number(query.limit ?? 50);
  // A customer's events are that customer's list: its cursors name the profile (an unknown id, itself).
  const customer = query.customerId === undefined ? undefined : findCustomer(domain, scope, query.customerId);
  const owners = query.customerId === undefined ? undefined : customer ? profileIds(customer) : [query.customerId];
  const text = query.q === undefined ? undefined : eventText(query.q);
  const from = query.from === undefined ? undefined : canonicalTime(query.from);
  const to = query.to === undefined ? undefined : canonicalTime(query.to);
  // The profile is the cursor's owner (checked against its ids, aliases included), not part of the fingerprint.
  const list = cursorList("events", {
    workspace: scope.workspaceId,
    type: query.type,
    category: query.category,
    from,
    to,
    text: text === undefined || (text.terms.length === 0 && text.phrases.length === 0) ? undefined : sortedText(text),
  });
  const after = query.cursor === undefined ? undefined : decodeCursor(query.cursor, list, owners ? { owners } : {});
  if (query.customerId !== undefined && customer === undefined) return { data: [], nextCursor: null };
  const customerId = customer?.id;
  const events = domain.store.listEvents(scope.workspaceId, {
    limit: limit + 1,
    ...(customerId === undefined ? {} : { customerId }),
    ...(query.type === undefined ? {} : { type: query.type }),
    ...(query.category === undefined ? {} : { category: query.category }),
    ...(from === undefined ? {} : { from }),
    ...(to === undefined ? {} : { to }),
    ...(text === undefined ? {} : text),
    ...(after === undefined ? {} : { after: { timestamp: String(after.value), id: after.id } }),
    hideRestricted: scope.actor.role !== "dpo",
  });
  const data = events.slice(0, limit).map(toEvent);
  const last = data[data.length - 1];
  return {
    data,
    nextCursor: events.length > limit && last ? encodeCursor(list, { value: last.timestamp, id: last.id, owner: customerId }) : null,
  };
}

/** `q` of an event list: unquoted terms (word prefixes, all must match) and quoted phrases (each equals a whole value). */
function eventText(q: string): { terms: string[]; phrases: string[] } {
  const { phrases, rest } = quotedPhrases(q);
  return { terms: rest.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [], phrases };
}

/** Terms and phrases are each AND-ed: sorted and once each, they name what a `q` selects whatever its order. */
function sortedText(text: { terms: string[]; phrases: string[] }): { terms: string[]; phrases: string[] } {
  return { terms: [...new Set(text.terms)].sort(), phrases: [...new Set(text.phrases)].sort() };
}

export function toEvent(record: EventRecord): Event {
  const { workspaceId: _, ...event } = record;
  return { ...event, properties: copyObject(event.properties), context: copyObject(event.context) };
}
