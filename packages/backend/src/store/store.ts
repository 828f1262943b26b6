import type { CustomerQuery } from "./query.js";
import type {
  AuditRecord,
  ChangelogRecord,
  ConsentRecordRecord,
  CustomerRecord,
  EventRecord,
  EventTypeRecord,
  ExtendedPropertyRecord,
  IdempotencyRecord,
  IdentityChangeRecord,
  KeyRecord,
  ListRecord,
  OrganizationRecord,
  PrivacyRequestRecord,
  PurposeRecord,
  SettingsRecord,
  SubscriptionRecord,
  SuppressionRecord,
  TokenRecord,
  WorkspaceRecord,
} from "./records.js";

/**
 * Everything the domain reads and writes goes through this interface, kept narrow so a database
 * store can be added without touching the domain. Every customer read is scoped to a workspace.
 */
export interface Store {
  putOrganization(organization: OrganizationRecord): void;
  getOrganization(id: string): OrganizationRecord | undefined;

  putWorkspace(workspace: WorkspaceRecord): void;
  getWorkspace(id: string): WorkspaceRecord | undefined;
  listWorkspaces(organizationId: string): WorkspaceRecord[];

  putKey(key: KeyRecord): void;
  getKey(id: string): KeyRecord | undefined;
  findKeyBySecretHash(secretHash: string): KeyRecord | undefined;
  /** Keys of an organization, oldest first, after the given id. */
  listKeys(organizationId: string, afterId: string | undefined, limit: number): KeyRecord[];

  putToken(token: TokenRecord): void;
  findToken(tokenHash: string): TokenRecord | undefined;

  /** Inserts or replaces a customer and reindexes it (identifiers, text). */
  putCustomer(customer: CustomerRecord): void;
  getCustomer(workspaceId: string, id: string): CustomerRecord | undefined;
  /**
   * Removes a customer with what is its alone: events (their messageIds stay known), changelog, ID
   * changelog, consents, subscriptions, and the Idempotency-Key answers that name it.
   */
  deleteCustomer(workspaceId: string, id: string): void;
  /**
   * The live customer holding an identifier (values already normalised). A value several live
   * customers hold (its type is, or once was, declared non-unique) answers the oldest of them.
   */
  findCustomerIdByIdentifier(workspaceId: string, type: string, value: string): string | undefined;
  /** The live customer holding an identifier: `findCustomerIdByIdentifier` and `getCustomer` in one step. */
  findCustomerByIdentifier(workspaceId: string, type: string, value: string): CustomerRecord | undefined;
  /** Every live customer holding an identifier, oldest first (several only for a type declared non-unique, now or once). */
  findCustomerIdsByIdentifier(workspaceId: string, type: string, value: string): string[];
  countCustomers(workspaceId: string): number;
  /** The identifier types some live customer holds now. */
  identifierTypes(workspaceId: string): string[];
  /** Customers matching a query, in its order, from after its cursor position. */
  queryCustomers(workspaceId: string, query: CustomerQuery): CustomerRecord[];

  /** Inserts or replaces an event. */
  putEvent(event: EventRecord): void;
  getEvent(workspaceId: string, id: string): EventRecord | undefined;
  deleteEvent(workspaceId: string, id: string): void;
  /** The event recorded under a messageId, if any. */
  findEventIdByMessageId(workspaceId: string, messageId: string): string | undefined;
  /** Events of a query, newest first (timestamp, then id), strictly after the keyset position. */
  listEvents(workspaceId: string, query: EventQuery): EventRecord[];
  /** Every event of one customer, in no particular order. */
  eventsOfCustomer(workspaceId: string, customerId: string): EventRecord[];
  /** Gives every event of one customer to another (a merge). */
  moveEvents(workspaceId: string, fromCustomerId: string, toCustomerId: string): void;

  /** Tracking messages already applied, by messageId (identify and alias create no event but dedupe too). */
  hasMessage(workspaceId: string, messageId: string): boolean;
  addMessage(workspaceId: string, messageId: string): void;

  appendChangelog(entry: ChangelogRecord): void;
  /** A customer's changelog, newest first, strictly older than `beforeId`. */
  listChangelog(workspaceId: string, customerId: string, beforeId: string | undefined, limit: number): ChangelogRecord[];
  appendIdentityChange(entry: IdentityChangeRecord): void;
  listIdentityChanges(workspaceId: string, customerId: string): IdentityChangeRecord[];

  getSettings(workspaceId: string): SettingsRecord | undefined;
  putSettings(workspaceId: string, settings: SettingsRecord): void;
  putEventType(eventType: EventTypeRecord): void;
  listEventTypes(workspaceId: string): EventTypeRecord[];

  putProperty(property: ExtendedPropertyRecord): void;
  listProperties(workspaceId: string): ExtendedPropertyRecord[];

  appendAudit(entry: AuditRecord): void;
  /** Audit entries of the given workspaces (null: organization-level entries), newest first. */
  listAudit(filter: AuditFilter): AuditRecord[];

  /** Forgets idempotency records and access tokens that expired before `now` (ms). */
  pruneExpired(now: number): void;

  getIdempotency(scope: string): IdempotencyRecord | undefined;
  /**
   * Keeps an answer (or an in-flight claim). A `done` answer naming (`customers`) a customer erased
   * while its request was in flight is kept as `erased`.
   */
  putIdempotency(scope: string, record: IdempotencyRecord): void;
  deleteIdempotency(scope: string): void;

  /** Consents, subscriptions and privacy (DESIGN §3, §8). */
  putPurpose(purpose: PurposeRecord): void;
  listPurposes(workspaceId: string): PurposeRecord[];
  appendConsent(record: ConsentRecordRecord): void;
  /** A customer's consent log, in the order it was appended. */
  listConsents(workspaceId: string, customerId: string): ConsentRecordRecord[];
  /** Gives a merged profile's consent log to its survivor (each record keeps `recordedOn`). */
  moveConsents(workspaceId: string, fromCustomerId: string, toCustomerId: string): void;

  putList(list: ListRecord): void;
  getList(workspaceId: string, id: string): ListRecord | undefined;
  listLists(workspaceId: string): ListRecord[];
  /** Inserts or replaces the subscription of (customer, list, value). */
  putSubscription(subscription: SubscriptionRecord): void;
  listSubscriptions(workspaceId: string, customerId: string): SubscriptionRecord[];
  /** Every subscription of a contact value, whoever holds it. */
  subscriptionsOfValue(workspaceId: string, value: string): SubscriptionRecord[];
  /** Gives a merged profile's subscriptions to its survivor; of two for one (list, value), the later-updated stays. */
  moveSubscriptions(workspaceId: string, fromCustomerId: string, toCustomerId: string): void;
  putSuppression(suppression: SuppressionRecord): void;
  findSuppression(workspaceId: string, channel: string, value: string): SuppressionRecord | undefined;
  listSuppressions(workspaceId: string): SuppressionRecord[];

  /**
   * Removes a customer and everything kept about it: the record, its identifier and text index
   * entries, events, changelog, ID changelog, consents and subscriptions, and any answer kept for an
   * Idempotency-Key that names it (marked `erased`). Answers how many events went.
   */
  eraseCustomer(workspaceId: string, customerId: string): { events: number };
  /** Live customers holding an identifier that this source added (an erasure by source). */
  customerIdsOfSource(workspaceId: string, source: string): string[];
  /** Events this source recorded, on any customer (an erasure by source). */
  eventIdsOfSource(workspaceId: string, source: string): string[];
  /** Hashes of erased identifiers, per organization: tracking drops messages that carry one. */
  addErasedIdentifier(organizationId: string, hash: string): void;
  isErasedIdentifier(organizationId: string, hash: string): boolean;
  hasErasedIdentifiers(organizationId: string): boolean;
  putPrivacyRequest(request: PrivacyRequestRecord): void;
  /** The organization's privacy requests, newest first. */
  listPrivacyRequests(organizationId: string): PrivacyRequestRecord[];
}

export interface AuditFilter {
  workspaceIds: ReadonlyArray<string | null>;
  action?: string;
  actor?: string;
  target?: string;
  from?: string;
  to?: string;
  /** Keyset: entries strictly older than this id. */
  beforeId?: string;
  limit: number;
}

export interface EventQuery {
  customerId?: string;
  type?: string;
  category?: string;
  from?: string;
  to?: string;
  /** Lower-cased terms that must all start a word of the type or a text property. */
  terms?: string[];
  /** Lower-cased phrases that must each equal (trimmed, case-insensitively) the type or a text property. */
  phrases?: string[];
  /** Keyset: the last event of the previous page. */
  after?: { timestamp: string; id: string };
  limit: number;
  /** Leave out the events of restricted profiles (every role but dpo: they are left out of searches). */
  hideRestricted?: boolean;
}
