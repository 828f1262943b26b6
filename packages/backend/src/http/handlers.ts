import type { MessageType, RouteBody, RouteDefinition, RouteName, RouteParams, RouteQuery, Routes } from "@cdp/contract";
import { createKeyFor, createWorkspace, describeActor, listKeys, listWorkspaces, revokeKey } from "../domain/access.js";
import { listAudit } from "../domain/audit.js";
import { customerPurchases, customerTimeline } from "../domain/card.js";
import { listChangelog } from "../domain/changelog.js";
import { consentHistory, consentState, definePurpose, listPurposes, recordConsent } from "../domain/consents.js";
import type { Actor, Domain, Scope } from "../domain/context.js";
import { cursorList, decodeCursor, encodeCursor } from "../domain/cursor.js";
import {
  addIdentifier,
  bulkDeleteCustomers,
  createCustomer,
  deleteCustomer,
  getCustomer,
  lookupCustomer,
  parseFields,
  projectCustomer,
  removeIdentifier,
  toCustomer,
  updateCustomer,
} from "../domain/customers.js";
import { defineEventType, listEventTypes } from "../domain/event-types.js";
import { createEvent, deleteEvent, duplicateEvent, getEvent, listEvents, updateEvent } from "../domain/events.js";
import { customerIdentities, resolveOnly } from "../domain/identity.js";
import { mergeCustomers } from "../domain/merge.js";
import { eraseCustomer, eraseSource, exportCsv, exportCustomer, listPrivacyRequests, restrictCustomer } from "../domain/privacy.js";
import { defineProperty, listProperties } from "../domain/properties.js";
import { listCustomers, searchCustomers } from "../domain/search.js";
import { getSettings, updateSettings } from "../domain/settings.js";
import {
  confirm,
  createList,
  customerSubscriptions,
  listLists,
  listSuppressions,
  subscribe,
  suppress,
  unsubscribe,
  unsubscribeFromMarketing,
} from "../domain/subscriptions.js";
import { applyBatch, applyMessage } from "../domain/tracking.js";

export interface HandlerInput<R extends RouteDefinition> {
  domain: Domain;
  actor: Actor;
  /** Null only on organization routes called without a workspace. */
  workspaceId: string | null;
  scope: () => Scope;
  params: RouteParams<R>;
  query: RouteQuery<R>;
  body: RouteBody<R>;
}

export interface HandlerResult {
  status?: number;
  body: unknown;
  /** What the audit entry names as the target. */
  target?: string | null;
  /** Nothing was written (a replay answered from what is there): no audit entry, as for an Idempotency-Key replay. */
  unchanged?: boolean;
  /** A text answer (`format=csv`) in place of the JSON body. */
  text?: { contentType: string; body: string };
}

type Handler<R extends RouteDefinition> = (input: HandlerInput<R>) => HandlerResult | Promise<HandlerResult>;

/** One handler per route of the contract; the compiler checks none is missing. The token route is served apart. */
export const handlers: { [K in Exclude<RouteName, "auth.token">]: Handler<Routes[K]> } = {
  "auth.me": ({ domain, actor, workspaceId }) => ({ body: describeActor(domain, actor, workspaceId) }),

  "keys.list": ({ domain, actor, query }) => {
    const limit = Number(query.limit ?? 50);
    // The organization's list (the keys this key manages), whichever workspace the request names.
    const list = cursorList("keys", { organization: actor.organizationId });
    const afterId = query.cursor === undefined ? undefined : decodeCursor(query.cursor, list).id;
    const { data, last } = listKeys(domain, actor, afterId, limit);
    const tail = data[data.length - 1];
    return { body: { data, nextCursor: !last && tail ? encodeCursor(list, { value: null, id: tail.id }) : null } };
  },
  "keys.create": async ({ domain, actor, workspaceId, body }) => {
    const created = await createKeyFor(domain, actor, workspaceId, body);
    return { body: created, target: created.key.id };
  },
  "keys.revoke": ({ domain, actor, params }) => ({ body: revokeKey(domain, actor, params.id), target: params.id }),

  "workspaces.list": ({ domain, actor }) => ({ body: { data: listWorkspaces(domain, actor) } }),
  "workspaces.create": ({ domain, actor, body }) => {
    const workspace = createWorkspace(domain, actor, body.name);
    return { body: workspace, target: workspace.id };
  },

  "customers.create": ({ domain, scope, body }) => {
    const result = createCustomer(domain, scope(), body);
    return { status: result.outcome === "created" ? 201 : 200, body: result, target: result.customer.id };
  },
  "customers.list": ({ domain, scope, query }) => ({ body: listCustomers(domain, scope(), query) }),
  "customers.search": ({ domain, scope, body }) => ({ body: searchCustomers(domain, scope(), body) }),
  "customers.lookup": ({ domain, scope, query }) => ({ body: lookupCustomer(domain, scope(), query.type, query.value) }),
  "customers.bulkDelete": ({ domain, scope, body }) => {
    const result = bulkDeleteCustomers(domain, scope(), body.ids);
    return { body: result, target: result.ids.join(",") };
  },
  "customers.get": ({ domain, scope, params, query }) => {
    const fields = parseFields(query.fields, "query.fields");
    return { body: projectCustomer(toCustomer(getCustomer(domain, scope(), params.id)), fields) };
  },
  "customers.update": ({ domain, scope, params, body }) => {
    const customer = updateCustomer(domain, scope(), params.id, body);
    return { body: customer, target: customer.id };
  },
  "customers.delete": ({ domain, scope, params }) => {
    const result = deleteCustomer(domain, scope(), params.id);
    return { body: result, target: result.id };
  },

  "customers.addIdentifier": ({ domain, scope, params, body }) => {
    const customer = addIdentifier(domain, scope(), params.id, body);
    return { body: customer, target: customer.id };
  },
  "customers.removeIdentifier": ({ domain, scope, params }) => {
    const customer = removeIdentifier(domain, scope(), params.id, params.type, params.value);
    return { body: customer, target: customer.id };
  },

  "properties.list": ({ domain, scope }) => ({ body: { data: listProperties(domain, scope().workspaceId) } }),
  "properties.define": ({ domain, scope, body }) => {
    const property = defineProperty(domain, scope(), body);
    return { body: property, target: property.name };
  },

  "audit.list": ({ domain, scope, query }) => ({ body: listAudit(domain, scope().workspaceId, query) }),

  "identity.resolve": ({ domain, scope, body }) => ({ body: { customerId: resolveOnly(domain, scope().workspaceId, body.identifiers) } }),
  "customers.merge": ({ domain, scope, body }) => {
    const result = mergeCustomers(domain, scope(), body);
    return { body: result, target: result.customer.id };
  },
  "customers.identities": ({ domain, scope, params }) => ({
    body: customerIdentities(domain, scope(), getCustomer(domain, scope(), params.id)),
  }),
  "customers.changelog": ({ domain, scope, params, query }) => ({
    body: listChangelog(domain, scope(), getCustomer(domain, scope(), params.id), query),
  }),
  "customers.timeline": ({ domain, scope, params }) => ({ body: customerTimeline(domain, scope(), params.id) }),
  "customers.purchases": ({ domain, scope, params, query }) => ({ body: customerPurchases(domain, scope(), params.id, query.period) }),
  "settings.get": ({ domain, scope }) => ({ body: getSettings(domain, scope().workspaceId) }),
  "settings.update": ({ domain, scope, body }) => ({
    body: updateSettings(domain, scope().workspaceId, body),
    target: scope().workspaceId,
  }),

  "events.create": ({ domain, scope, body }) => {
    // A replayed messageId changes nothing: 200 with the event recorded the first time.
    const { event, created } = createEvent(domain, scope(), body);
    return { status: created ? 201 : 200, body: event, target: event.id, unchanged: !created };
  },
  "events.list": ({ domain, scope, query }) => ({ body: listEvents(domain, scope(), query) }),
  "events.get": ({ domain, scope, params }) => ({ body: getEvent(domain, scope(), params.id) }),
  "events.update": ({ domain, scope, params, body }) => ({ body: updateEvent(domain, scope(), params.id, body), target: params.id }),
  "events.delete": ({ domain, scope, params }) => ({ body: deleteEvent(domain, scope(), params.id), target: params.id }),
  "events.duplicate": ({ domain, scope, params }) => {
    const event = duplicateEvent(domain, scope(), params.id);
    return { body: event, target: event.id };
  },
  "eventTypes.list": ({ domain, scope }) => ({ body: { data: listEventTypes(domain, scope().workspaceId) } }),
  "eventTypes.define": ({ domain, scope, body }) => {
    const type = defineEventType(domain, scope(), body);
    return { body: type, target: type.name };
  },

  "purposes.list": ({ domain, scope }) => ({ body: { data: listPurposes(domain, scope().workspaceId) } }),
  "purposes.define": ({ domain, scope, body }) => {
    const purpose = definePurpose(domain, scope(), body);
    return { body: purpose, target: purpose.id };
  },
  "consents.get": ({ domain, scope, params }) => ({
    body: consentState(domain, scope().workspaceId, getCustomer(domain, scope(), params.id)),
  }),
  "consents.record": ({ domain, scope, params, body }) => {
    const customer = getCustomer(domain, scope(), params.id);
    const record = recordConsent(domain, scope(), customer, body, {
      objectToMarketing: (customerId) => unsubscribeFromMarketing(domain, scope(), customerId),
    });
    return { body: record, target: customer.id };
  },
  "consents.history": ({ domain, scope, params, query }) => ({
    body: consentHistory(domain, scope(), getCustomer(domain, scope(), params.id), query),
  }),

  "lists.list": ({ domain, scope }) => ({ body: { data: listLists(domain, scope().workspaceId) } }),
  "lists.create": ({ domain, scope, body }) => {
    const list = createList(domain, scope(), body);
    return { body: list, target: list.id };
  },
  "subscriptions.list": ({ domain, scope, params }) => ({
    body: { data: customerSubscriptions(domain, scope(), getCustomer(domain, scope(), params.id)) },
  }),
  "subscriptions.subscribe": ({ domain, scope, params, body }) => {
    const customer = getCustomer(domain, scope(), params.id);
    return { body: subscribe(domain, scope(), customer, params.listId, body ?? {}), target: customer.id };
  },
  "subscriptions.confirm": ({ domain, scope, params, body }) => {
    const customer = getCustomer(domain, scope(), params.id);
    return { body: confirm(domain, scope(), customer, params.listId, body ?? {}), target: customer.id };
  },
  "subscriptions.unsubscribe": ({ domain, scope, params, body }) => {
    const customer = getCustomer(domain, scope(), params.id);
    return { body: unsubscribe(domain, scope(), customer, params.listId, body ?? {}), target: customer.id };
  },
  "suppressions.list": ({ domain, scope }) => ({ body: { data: listSuppressions(domain, scope().workspaceId) } }),
  "suppressions.create": ({ domain, scope, body }) => ({ body: suppress(domain, scope(), body), target: body.channel }),

  "customers.export": ({ domain, scope, params, query }) => {
    const data = exportCustomer(domain, scope(), params.id);
    const target = data.customer.id;
    if (query.format === "csv") return { body: data, target, text: { contentType: "text/csv; charset=utf-8", body: exportCsv(data) } };
    return { body: data, target };
  },
  "customers.erase": ({ domain, scope, params, body }) => {
    const request = eraseCustomer(domain, scope(), params.id, body.reason);
    // The audit entry keeps a hash of the person, never the id.
    return { body: request, target: request.subject };
  },
  "customers.restrict": ({ domain, scope, params, body }) => {
    const customer = restrictCustomer(domain, scope(), params.id, true, body?.reason);
    return { body: customer, target: customer.id };
  },
  "customers.unrestrict": ({ domain, scope, params, body }) => {
    const customer = restrictCustomer(domain, scope(), params.id, false, body?.reason);
    return { body: customer, target: customer.id };
  },
  "privacy.eraseSource": ({ domain, scope, body }) => {
    const request = eraseSource(domain, scope(), body.source, body.reason);
    return { body: request, target: body.source };
  },
  "privacyRequests.list": ({ domain, actor, query }) => ({ body: listPrivacyRequests(domain, actor, query) }),

  identify: ({ domain, scope, body }) => trackOne(domain, scope(), "identify", body),
  track: ({ domain, scope, body }) => trackOne(domain, scope(), "track", body),
  page: ({ domain, scope, body }) => trackOne(domain, scope(), "page", body),
  screen: ({ domain, scope, body }) => trackOne(domain, scope(), "screen", body),
  group: ({ domain, scope, body }) => trackOne(domain, scope(), "group", body),
  alias: ({ domain, scope, body }) => trackOne(domain, scope(), "alias", body),
  batch: ({ domain, scope, body }) => {
    const { result, written } = applyBatch(
      domain,
      scope(),
      body as { batch: unknown[]; context?: Record<string, unknown>; sentAt?: string },
    );
    // One audit entry a batch that wrote anything; it names no target (a batch may reach thousands of profiles).
    return { body: result, target: null, unchanged: written === 0 };
  },
};

/**
 * A single-message tracking route: the message is applied, or the request is refused with the reason.
 * Its audit entry names the profile written to; a replay writes nothing and leaves none.
 */
function trackOne(domain: Domain, scope: Scope, type: MessageType, message: unknown): HandlerResult {
  const customerId = applyMessage(domain, scope, type, message as Record<string, unknown>);
  return { body: { accepted: 1, rejected: [] }, target: customerId ?? null, unchanged: customerId === undefined };
}
