import type {
  ConsentRecordRecord,
  ListRecord,
  PrivacyRequestRecord,
  PurposeRecord,
  SubscriptionRecord,
  SuppressionRecord,
} from "../records.js";
import type { Store } from "../store.js";

type PrivacyStore = Pick<
  Store,
  | "putPurpose"
  | "listPurposes"
  | "appendConsent"
  | "listConsents"
  | "moveConsents"
  | "putList"
  | "getList"
  | "listLists"
  | "putSubscription"
  | "listSubscriptions"
  | "subscriptionsOfValue"
  | "moveSubscriptions"
  | "putSuppression"
  | "findSuppression"
  | "listSuppressions"
  | "addErasedIdentifier"
  | "isErasedIdentifier"
  | "hasErasedIdentifiers"
  | "putPrivacyRequest"
  | "listPrivacyRequests"
> & {
  /** Drops a customer's consents and subscriptions (an erasure). */
  forgetCustomer(workspaceId: string, customerId: string): void;
};

/** The memory store's consents, subscriptions, suppressions and privacy records. */
export function createPrivacyStore(): PrivacyStore {
  const purposes = new Map<string, Map<string, PurposeRecord>>();
  const consents = new Map<string, ConsentRecordRecord[]>();
  const lists = new Map<string, Map<string, ListRecord>>();
  /** Per workspace and customer: subscriptions by `listId \0 value`. */
  const subscriptions = new Map<string, Map<string, SubscriptionRecord>>();
  const suppressions = new Map<string, Map<string, SuppressionRecord>>();
  const erased = new Map<string, Set<string>>();
  const requests: PrivacyRequestRecord[] = [];

  const inner = <V>(map: Map<string, Map<string, V>>, key: string) => {
    let found = map.get(key);
    if (!found) {
      found = new Map();
      map.set(key, found);
    }
    return found;
  };
  const customerKey = (workspaceId: string, customerId: string) => `${workspaceId}\u0000${customerId}`;
  const subscriptionKey = (subscription: Pick<SubscriptionRecord, "listId" | "value">) =>
    `${subscription.listId}\u0000${subscription.value}`;

  return {
    putPurpose: (purpose) => void inner(purposes, purpose.workspaceId).set(purpose.id, purpose),
    listPurposes: (workspaceId) => [...(purposes.get(workspaceId)?.values() ?? [])],

    appendConsent: (record) => {
      const key = customerKey(record.workspaceId, record.customerId);
      const log = consents.get(key);
      if (log) log.push(record);
      else consents.set(key, [record]);
    },
    listConsents: (workspaceId, customerId) => [...(consents.get(customerKey(workspaceId, customerId)) ?? [])],
    moveConsents: (workspaceId, fromCustomerId, toCustomerId) => {
      const from = consents.get(customerKey(workspaceId, fromCustomerId));
      if (!from) return;
      consents.delete(customerKey(workspaceId, fromCustomerId));
      const key = customerKey(workspaceId, toCustomerId);
      // One log, in the order the records were made (ids sort by time).
      const merged = [...(consents.get(key) ?? []), ...from.map((record) => ({ ...record, customerId: toCustomerId }))];
      merged.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
      consents.set(key, merged);
    },

    putList: (list) => void inner(lists, list.workspaceId).set(list.id, list),
    getList: (workspaceId, id) => lists.get(workspaceId)?.get(id),
    listLists: (workspaceId) => [...(lists.get(workspaceId)?.values() ?? [])],

    putSubscription: (subscription) =>
      void inner(subscriptions, customerKey(subscription.workspaceId, subscription.customerId)).set(
        subscriptionKey(subscription),
        subscription,
      ),
    listSubscriptions: (workspaceId, customerId) => [...(subscriptions.get(customerKey(workspaceId, customerId))?.values() ?? [])],
    subscriptionsOfValue: (workspaceId, value) => {
      const out: SubscriptionRecord[] = [];
      const prefix = `${workspaceId}\u0000`;
      for (const [key, byList] of subscriptions) {
        if (!key.startsWith(prefix)) continue;
        for (const subscription of byList.values()) if (subscription.value === value) out.push(subscription);
      }
      return out;
    },
    moveSubscriptions: (workspaceId, fromCustomerId, toCustomerId) => {
      const from = subscriptions.get(customerKey(workspaceId, fromCustomerId));
      if (!from) return;
      subscriptions.delete(customerKey(workspaceId, fromCustomerId));
      const to = inner(subscriptions, customerKey(workspaceId, toCustomerId));
      for (const [key, subscription] of from) {
        const held = to.get(key);
        if (held && (held.updatedAt ?? "") >= (subscription.updatedAt ?? "")) continue;
        to.set(key, { ...subscription, customerId: toCustomerId });
      }
    },

    putSuppression: (suppression) =>
      void inner(suppressions, suppression.workspaceId).set(`${suppression.channel}\u0000${suppression.value}`, suppression),
    findSuppression: (workspaceId, channel, value) => suppressions.get(workspaceId)?.get(`${channel}\u0000${value}`),
    listSuppressions: (workspaceId) => [...(suppressions.get(workspaceId)?.values() ?? [])],

    addErasedIdentifier: (organizationId, hash) => {
      let hashes = erased.get(organizationId);
      if (!hashes) {
        hashes = new Set();
        erased.set(organizationId, hashes);
      }
      hashes.add(hash);
    },
    isErasedIdentifier: (organizationId, hash) => erased.get(organizationId)?.has(hash) ?? false,
    hasErasedIdentifiers: (organizationId) => (erased.get(organizationId)?.size ?? 0) > 0,

    putPrivacyRequest: (request) => {
      const at = requests.findIndex((held) => held.id === request.id);
      if (at >= 0) requests[at] = request;
      else requests.push(request);
    },
    listPrivacyRequests: (organizationId) => requests.filter((request) => request.organizationId === organizationId).reverse(),

    forgetCustomer: (workspaceId, customerId) => {
      consents.delete(customerKey(workspaceId, customerId));
      subscriptions.delete(customerKey(workspaceId, customerId));
    },
  };
}
