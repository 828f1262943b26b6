import type { Customer, CustomerExport, Identifier, PrivacyRequest, PrivacyRequestListQuery } from "@cdp/contract";
import { stringify } from "csv-stringify/sync";
import { sha256Now } from "../crypto.js";
import type { PrivacyRequestRecord } from "../store/records.js";
import { changelogOf } from "./changelog.js";
import { consentLog, consentState, recordLimitation } from "./consents.js";
import type { Actor, Domain, Scope } from "./context.js";
import { now } from "./context.js";
import { cursorList, decodeCursor, encodeCursor } from "./cursor.js";
import { getCustomer, removeIdentifier, toCustomer } from "./customers.js";
import { DomainError } from "./errors.js";
import { toEvent } from "./events.js";
import { customerIdentities, isMatchable } from "./identity.js";
import { getSettings } from "./settings.js";
import { customerSubscriptions } from "./subscriptions.js";

/** Everything held about one customer, as JSON; recorded as an `access` privacy request. A restricted profile goes to a dpo only. */
export function exportCustomer(domain: Domain, scope: Scope, id: string): CustomerExport {
  const customer = getCustomer(domain, scope, id);
  if (customer.restricted && scope.actor.role !== "dpo") {
    throw new DomainError("processing_restricted", "The profile's processing is restricted (GDPR art. 18); only a dpo exports it.");
  }
  const at = now(domain);
  const data: CustomerExport = {
    exportedAt: at,
    customer: toCustomer(customer),
    identities: customerIdentities(domain, scope, customer),
    events: domain.store
      .eventsOfCustomer(scope.workspaceId, customer.id)
      .sort((a, b) => (a.timestamp === b.timestamp ? (a.id < b.id ? -1 : 1) : a.timestamp < b.timestamp ? -1 : 1))
      .map(toEvent),
    consents: { state: consentState(domain, scope.workspaceId, customer), history: consentLog(domain, scope.workspaceId, customer.id) },
    subscriptions: customerSubscriptions(domain, scope, customer),
    changelog: changelogOf(domain, scope, customer, undefined, Number.POSITIVE_INFINITY).map(({ workspaceId: _, ...entry }) => entry),
  };
  putRequest(domain, scope.actor, {
    type: "access",
    subject: subjectOf(customer.id),
    reason: null,
    workspaces: [scope.workspaceId],
    erased: null,
  });
  return data;
}

/**
 * One customer's export as CSV: a header row and one row, with the profile's fields, its
 * identifiers and tags, one column per consent purpose and the date of the latest decision.
 */
export function exportCsv(data: CustomerExport): string {
  const customer = data.customer;
  const row: Record<string, string> = {
    id: customer.id,
    email: customer.email ?? "",
    phone: customer.phone ?? "",
    firstName: customer.firstName ?? "",
    lastName: customer.lastName ?? "",
    birthDate: customer.birthDate ?? "",
    gender: customer.gender ?? "",
    locale: customer.locale ?? "",
    timeZone: customer.timeZone ?? "",
    company: customer.company ?? "",
    jobTitle: customer.jobTitle ?? "",
    "address.street": customer.address?.street ?? "",
    "address.postalCode": customer.address?.postalCode ?? "",
    "address.city": customer.address?.city ?? "",
    "address.region": customer.address?.region ?? "",
    "address.country": customer.address?.country ?? "",
    identifiers: customer.identifiers.map((identifier) => `${identifier.type}:${identifier.value}`).join("; "),
    tags: customer.tags.join("; "),
    status: customer.status,
    restricted: String(customer.restricted),
    createdAt: customer.createdAt,
    updatedAt: customer.updatedAt,
  };
  for (const [name, value] of Object.entries(customer.properties)) row[`properties.${name}`] = cell(value);
  for (const [name, value] of Object.entries(customer.traits)) row[`traits.${name}`] = cell(value);
  for (const purpose of data.consents.state.purposes) row[`consent.${purpose.purpose}`] = purpose.state;
  const decided = data.consents.state.purposes.map((purpose) => purpose.collectedAt).filter((at): at is string => at !== null);
  row.consentDate = decided.sort().at(-1) ?? "";
  row.subscriptions = data.subscriptions
    .filter((subscription) => subscription.state !== "never_subscribed")
    .map((subscription) => `${subscription.listId}:${subscription.value}:${subscription.state}`)
    .join("; ");
  return stringify([row], { header: true, columns: Object.keys(row), record_delimiter: "\r\n" });
}

/**
 * The right to be forgotten: removes the customer, and every profile of the organization's other
 * workspaces that holds one of its identifiers, with everything kept about them; their identifiers
 * are kept only as hashes so tracking drops later messages that carry them.
 */
export function eraseCustomer(domain: Domain, scope: Scope, id: string, reason: string): PrivacyRequest {
  const origin = getCustomer(domain, scope, id);
  const request = putRequest(domain, scope.actor, {
    type: "erasure",
    subject: subjectOf(origin.id),
    reason,
    workspaces: [],
    erased: null,
  });
  const targets = new Map<string, { workspaceId: string; customerId: string }>();
  targets.set(`${scope.workspaceId}\u0000${origin.id}`, { workspaceId: scope.workspaceId, customerId: origin.id });
  for (const workspace of domain.store.listWorkspaces(scope.actor.organizationId)) {
    const settings = getSettings(domain, workspace.id);
    for (const identifier of origin.identifiers) {
      // A non-unique value (a shared membership number) says nothing about who holds it: it leads to nobody else.
      if (!isMatchable(settings, identifier.type)) continue;
      const holder = domain.store.findCustomerIdByIdentifier(workspace.id, identifier.type, identifier.value);
      if (holder !== undefined) targets.set(`${workspace.id}\u0000${holder}`, { workspaceId: workspace.id, customerId: holder });
    }
  }
  let customers = 0;
  let events = 0;
  const workspaces = new Set<string>();
  for (const { workspaceId, customerId } of targets.values()) {
    const record = domain.store.getCustomer(workspaceId, customerId);
    if (!record) continue;
    const settings = getSettings(domain, workspaceId);
    // Only values that identify the person are kept (hashed) to drop later messages: a shared one would drop other people's.
    for (const identifier of record.identifiers)
      if (isMatchable(settings, identifier.type)) domain.store.addErasedIdentifier(scope.actor.organizationId, identifierHash(identifier));
    // Its old (merged) ids go too: none of them may answer for the person again.
    for (const alias of record.aliases ?? []) {
      events += domain.store.eraseCustomer(workspaceId, alias).events;
      customers++;
    }
    events += domain.store.eraseCustomer(workspaceId, customerId).events;
    customers++;
    workspaces.add(workspaceId);
  }
  return putRequest(domain, scope.actor, {
    ...request,
    status: "completed",
    completedAt: now(domain),
    workspaces: [...workspaces],
    erased: { customers, events },
  });
}

/**
 * An erasure by source (a shop that left): removes every customer of the workspace whose identifiers
 * this source added, all of them, with its merged ids and everything kept about them; from a customer
 * another source also gave identifiers to, only the identifiers this source added; and every event
 * this source recorded. So a customer whose profile other sources built keeps it (a public write key
 * naming a shop's source on one message cannot get that profile erased). The identifiers are not
 * blocked afterwards: the shop left, not the person, who may come back through another source.
 */
export function eraseSource(domain: Domain, scope: Scope, source: string, reason: string): PrivacyRequest {
  const request = putRequest(domain, scope.actor, { type: "erasure", subject: source, reason, workspaces: [], erased: null });
  const { workspaceId } = scope;
  let customers = 0;
  let events = 0;
  for (const customerId of domain.store.customerIdsOfSource(workspaceId, source)) {
    const identifiers = domain.store.getCustomer(workspaceId, customerId)?.identifiers ?? [];
    if (identifiers.some((identifier) => identifier.source !== source)) {
      for (const identifier of identifiers)
        if (identifier.source === source) removeIdentifier(domain, scope, customerId, identifier.type, identifier.value);
      continue;
    }
    for (const alias of domain.store.getCustomer(workspaceId, customerId)?.aliases ?? []) {
      events += domain.store.eraseCustomer(workspaceId, alias).events;
      customers++;
    }
    events += domain.store.eraseCustomer(workspaceId, customerId).events;
    customers++;
  }
  for (const eventId of domain.store.eventIdsOfSource(workspaceId, source)) {
    domain.store.deleteEvent(workspaceId, eventId);
    events++;
  }
  return putRequest(domain, scope.actor, {
    ...request,
    status: "completed",
    completedAt: now(domain),
    workspaces: [workspaceId],
    erased: { customers, events },
  });
}

/** Restricts (or lifts the restriction of) processing: a dpo's limitation record, and a privacy request. */
export function restrictCustomer(domain: Domain, scope: Scope, id: string, active: boolean, reason: string | undefined): Customer {
  const customer = getCustomer(domain, scope, id);
  recordLimitation(domain, scope, customer.id, active);
  putRequest(domain, scope.actor, {
    type: active ? "restriction" : "restriction_lifted",
    subject: subjectOf(customer.id),
    reason: reason ?? null,
    workspaces: [scope.workspaceId],
    erased: null,
  });
  return toCustomer(getCustomer(domain, scope, customer.id));
}

export function listPrivacyRequests(domain: Domain, actor: Actor, query: PrivacyRequestListQuery) {
  const limit = Number(query.limit ?? 50);
  // The organization's list: every workspace's key of it pages the same requests.
  const list = cursorList("privacy-requests", { organization: actor.organizationId, type: query.type, status: query.status });
  const beforeId = query.cursor === undefined ? undefined : decodeCursor(query.cursor, list).id;
  const requests = domain.store
    .listPrivacyRequests(actor.organizationId)
    .filter(
      (request) =>
        (beforeId === undefined || request.id < beforeId) &&
        (query.type === undefined || request.type === query.type) &&
        (query.status === undefined || request.status === query.status),
    );
  const data = requests.slice(0, limit).map(toRequest);
  const last = data[data.length - 1];
  return {
    data,
    nextCursor: requests.length > limit && last ? encodeCursor(list, { value: null, id: last.id }) : null,
  };
}

/** Whether a message carries an identifier of an erased person: such a message is dropped. */
export function carriesErasedIdentifier(domain: Domain, organizationId: string, identifiers: readonly Identifier[]): boolean {
  if (!domain.store.hasErasedIdentifiers(organizationId)) return false;
  return identifiers.some((identifier) => domain.store.isErasedIdentifier(organizationId, identifierHash(identifier)));
}

/**
 * Refuses a write that would resolve an erased person's identifier (422 `identifier_erased`, at
 * `path`): an event by identifiers or a sync resolves as a tracking message does, and re-creates no one.
 */
export function refuseErasedIdentifiers(domain: Domain, scope: Scope, identifiers: readonly Identifier[], path: string): void {
  if (!carriesErasedIdentifier(domain, scope.actor.organizationId, identifiers)) return;
  const erased = identifiers.filter((identifier) =>
    domain.store.isErasedIdentifier(scope.actor.organizationId, identifierHash(identifier)),
  );
  throw new DomainError(
    "identifier_erased",
    "The data of the person these identifiers named was erased: this write would re-create them.",
    erased.map((identifier) => ({ path, message: `${identifier.type} ${identifier.value} was erased` })),
  );
}

/** What is kept of an erased identifier: a hash of its type and normalised value. */
function identifierHash(identifier: Identifier): string {
  return sha256Now(`${identifier.type}\u0000${identifier.value}`);
}

function subjectOf(customerId: string): string {
  return `sha256:${sha256Now(customerId)}`;
}

function putRequest(
  domain: Domain,
  actor: Actor,
  fields: Pick<PrivacyRequest, "type" | "subject" | "reason" | "workspaces" | "erased"> & Partial<PrivacyRequest>,
): PrivacyRequest {
  const at = now(domain);
  const record: PrivacyRequestRecord = {
    id: fields.id ?? domain.ids.id("privacyRequest"),
    status: fields.status ?? (fields.type === "erasure" ? "pending" : "completed"),
    requestedBy: actor.keyId,
    requestedAt: fields.requestedAt ?? at,
    completedAt: fields.completedAt ?? (fields.type === "erasure" ? null : at),
    ...fields,
    organizationId: actor.organizationId,
  } as PrivacyRequestRecord;
  domain.store.putPrivacyRequest(record);
  return toRequest(record);
}

function toRequest(record: PrivacyRequestRecord): PrivacyRequest {
  const { organizationId: _, ...request } = record;
  return {
    ...request,
    workspaces: [...request.workspaces],
    erased: request.erased ? { ...request.erased } : null,
  };
}

function cell(value: unknown): string {
  return typeof value === "string" ? value : (JSON.stringify(value) ?? "");
}
