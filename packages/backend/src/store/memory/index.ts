import type { CustomerQuery } from "../query.js";
import type {
  AuditRecord,
  ChangelogRecord,
  CustomerRecord,
  EventTypeRecord,
  ExtendedPropertyRecord,
  IdentityChangeRecord,
  KeyRecord,
  OrganizationRecord,
  SettingsRecord,
  TokenRecord,
  WorkspaceRecord,
} from "../records.js";
import type { AuditFilter, Store } from "../store.js";
import { CustomerIndex } from "./customers.js";
import { EventIndex } from "./events.js";
import { IdempotencyAnswers } from "./idempotency.js";
import { createPrivacyStore } from "./privacy.js";

/** The embedded default: everything in memory, gone when the process ends. */
export function createMemoryStore(): Store {
  const organizations = new Map<string, OrganizationRecord>();
  const workspaces = new Map<string, WorkspaceRecord>();
  const keys = new Map<string, KeyRecord>();
  const keysBySecret = new Map<string, string>();
  const tokens = new Map<string, TokenRecord>();
  const customers = new Map<string, CustomerIndex>();
  const properties = new Map<string, Map<string, ExtendedPropertyRecord>>();
  const audit: AuditRecord[] = [];
  const idempotency = new IdempotencyAnswers();
  const events = new Map<string, EventIndex>();
  /** workspace → customer → entries (nested: no key string is built per append). */
  const changelog = new Map<string, Map<string, ChangelogRecord[]>>();
  const identityChanges = new Map<string, Map<string, IdentityChangeRecord[]>>();
  const settings = new Map<string, SettingsRecord>();
  const eventTypes = new Map<string, Map<string, EventTypeRecord>>();
  const { forgetCustomer, ...privacy } = createPrivacyStore();

  const eventIndex = (workspaceId: string) => {
    let index = events.get(workspaceId);
    if (!index) {
      index = new EventIndex();
      events.set(workspaceId, index);
    }
    return index;
  };
  const perCustomer = <T>(map: Map<string, Map<string, T[]>>, workspaceId: string, customerId: string) => {
    let byCustomer = map.get(workspaceId);
    if (!byCustomer) {
      byCustomer = new Map();
      map.set(workspaceId, byCustomer);
    }
    let list = byCustomer.get(customerId);
    if (!list) {
      list = [];
      byCustomer.set(customerId, list);
    }
    return list;
  };

  /** A customer and what is its alone (a delete and an erasure both): the count of its events removed. */
  const removeCustomer = (workspaceId: string, customerId: string): number => {
    const removed = events.get(workspaceId)?.deleteOfCustomer(customerId) ?? 0;
    customers.get(workspaceId)?.delete(customerId);
    changelog.get(workspaceId)?.delete(customerId);
    identityChanges.get(workspaceId)?.delete(customerId);
    forgetCustomer(workspaceId, customerId);
    return removed;
  };

  const customerIndex = (workspaceId: string) => {
    let index = customers.get(workspaceId);
    if (!index) {
      index = new CustomerIndex();
      customers.set(workspaceId, index);
    }
    return index;
  };

  return {
    putOrganization: (organization) => void organizations.set(organization.id, organization),
    getOrganization: (id) => organizations.get(id),

    putWorkspace: (workspace) => void workspaces.set(workspace.id, workspace),
    getWorkspace: (id) => workspaces.get(id),
    listWorkspaces: (organizationId) => [...workspaces.values()].filter((workspace) => workspace.organizationId === organizationId),

    putKey: (key) => {
      keys.set(key.id, key);
      keysBySecret.set(key.secretHash, key.id);
    },
    getKey: (id) => keys.get(id),
    findKeyBySecretHash: (secretHash) => {
      const id = keysBySecret.get(secretHash);
      return id === undefined ? undefined : keys.get(id);
    },
    listKeys: (organizationId, afterId, limit) =>
      [...keys.values()]
        .filter((key) => key.organizationId === organizationId && (afterId === undefined || key.id > afterId))
        .sort((a, b) => (a.id < b.id ? -1 : 1))
        .slice(0, limit),

    putToken: (token) => void tokens.set(token.tokenHash, token),
    findToken: (tokenHash) => tokens.get(tokenHash),

    putCustomer: (customer: CustomerRecord) => customerIndex(customer.workspaceId).put(customer),
    getCustomer: (workspaceId, id) => customers.get(workspaceId)?.get(id),
    deleteCustomer: (workspaceId, id) => {
      removeCustomer(workspaceId, id);
      // An answer kept for an Idempotency-Key that names the customer (its create, say) would replay its data.
      idempotency.dropAnswersNaming(id);
    },
    findCustomerIdByIdentifier: (workspaceId, type, value) => customers.get(workspaceId)?.findByIdentifier(type, value)?.id,
    findCustomerByIdentifier: (workspaceId, type, value) => customers.get(workspaceId)?.findByIdentifier(type, value),
    findCustomerIdsByIdentifier: (workspaceId, type, value) =>
      customers
        .get(workspaceId)
        ?.findAllByIdentifier(type, value)
        .map((customer) => customer.id) ?? [],
    countCustomers: (workspaceId) => customers.get(workspaceId)?.size ?? 0,
    identifierTypes: (workspaceId) => customers.get(workspaceId)?.identifierTypes() ?? [],
    queryCustomers: (workspaceId, query: CustomerQuery) => customers.get(workspaceId)?.query(query) ?? [],

    putEvent: (event) => eventIndex(event.workspaceId).put(event),
    getEvent: (workspaceId, id) => events.get(workspaceId)?.get(id),
    deleteEvent: (workspaceId, id) => events.get(workspaceId)?.delete(id),
    findEventIdByMessageId: (workspaceId, messageId) => events.get(workspaceId)?.findByMessageId(messageId),
    listEvents: (workspaceId, query) =>
      events
        .get(workspaceId)
        ?.list(
          query,
          query.hideRestricted ? (customerId) => customers.get(workspaceId)?.get(customerId)?.restricted === true : undefined,
        ) ?? [],
    eventsOfCustomer: (workspaceId, customerId) => events.get(workspaceId)?.ofCustomer(customerId) ?? [],
    moveEvents: (workspaceId, fromCustomerId, toCustomerId) => events.get(workspaceId)?.move(fromCustomerId, toCustomerId),

    hasMessage: (workspaceId, messageId) => events.get(workspaceId)?.hasMessage(messageId) ?? false,
    addMessage: (workspaceId, messageId) => eventIndex(workspaceId).addMessage(messageId),

    appendChangelog: (entry) => void perCustomer(changelog, entry.workspaceId, entry.customerId).push(entry),
    listChangelog: (workspaceId, customerId, beforeId, limit) => {
      const entries = perCustomer(changelog, workspaceId, customerId);
      const out: ChangelogRecord[] = [];
      for (let i = entries.length - 1; i >= 0 && out.length < limit; i--) {
        const entry = entries[i] as ChangelogRecord;
        if (beforeId === undefined || entry.id < beforeId) out.push(entry);
      }
      return out;
    },
    appendIdentityChange: (entry) => void perCustomer(identityChanges, entry.workspaceId, entry.customerId).push(entry),
    listIdentityChanges: (workspaceId, customerId) => [...perCustomer(identityChanges, workspaceId, customerId)],

    getSettings: (workspaceId) => settings.get(workspaceId),
    putSettings: (workspaceId, value) => void settings.set(workspaceId, value),
    putEventType: (eventType) => {
      let byName = eventTypes.get(eventType.workspaceId);
      if (!byName) {
        byName = new Map();
        eventTypes.set(eventType.workspaceId, byName);
      }
      byName.set(eventType.name, eventType);
    },
    listEventTypes: (workspaceId) => [...(eventTypes.get(workspaceId)?.values() ?? [])],

    putProperty: (property) => {
      let byName = properties.get(property.workspaceId);
      if (!byName) {
        byName = new Map();
        properties.set(property.workspaceId, byName);
      }
      byName.set(property.name, property);
    },
    listProperties: (workspaceId) => [...(properties.get(workspaceId)?.values() ?? [])],

    appendAudit: (entry) => void audit.push(entry),
    listAudit: (filter: AuditFilter) => {
      const out: AuditRecord[] = [];
      for (let i = audit.length - 1; i >= 0 && out.length < filter.limit; i--) {
        const entry = audit[i] as AuditRecord;
        if (filter.beforeId !== undefined && entry.id >= filter.beforeId) continue;
        if (!filter.workspaceIds.includes(entry.workspaceId)) continue;
        if (filter.action !== undefined && entry.action !== filter.action) continue;
        if (filter.actor !== undefined && entry.actor.keyId !== filter.actor) continue;
        if (filter.target !== undefined && entry.target !== filter.target) continue;
        if (filter.from !== undefined && entry.time < filter.from) continue;
        if (filter.to !== undefined && entry.time > filter.to) continue;
        out.push(entry);
      }
      return out;
    },

    pruneExpired: (now) => {
      idempotency.prune(now);
      for (const [hash, token] of tokens) if (token.expiresAt <= now) tokens.delete(hash);
    },

    getIdempotency: (scope) => idempotency.get(scope),
    putIdempotency: (scope, record) => idempotency.put(scope, record),
    deleteIdempotency: (scope) => void idempotency.delete(scope),

    ...privacy,
    eraseCustomer: (workspaceId, customerId) => {
      const erased = removeCustomer(workspaceId, customerId);
      // An answer kept for an Idempotency-Key that names the customer goes too (ids are unique across workspaces).
      idempotency.eraseCustomer(customerId);
      return { events: erased };
    },
    customerIdsOfSource: (workspaceId, source) => {
      const out: string[] = [];
      for (const customer of customers.get(workspaceId)?.records() ?? []) {
        if (customer.status === "active" && customer.identifiers.some((identifier) => identifier.source === source)) out.push(customer.id);
      }
      return out;
    },
    eventIdsOfSource: (workspaceId, source) => events.get(workspaceId)?.idsOfSource(source) ?? [],
  };
}
