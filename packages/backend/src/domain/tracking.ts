import {
  type ApiIssue,
  basePropertyNames,
  CustomerUpdate,
  type Identifier,
  type IdentityChange,
  type MessageType,
  messageTypes,
  type PropertyDefinition,
  type SchemaIssue,
  type Settings,
  type TrackingResult,
  toApiIssues,
  trackingLimits,
  trackingMessages,
} from "@cdp/contract";
import type { CustomerRecord } from "../store/records.js";
import { identityChangesOf, recordChange, recordIdentityChange } from "./changelog.js";
import { findPurpose, recordTrackedConsent } from "./consents.js";
import type { Domain, Scope } from "./context.js";
import { now, readIsoTime } from "./context.js";
import { DomainError } from "./errors.js";
import { eventTypeFor, recordEvent } from "./events.js";
import { maxIdentifierLength, normalizeForTracking, resolveAndApply, type TrackingDrop } from "./identity.js";
import { jsonBytesExceed } from "./json-size.js";
import { isEmpty } from "./merge.js";
import { surelyMatchesSchema } from "./message-check.js";
import { isPlainObject, sameJson, setOwn } from "./patch.js";
import { carriesErasedIdentifier } from "./privacy.js";
import { checkValue, storedValue } from "./properties.js";
import { processingRestricted } from "./restriction.js";
import { getSettings } from "./settings.js";

type Message = Record<string, unknown>;
type Rejection = TrackingResult["rejected"][number];

/**
 * One Segment message, already checked against its schema: resolve the profile, write traits, record the event.
 * `batchSentAt` is the batch's own `sentAt` (as Date.parse reads it), for a message without one.
 * Answers the id of the profile written to, or undefined when nothing was written: a replay, an erased
 * person's message, or one that brings nothing new (an identify of what the profile holds, a group).
 */
export function applyMessage(
  domain: Domain,
  requestScope: Scope,
  type: MessageType,
  message: Message,
  batchSentAt = Number.NaN,
): string | undefined {
  // A plug-in names its source (`shopify:<shop>`): its writes carry it, so an erasure by source finds them.
  const scope = typeof message.source === "string" ? { ...requestScope, source: message.source } : requestScope;
  const messageId = typeof message.messageId === "string" ? message.messageId : undefined;
  // A replayed message changes nothing (dedupe per workspace, no expiry).
  if (messageId !== undefined && domain.store.hasMessage(scope.workspaceId, messageId)) return undefined;
  const settings = getSettings(domain, scope.workspaceId);
  const typeName =
    type === "track" ? String(message.event) : type === "page" ? "Page Viewed" : type === "screen" ? "Screen Viewed" : undefined;
  // Refuse an unknown event type before anything is written.
  const eventType = typeName === undefined ? undefined : eventTypeFor(domain, scope.workspaceId, typeName, "body.event");

  const given = identifiersOf(type, message, domain, scope.workspaceId);
  const identifiers = normalizeForTracking(domain, given, settings);
  // Fewer than given: some were dropped (or were duplicates). Only then is there more to look at.
  const drops = identifiers.length < given.length ? droppedIdentifiers(domain, scope.workspaceId, type, message, settings) : undefined;
  if (identifiers.length === 0) {
    // No profile to keep the trace: the refusal names each value dropped, its place and the rule.
    throw new DomainError(
      "no_identifier",
      "Every identifier of the message was blocked or invalid.",
      drops?.length
        ? drops.map((drop) => ({ path: drop.path, message: drop.message }))
        : [{ path: "body.userId", message: "no usable userId, anonymousId, email or phone" }],
    );
  }
  // An erased person is not re-created by a later message: it is dropped (counted as accepted, nothing changes).
  if (carriesErasedIdentifier(domain, scope.actor.organizationId, identifiers)) return undefined;
  const { customer, changed } = resolveAndApply(domain, scope, identifiers, (holders) => refuseRestricted(domain, scope, holders, message));
  let wrote = changed;
  if (drops?.length && recordDrops(domain, scope, customer, drops)) wrote = true;
  if (type === "identify" && writeTraits(domain, scope, customer, traitsOf(message))) wrote = true;
  const preferences = consentPreferencesOf(message);
  if (preferences && recordTrackedConsent(domain, scope, customer.id, preferences).length > 0) wrote = true;

  if (eventType !== undefined) {
    // The message is this request's own (parsed from its body): its properties take the page's name
    // and category in place, and the store keeps a serialised copy, not the object.
    const properties = isPlainObject(message.properties) ? message.properties : {};
    if ((type === "page" || type === "screen") && typeof message.name === "string") setOwn(properties, "name", message.name);
    if (type === "page" && typeof message.category === "string") setOwn(properties, "category", message.category);
    recordEvent(
      domain,
      scope,
      {
        customerId: customer.id,
        type: eventType.name,
        category: eventType.category,
        timestamp: eventTime(message, now(domain), batchSentAt),
        properties,
        context: isPlainObject(message.context) ? message.context : {},
        messageId,
      },
      true,
    );
    // Recording the event made its messageId known.
    return customer.id;
  }
  if (messageId !== undefined) domain.store.addMessage(scope.workspaceId, messageId);
  return wrote ? customer.id : undefined;
}

/**
 * `/v1/batch`: each item is checked and applied on its own; a bad or oversized item is one entry of
 * `rejected` and the others go through. The batch's own context fills in what an item lacks.
 * `written`: how many items changed anything (not replays), for the audit log.
 */
export function applyBatch(
  domain: Domain,
  scope: Scope,
  body: { batch: unknown[]; context?: Record<string, unknown> | undefined; sentAt?: string | undefined },
): { result: TrackingResult; written: number } {
  const rejected: Rejection[] = [];
  let accepted = 0;
  const tally = { written: 0 };
  // Segment's libraries send `sentAt` once for the whole batch: read once, it corrects every item without its own.
  const sentAt = parsedTime(body.sentAt) ?? Number.NaN;
  for (let index = 0; index < body.batch.length; index++) {
    const rejection = applyItem(domain, scope, body.batch[index], index, body.context, sentAt, tally);
    if (rejection) rejected.push(rejection);
    else accepted++;
  }
  return { result: { accepted, rejected }, written: tally.written };
}

/** One batch item: checked and applied, or the reason it was rejected; `tally` counts the items that wrote anything. */
function applyItem(
  domain: Domain,
  scope: Scope,
  item: unknown,
  index: number,
  context: Record<string, unknown> | undefined,
  sentAt: number,
  tally: { written: number },
): Rejection | undefined {
  const messageId = isPlainObject(item) && typeof item.messageId === "string" ? item.messageId : null;
  const reject = (code: string, message: string, issues?: ApiIssue[]): Rejection => ({
    index,
    messageId,
    code,
    message,
    ...(issues?.length ? { issues } : {}),
  });
  if (!isPlainObject(item))
    return reject("validation_failed", "A batch item must be an object", [{ path: `body.batch.${index}`, message: "must be an object" }]);
  if (jsonBytesExceed(item, trackingLimits.messageBytes)) {
    return reject("payload_too_large", `A message may be at most ${trackingLimits.messageBytes} bytes`, [
      { path: `body.batch.${index}`, message: `over ${trackingLimits.messageBytes} bytes as JSON` },
    ]);
  }
  const type = item.type;
  if (typeof type !== "string" || !(messageTypes as readonly string[]).includes(type)) {
    return reject("validation_failed", "Each batch item names its type", [
      { path: `body.batch.${index}.type`, message: `expected one of ${messageTypes.map((name) => JSON.stringify(name)).join(", ")}` },
    ]);
  }
  // The batch's own context fills in for an item without one; an item's invalid context (a string,
  // a list, null) is that item's error, not replaced.
  const withContext = context && item.context === undefined ? { ...item, context } : item;
  let message: Message;
  // Most messages are plainly valid: a quick check says so; anything else goes through the schema, which has the last word.
  if (surelyMatchesSchema(type as MessageType, withContext)) message = withContext;
  else {
    const parsed = trackingMessages[type as MessageType].safeParse(withContext, { reportInput: true });
    if (!parsed.success) {
      return reject(
        "validation_failed",
        "The message does not match its schema",
        toApiIssues(parsed.error.issues as unknown as SchemaIssue[], `body.batch.${index}`),
      );
    }
    message = parsed.data as Message;
  }
  try {
    if (applyMessage(domain, scope, type as MessageType, message, sentAt) !== undefined) tally.written++;
    return undefined;
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    // Refused, but it recorded something (a withdrawal): the batch wrote.
    if (error.recordedOn !== undefined) tally.written++;
    return reject(
      error.code,
      error.detail ?? error.code,
      // A single message's `body.event` is this item's `body.batch.3.event`.
      error.issues?.map((issue) => ({ ...issue, path: `body.batch.${index}.${issue.path.replace(/^body\./, "")}` })),
    );
  }
}

/**
 * The identifiers a message carries: userId, anonymousId, deviceId and pushToken from
 * `context.device`, and email and phone from identify's `traits` and from any message's `context.traits`.
 * With `places`, where each one came from (`body.traits.email`), in the same order.
 */
function identifiersOf(
  type: MessageType,
  message: Message,
  domain: Domain,
  workspaceId: string,
  places?: string[],
  sent?: unknown[],
): Identifier[] {
  const out: Identifier[] = [];
  const add = (kind: string, value: unknown, place: string) => {
    if (typeof value === "string" || typeof value === "number") out.push({ type: kind, value: String(value) });
    // A trait email or phone that is no string (true, an object, a list) is dropped with a trace, not skipped.
    else if (value !== undefined && value !== null) out.push({ type: kind, value: notAString });
    else return;
    places?.push(place);
    sent?.push(value);
  };
  add("userId", message.userId, "body.userId");
  add("anonymousId", message.anonymousId, "body.anonymousId");
  // A mobile library names its install (`context.device.id`) and its push token (`context.device.token`).
  // https://segment.com/docs/connections/spec/common/#context-fields-automatically-collected
  const context = message.context;
  // Only a string or a number is read there: the device object is the library's description, not the user's input.
  if (isPlainObject(context) && isPlainObject(context.device)) {
    const { id, token } = context.device;
    if (typeof id === "string" || typeof id === "number") add("deviceId", id, "body.context.device.id");
    if (typeof token === "string" || typeof token === "number") add("pushToken", token, "body.context.device.token");
  }
  if (type === "alias") {
    // previousId is whatever the user was known by: the type that holds it now, else an anonymous id.
    const previous = String(message.previousId);
    // An alias of a user id to itself names one identity, not a device: it adds nothing.
    const heldAsUserId = domain.store.findCustomerIdByIdentifier(workspaceId, "userId", previous) !== undefined;
    if (message.userId === undefined || previous.trim() !== String(message.userId).trim())
      add(heldAsUserId ? "userId" : "anonymousId", previous, "body.previousId");
  }
  // Segment's spec: identify's `traits` and any message's `context.traits` describe the user; a
  // group's `traits` describe the group (its email is the company's), and other types have none.
  if (type === "identify" && isPlainObject(message.traits)) {
    add("email", message.traits.email, "body.traits.email");
    add("phone", message.traits.phone, "body.traits.phone");
  }
  if (isPlainObject(context) && isPlainObject(context.traits)) {
    add("email", context.traits.email, "body.context.traits.email");
    add("phone", context.traits.phone, "body.context.traits.phone");
  }
  return out;
}

/**
 * Stands in for a trait email or phone that is not a string: no email or phone can read it (a NUL is
 * neither trimmed nor blocked), so normalisation drops it as invalid and the rare path says why.
 */
const notAString = "\u0000";

/** An identifier a message carried but that identifies no one: where it was, the rule that dropped it. */
interface Drop {
  identifier: Identifier;
  path: string;
  rule: string;
  message: string;
}

/**
 * The rare path, when a message's identifiers shrank in normalisation: which were dropped, where
 * they were and why. Values are kept as sent, cut to the identifier cap, each once. An empty value
 * (`email: ""`, only white space, `[]`: `isEmpty`) is no identifier at all, so nothing was dropped.
 */
function droppedIdentifiers(domain: Domain, workspaceId: string, type: MessageType, message: Message, settings: Settings): Drop[] {
  const places: string[] = [];
  const sent: unknown[] = [];
  const found: TrackingDrop[] = [];
  normalizeForTracking(domain, identifiersOf(type, message, domain, workspaceId, places, sent), settings, found);
  const drops: Drop[] = [];
  for (const { index, identifier, rule, message: reason } of found) {
    const raw = sent[index];
    if (isEmpty(raw)) continue;
    // Decided by what was sent: a string that happens to be the stand-in is a string.
    const wrongKind = typeof raw !== "string" && typeof raw !== "number";
    const kind = Array.isArray(raw) ? "a list" : typeof raw === "object" ? "an object" : `a ${typeof raw}`;
    const why = wrongKind ? `${reason}: ${kind}, not a string` : reason;
    const value = (wrongKind ? (JSON.stringify(raw) ?? String(raw)) : identifier.value).slice(0, maxIdentifierLength);
    if (drops.some((drop) => drop.identifier.type === identifier.type && drop.identifier.value === value)) continue;
    drops.push({ identifier: { type: identifier.type, value }, path: places[index] as string, rule, message: why });
  }
  return drops;
}

/**
 * The receiving profile's changelog and ID changelog record each drop and its rule (DESIGN §4). A
 * device that sends the same bad value on every message is recorded once, not every time. The value
 * is kept as sent: a blocked one says nothing of anyone, a mistyped email is that person's own data,
 * on their profile only, exported and erased with it.
 */
function recordDrops(domain: Domain, scope: Scope, customer: CustomerRecord, drops: Drop[]): boolean {
  // The profile's history with its aliases': a drop recorded on a device's profile before it merged counts.
  const changes = identityChangesOf(domain, scope, customer);
  let recorded = false;
  for (const { identifier, rule } of drops) {
    if (lastChangeIsDrop(changes, identifier)) continue;
    recorded = true;
    recordIdentityChange(domain, scope, customer.id, { ...identifier, action: "dropped", rule });
    recordChange(domain, scope, customer.id, { kind: "identifier_dropped", identifier, rule });
  }
  return recorded;
}

function lastChangeIsDrop(changes: readonly IdentityChange[], identifier: Identifier): boolean {
  for (let i = changes.length - 1; i >= 0; i--) {
    const change = changes[i] as IdentityChange;
    if (change.type === identifier.type && change.value === identifier.value) return change.action === "dropped";
  }
  return false;
}

/**
 * Only a dpo writes to a restricted profile (GDPR art. 18), but a withdrawal of consent is taken from
 * anyone (art. 7(3)), as the consent routes take it: the message's denials are recorded on each
 * restricted profile it reaches, and the refusal says so; nothing else of the message is kept.
 */
function refuseRestricted(domain: Domain, scope: Scope, holders: readonly CustomerRecord[], message: Message): void {
  if (scope.actor.role === "dpo") return;
  if (!holders.some((holder) => holder.restricted)) return;
  const restricted = holders.filter((holder) => holder.restricted);
  const preferences = consentPreferencesOf(message);
  const denials: Record<string, unknown> = {};
  for (const [purpose, value] of Object.entries(preferences ?? {}))
    if (value === false && findPurpose(domain, scope.workspaceId, purpose)) setOwn(denials, purpose, false);
  const denied = Object.keys(denials);
  if (denied.length === 0) throw processingRestricted();
  const recorded = new Set<string>();
  let recordedOn: string | undefined;
  for (const holder of restricted) {
    const appended = recordTrackedConsent(domain, scope, holder.id, denials);
    for (const purpose of appended) recorded.add(purpose);
    if (appended.length > 0) recordedOn ??= holder.id;
  }
  const list = (purposes: string[]) => `withdrawal${purposes.length === 1 ? "" : "s"} (${purposes.join(", ")})`;
  const already = denied.filter((purpose) => !recorded.has(purpose));
  const said = [
    ...(recorded.size ? [`the ${list([...recorded])} ${recorded.size === 1 ? "was" : "were"} recorded`] : []),
    ...(already.length ? [`the ${list(already)} ${already.length === 1 ? "was" : "were"} recorded before`] : []),
  ];
  const refusal = processingRestricted([
    { path: "body.context.consent.categoryPreferences", message: `${said.join("; ")}; nothing else of the message was` },
  ]);
  // The refusal wrote something: the audit log keeps it, as it keeps a withdrawal through the consent routes.
  refusal.recordedOn = recordedOn;
  throw refusal;
}

/** Consent as Segment carries it: `context.consent.categoryPreferences`, keyed by purpose id. */
function consentPreferencesOf(message: Message): Record<string, unknown> | undefined {
  const context = message.context;
  if (!isPlainObject(context) || !isPlainObject(context.consent)) return undefined;
  const preferences = context.consent.categoryPreferences;
  return isPlainObject(preferences) ? preferences : undefined;
}

function traitsOf(message: Message): Record<string, unknown> {
  return isPlainObject(message.traits) ? message.traits : {};
}

/** Segment's reserved traits that name a base property (DESIGN §4). */
const reservedTraits: Record<string, string> = {
  firstName: "firstName",
  first_name: "firstName",
  lastName: "lastName",
  last_name: "lastName",
  birthday: "birthDate",
  gender: "gender",
  title: "jobTitle",
  locale: "locale",
  timezone: "timeZone",
  timeZone: "timeZone",
};

/**
 * Tracking never fails on traits: reserved ones map to base properties, ones that name a defined
 * extended property are written there (when the value fits), everything else goes to `traits`.
 * email and phone became identifiers already.
 */
function writeTraits(domain: Domain, scope: Scope, customer: CustomerRecord, traits: Record<string, unknown>): boolean {
  // An empty value (null, "", "  ", [], {}) never overwrites a real one (DESIGN §4), nor stands for one: it is not written.
  const entries: [string, unknown][] = [];
  // A name no profile field can carry (a trait's takes 1 to 128 characters) is dropped, and the changelog says so.
  const unfit: string[] = [];
  for (const [name, value] of Object.entries(traits)) {
    if (name === "email" || name === "phone" || name === "id" || name === "userId" || isEmpty(value)) continue;
    if (name.length >= 1 && name.length <= 128) entries.push([name, value]);
    else unfit.push(name);
  }
  if (entries.length === 0 && unfit.length === 0) return false;
  let definedProperties: Map<string, PropertyDefinition> | undefined;
  const definedProperty = (name: string) => {
    definedProperties ??= new Map(domain.store.listProperties(scope.workspaceId).map((property) => [property.name, property]));
    return definedProperties.get(name);
  };
  const at = now(domain);
  // Every field this message writes has the same write: one record for all of them.
  const write = { source: scope.source, at };
  const next: CustomerRecord = {
    ...customer,
    base: { ...customer.base },
    properties: { ...customer.properties },
    traits: { ...customer.traits },
    fieldWrites: { ...customer.fieldWrites },
  };
  const changes: Record<string, unknown> = {};
  let notes: Record<string, string> | undefined =
    unfit.length === 0
      ? undefined
      : {
          traits: `dropped ${unfit.map((name) => JSON.stringify(name.length > 40 ? `${name.slice(0, 40)}…` : name)).join(", ")}: a trait's name takes 1 to 128 characters`,
        };
  /** Records a field's write, unless the profile holds that value already (a repeated identify writes nothing). */
  const written = (field: string, value: unknown): boolean => {
    if (sameJson(currentValue(customer, field), value)) return false;
    next.fieldWrites[field] = write;
    setOwn(changes, field, value);
    return true;
  };
  for (const [name, value] of entries) {
    const base = Object.hasOwn(reservedTraits, name) ? reservedTraits[name] : undefined;
    const baseValue = base && typeof value === "string" ? (base === "birthDate" ? value.slice(0, 10) : value) : undefined;
    if (base && baseValue !== undefined && fitsBase(base, baseValue)) {
      setOwn(next.base, base, baseValue);
      written(base, baseValue);
    } else if (
      name === "name" &&
      typeof value === "string" &&
      fitsBase("firstName", value) &&
      isEmpty(traits.firstName) &&
      isEmpty(traits.lastName)
    ) {
      const [first, ...rest] = value.trim().split(/\s+/);
      if (first) {
        setOwn(next.base, "firstName", first);
        written("firstName", first);
      }
      if (rest.length) {
        setOwn(next.base, "lastName", rest.join(" "));
        written("lastName", rest.join(" "));
      }
    } else if (name === "address" && isPlainObject(value)) {
      const address = {
        ...(isPlainObject(next.base.address) ? next.base.address : {}),
        ...pick(value, addressParts),
      };
      if (!fitsBase("address", address)) {
        setOwn(next.traits, name, value);
        written(`traits.${name}`, value);
        continue;
      }
      if (!isEmpty(address)) {
        setOwn(next.base, "address", address);
        written("address", address);
      }
      // The parts that are no address field, or not a text one, are kept under traits, not lost.
      const rest = addressLeftovers(value);
      if (rest !== undefined) {
        setOwn(next.traits, name, rest);
        if (written(`traits.${name}`, rest)) {
          notes ??= {};
          setOwn(
            notes,
            `traits.${name}`,
            `not address: ${Object.keys(rest).join(", ")} ${Object.keys(rest).length === 1 ? "is" : "are"} no address part (street, city, postalCode, region, country) as text`,
          );
        }
      }
    } else if (
      name === "company" &&
      (typeof value === "string" || (isPlainObject(value) && typeof value.name === "string")) &&
      fitsBase("company", typeof value === "string" ? value : value.name)
    ) {
      const company = typeof value === "string" ? value : (value.name as string);
      setOwn(next.base, "company", company);
      written("company", company);
    } else if (definedProperty(name) !== undefined && !(basePropertyNames as string[]).includes(name)) {
      const definition = definedProperty(name) as PropertyDefinition;
      const misfit = checkValue(definition, value);
      if (misfit === undefined) {
        const stored = storedValue(definition, value);
        setOwn(next.properties, name, stored);
        written(`properties.${name}`, stored);
      } else {
        // Kept, not lost, and not silently: the changelog says why it is not the property.
        setOwn(next.traits, name, value);
        if (written(`traits.${name}`, value)) {
          notes ??= {};
          setOwn(notes, `traits.${name}`, `not properties.${name}: ${misfit}`);
        }
      }
    } else {
      setOwn(next.traits, name, value);
      written(`traits.${name}`, value);
    }
  }
  // Nothing the profile lacks: nothing written, no new updatedAt, no changelog entry.
  if (Object.keys(changes).length === 0) {
    if (notes === undefined) return false;
    // Only dropped names: the profile is as it was, its changelog says what was not kept.
    recordChange(domain, scope, customer.id, { kind: "updated", changes, notes });
    return true;
  }
  next.updatedAt = at;
  domain.store.putCustomer(next);
  recordChange(domain, scope, next.id, { kind: "updated", changes, notes });
  return true;
}

/**
 * Whether a value fits a base property as the API would take it (a bad birthday stays a trait): the
 * field's own schema in the update, which is what `CustomerUpdate` checks a one-field patch with.
 */
function fitsBase(field: string, value: unknown): boolean {
  const shape = CustomerUpdate.def.shape as Record<string, { safeParse(value: unknown): { success: boolean } }>;
  return Object.hasOwn(shape, field) && (shape[field] as { safeParse(value: unknown): { success: boolean } }).safeParse(value).success;
}

/** The names Segment's `address` trait may use for each part of the base address. */
const addressParts: Record<string, string> = {
  street: "street",
  city: "city",
  postalCode: "postalCode",
  postal_code: "postalCode",
  state: "region",
  region: "region",
  country: "country",
};

/** What of an address trait `pick` does not take (an unknown key, a part that is no text or over 200 characters), or undefined. */
function addressLeftovers(value: Record<string, unknown>): Record<string, unknown> | undefined {
  let rest: Record<string, unknown> | undefined;
  for (const [key, part] of Object.entries(value)) {
    const taken = Object.hasOwn(addressParts, key) && typeof part === "string" && part.length <= 200;
    if (taken || isEmpty(part)) continue;
    rest ??= {};
    setOwn(rest, key, part);
  }
  return rest;
}

/** A profile's value at a changelog field name: `firstName`, `properties.age`, `traits.plan`. */
function currentValue(customer: CustomerRecord, field: string): unknown {
  const [holder, name] = field.startsWith("properties.")
    ? [customer.properties, field.slice(11)]
    : field.startsWith("traits.")
      ? [customer.traits, field.slice(7)]
      : [customer.base as Record<string, unknown>, field];
  return Object.hasOwn(holder, name) ? holder[name] : undefined;
}

function pick(source: Record<string, unknown>, names: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [from, to] of Object.entries(names)) {
    const value = source[from];
    // An empty part never overwrites a real one.
    if (typeof value === "string" && value.length <= 200 && value.trim() !== "") out[to] = value;
  }
  return out;
}

/**
 * When the event happened. With a `sentAt` (the message's own, else its batch's) the device's clock
 * is corrected as Segment does: timestamp = receivedAt − (sentAt − originalTimestamp), where
 * originalTimestamp is the message's `originalTimestamp`, else its `timestamp`. Without one, the
 * `timestamp` as sent; else when it was received.
 * https://segment.com/docs/connections/spec/common/#timestamps
 */
function eventTime(message: Message, receivedAt: string, batchSentAt: number): string {
  const sentAt = message.sentAt === undefined ? batchSentAt : (parsedTime(message.sentAt) ?? batchSentAt);
  if (!Number.isNaN(sentAt)) {
    const original = parsedTime(message.originalTimestamp) ?? parsedTime(message.timestamp);
    if (original !== undefined) {
      const corrected = receivedMs(receivedAt) - (sentAt - original);
      if (inRange(corrected)) return new Date(corrected).toISOString();
    }
  }
  // Most clients send the canonical form already (what toISOString gives): kept as it is.
  // A day up to 28 exists in every month; past it, the date must not roll over into the next month.
  if (typeof message.timestamp === "string" && isoStringForm.test(message.timestamp)) {
    const day = Number(message.timestamp.slice(8, 10));
    if (day <= 28 || new Date(Date.parse(message.timestamp)).getUTCDate() === day) return message.timestamp;
  }
  const timestamp = parsedTime(message.timestamp);
  if (timestamp !== undefined && inRange(timestamp)) return new Date(timestamp).toISOString();
  return receivedAt;
}

/** `receivedAt` in ms: the messages of a batch mostly share one, so it is parsed once. */
function receivedMs(receivedAt: string): number {
  if (receivedAt !== lastReceivedAt) {
    lastReceivedAt = receivedAt;
    lastReceivedMs = Date.parse(receivedAt);
  }
  return lastReceivedMs;
}

let lastReceivedAt = "";
let lastReceivedMs = Number.NaN;

/** A message's time in ms, or undefined: ISO 8601 with its offset, or a bare date (UTC), as `readIsoTime` reads them. */
function parsedTime(value: unknown): number | undefined {
  return typeof value === "string" ? readIsoTime(value, { bareDate: true }) : undefined;
}

/** `2026-11-23T16:34:37.000Z` as toISOString writes it: years 0000 to 9999, months 01 to 12, days 01 to 31, hours 00 to 23. */
const isoStringForm = /^\d{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])T(?:[01]\d|2[0-3]):[0-5]\d:[0-5]\d\.\d{3}Z$/;

/** Years 0000 to 9999: what an ISO 8601 timestamp of the API can say. */
function inRange(time: number): boolean {
  return Number.isFinite(time) && time >= -62_167_219_200_000 && time <= 253_402_300_799_999;
}
