import {
  type Channel,
  channelIdentifierTypes,
  type ListCreate,
  normalizeIdentifier,
  type SubscribeBody,
  type Subscription,
  type SubscriptionList,
  type SuppressionCreate,
  type UnsubscribeBody,
} from "@cdp/contract";
import type { CustomerRecord, ListRecord, SubscriptionRecord, SuppressionRecord } from "../store/records.js";
import { objects } from "./consents.js";
import type { Domain, Scope } from "./context.js";
import { now } from "./context.js";
import { DomainError } from "./errors.js";
import { assertWritable } from "./restriction.js";

export function listLists(domain: Domain, workspaceId: string): SubscriptionList[] {
  return domain.store
    .listLists(workspaceId)
    .sort((a, b) => (a.id < b.id ? -1 : 1))
    .map(toList);
}

export function createList(domain: Domain, scope: Scope, input: ListCreate): SubscriptionList {
  if (domain.store.listLists(scope.workspaceId).some((list) => list.name === input.name)) {
    throw new DomainError("already_exists", `A list named ${input.name} exists already.`, [{ path: "body.name", message: "is taken" }]);
  }
  const list: ListRecord = {
    id: domain.ids.id("list"),
    name: input.name,
    channel: input.channel,
    kind: input.kind,
    doubleOptIn: input.doubleOptIn ?? false,
    description: input.description ?? null,
    createdAt: now(domain),
    workspaceId: scope.workspaceId,
  };
  domain.store.putList(list);
  return toList(list);
}

/**
 * A customer's subscriptions: for every list, each contact value of the list's channel the customer
 * holds (`never_subscribed` when nothing was recorded), then the ended ones of values it no longer holds.
 */
export function customerSubscriptions(domain: Domain, scope: Scope, customer: CustomerRecord): Subscription[] {
  const records = domain.store.listSubscriptions(scope.workspaceId, customer.id);
  const out: Subscription[] = [];
  for (const list of listLists(domain, scope.workspaceId)) {
    const held = contactValues(customer, list.channel);
    for (const value of held) {
      const record = records.find((candidate) => candidate.listId === list.id && candidate.value === value);
      out.push(record ? toSubscription(record) : neverSubscribed(list, value));
    }
    for (const record of records) {
      if (record.listId === list.id && !held.includes(record.value)) out.push(toSubscription(record));
    }
  }
  return out;
}

export function subscribe(domain: Domain, scope: Scope, customer: CustomerRecord, listId: string, input: SubscribeBody): Subscription {
  const list = getList(domain, scope, listId);
  assertWritable(customer, scope);
  const value = contactValue(domain, customer, list, input.value);
  if (domain.store.findSuppression(scope.workspaceId, list.channel, value)) {
    throw new DomainError("contact_suppressed", `${value} is suppressed on the ${list.channel} channel.`, [
      { path: input.value === undefined ? "params.listId" : "body.value", message: "is suppressed on this channel" },
    ]);
  }
  if (list.kind === "marketing" && objects(domain, scope.workspaceId, customer.id, "marketing")) {
    throw new DomainError("objection_active", "The customer objects to marketing (GDPR art. 21); a marketing list cannot take them.", [
      { path: "params.listId", message: "is a marketing list" },
    ]);
  }
  const current = findSubscription(domain, scope, customer.id, list.id, value);
  if (current && (current.state === "subscribed" || current.state === "pending")) return toSubscription(current);
  const at = now(domain);
  const record: SubscriptionRecord = {
    ...(current ?? { ...neverSubscribed(toList(list), value), workspaceId: scope.workspaceId, customerId: customer.id }),
    state: list.doubleOptIn ? "pending" : "subscribed",
    method: input.method ?? scope.source,
    reason: null,
    requestedAt: at,
    subscribedAt: list.doubleOptIn ? null : at,
    unsubscribedAt: null,
    updatedAt: at,
  };
  domain.store.putSubscription(record);
  return toSubscription(record);
}

/** Double opt-in: pending → subscribed. */
export function confirm(domain: Domain, scope: Scope, customer: CustomerRecord, listId: string, input: SubscribeBody): Subscription {
  const list = getList(domain, scope, listId);
  assertWritable(customer, scope);
  const value = contactValue(domain, customer, list, input.value);
  const current = findSubscription(domain, scope, customer.id, list.id, value);
  if (current?.state !== "pending") {
    throw new DomainError("subscription_not_pending", `The subscription is ${current?.state ?? "never_subscribed"}, not pending.`);
  }
  const at = now(domain);
  const record: SubscriptionRecord = {
    ...current,
    state: "subscribed",
    method: input.method ?? "double_opt_in",
    subscribedAt: at,
    updatedAt: at,
  };
  domain.store.putSubscription(record);
  return toSubscription(record);
}

/** Ends a subscription, with the reason and method. Taken on a restricted profile too: it narrows processing. */
export function unsubscribe(domain: Domain, scope: Scope, customer: CustomerRecord, listId: string, input: UnsubscribeBody): Subscription {
  const list = getList(domain, scope, listId);
  const records = domain.store.listSubscriptions(scope.workspaceId, customer.id);
  // A value the customer no longer holds can still be unsubscribed when it has a record here.
  const given = input.value === undefined ? undefined : normalizeContact(domain, list.channel, input.value);
  const recorded = given === undefined ? undefined : records.find((held) => held.listId === list.id && held.value === given);
  const value = recorded?.value ?? contactValue(domain, customer, list, input.value);
  const current = recorded ?? records.find((held) => held.listId === list.id && held.value === value);
  const at = now(domain);
  const record: SubscriptionRecord = {
    ...(current ?? { ...neverSubscribed(toList(list), value), workspaceId: scope.workspaceId, customerId: customer.id }),
    state: "unsubscribed",
    method: input.method ?? scope.source,
    reason: input.reason ?? null,
    unsubscribedAt: at,
    updatedAt: at,
  };
  domain.store.putSubscription(record);
  return toSubscription(record);
}

/** An objection to marketing (GDPR art. 21): every marketing subscription of the customer ends. */
export function unsubscribeFromMarketing(domain: Domain, scope: Scope, customerId: string): void {
  const lists = new Map(domain.store.listLists(scope.workspaceId).map((list) => [list.id, list]));
  end(domain, customerId, scope.workspaceId, (record) => lists.get(record.listId)?.kind === "marketing", "objection", "objection");
}

/** A contact value left the profile: its subscriptions there end (`contact_removed`); the new holder starts afresh. */
export function endSubscriptionsOfValue(
  domain: Domain,
  scope: Scope,
  customerId: string,
  identifier: { type: string; value: string },
): void {
  if (!Object.values(channelIdentifierTypes).includes(identifier.type as "email")) return;
  end(domain, customerId, scope.workspaceId, (record) => record.value === identifier.value, "contact_removed", "identifier_moved");
}

export function listSuppressions(domain: Domain, workspaceId: string) {
  return domain.store
    .listSuppressions(workspaceId)
    .sort((a, b) => (a.createdAt < b.createdAt ? -1 : 1))
    .map(toSuppression);
}

/** Suppresses a contact value on a channel: its subscriptions on the channel's lists end, and none starts again. */
export function suppress(domain: Domain, scope: Scope, input: SuppressionCreate) {
  const value = normalizeContact(domain, input.channel, input.value, "body.value");
  if (domain.store.findSuppression(scope.workspaceId, input.channel, value)) {
    throw new DomainError("already_exists", `${input.channel} is suppressed for that value already.`, [
      { path: "body.value", message: "is suppressed already" },
    ]);
  }
  const lists = new Map(domain.store.listLists(scope.workspaceId).map((list) => [list.id, list]));
  const at = now(domain);
  let unsubscribed = 0;
  for (const record of domain.store.subscriptionsOfValue(scope.workspaceId, value)) {
    if (lists.get(record.listId)?.channel !== input.channel || (record.state !== "subscribed" && record.state !== "pending")) continue;
    domain.store.putSubscription({
      ...record,
      state: "unsubscribed",
      reason: "suppressed",
      method: "suppression",
      unsubscribedAt: at,
      updatedAt: at,
    });
    unsubscribed++;
  }
  const suppression: SuppressionRecord = {
    workspaceId: scope.workspaceId,
    channel: input.channel,
    value,
    reason: input.reason,
    createdAt: at,
    unsubscribed,
  };
  domain.store.putSuppression(suppression);
  return toSuppression(suppression);
}

function end(
  domain: Domain,
  customerId: string,
  workspaceId: string,
  which: (record: SubscriptionRecord) => boolean,
  reason: string,
  method: string,
): void {
  const at = now(domain);
  for (const record of domain.store.listSubscriptions(workspaceId, customerId)) {
    if (!which(record) || (record.state !== "subscribed" && record.state !== "pending")) continue;
    domain.store.putSubscription({ ...record, state: "unsubscribed", reason, method, unsubscribedAt: at, updatedAt: at });
  }
}

function findSubscription(domain: Domain, scope: Scope, customerId: string, listId: string, value: string): SubscriptionRecord | undefined {
  return domain.store.listSubscriptions(scope.workspaceId, customerId).find((held) => held.listId === listId && held.value === value);
}

function getList(domain: Domain, scope: Scope, listId: string): ListRecord {
  const list = domain.store.getList(scope.workspaceId, listId);
  if (!list) throw new DomainError("not_found", "No list with that id.", [{ path: "params.listId", message: "no list with that id" }]);
  return list;
}

/** The contact value a call means: the one given (normalised; the customer must hold it), else the customer's first of the channel. */
function contactValue(domain: Domain, customer: CustomerRecord, list: ListRecord, given: string | undefined): string {
  const held = contactValues(customer, list.channel);
  if (given === undefined) {
    const first = held[0];
    if (first === undefined) {
      throw new DomainError(
        "no_contact_value",
        `The customer holds no ${channelIdentifierTypes[list.channel]} for the ${list.channel} channel.`,
        [{ path: "body.value", message: `required: the customer holds no ${channelIdentifierTypes[list.channel]}` }],
      );
    }
    return first;
  }
  const value = normalizeContact(domain, list.channel, given, "body.value");
  if (!held.includes(value)) {
    throw new DomainError("contact_not_held", "The customer does not hold that contact value.", [
      { path: "body.value", message: `is not one of the customer's ${channelIdentifierTypes[list.channel]} identifiers` },
    ]);
  }
  return value;
}

function contactValues(customer: CustomerRecord, channel: Channel): string[] {
  const type = channelIdentifierTypes[channel];
  return customer.identifiers.filter((identifier) => identifier.type === type).map((identifier) => identifier.value);
}

function normalizeContact(domain: Domain, channel: Channel, value: string, path = "body.value"): string {
  const result = normalizeIdentifier({ type: channelIdentifierTypes[channel], value }, { parsePhone: domain.parsePhone });
  if (!result.ok) throw new DomainError("validation_failed", "The contact value is not valid.", [{ path, message: result.message }]);
  return result.identifier.value;
}

function neverSubscribed(list: SubscriptionList, value: string): Subscription {
  return {
    listId: list.id,
    channel: list.channel,
    kind: list.kind,
    value,
    state: "never_subscribed",
    method: null,
    reason: null,
    requestedAt: null,
    subscribedAt: null,
    unsubscribedAt: null,
    updatedAt: null,
  };
}

function toSubscription(record: SubscriptionRecord): Subscription {
  const { workspaceId: _, customerId: __, ...subscription } = record;
  return subscription;
}

function toList(record: ListRecord): SubscriptionList {
  const { workspaceId: _, ...list } = record;
  return list;
}

function toSuppression(record: SuppressionRecord) {
  const { workspaceId: _, ...suppression } = record;
  return suppression;
}
