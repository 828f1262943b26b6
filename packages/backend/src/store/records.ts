import type {
  AuditEntry,
  ChangelogEntry,
  Channel,
  ConsentRecord,
  Event,
  EventType,
  Identifier,
  IdentityChange,
  PrivacyRequest,
  PropertyDefinition,
  Purpose,
  Role,
  Settings,
  Subscription,
  SubscriptionList,
} from "@cdp/contract";

/** What the store keeps. These are the backend's own shapes; the API's come from the contract. */

export interface OrganizationRecord {
  id: string;
  name: string;
  createdAt: string;
}

export interface WorkspaceRecord {
  id: string;
  organizationId: string;
  name: string;
  createdAt: string;
}

export interface KeyRecord {
  id: string;
  organizationId: string;
  name: string;
  kind: "secret" | "write";
  role: Role | null;
  workspaces: string[];
  /** Where the key acts when a request names no workspace (see the contract's `Key`). */
  defaultWorkspace: string | null;
  /** SHA-256 of the secret, hex. The secret itself is never kept. */
  secretHash: string;
  preview: string;
  createdAt: string;
  revokedAt: string | null;
}

export interface TokenRecord {
  /** SHA-256 of the access token, hex. */
  tokenHash: string;
  keyId: string;
  expiresAt: number;
}

export interface IdentifierRecord extends Identifier {
  addedAt: string;
  source: string;
}

/** Source and time of the last write of one field: merges decide by it. */
export interface FieldWrite {
  source: string;
  at: string;
}

export interface CustomerRecord {
  id: string;
  workspaceId: string;
  status: "active" | "merged";
  /** Of a merged profile: the live survivor (kept current when the survivor merges in turn). */
  mergedInto: string | null;
  /**
   * Of a live profile: the ids merged into it, directly or through an earlier merge (absent until
   * the first merge). They go with it when it is deleted or erased.
   */
  aliases?: string[];
  restricted: boolean;
  /** Writable base properties (firstName, address …); email and phone are derived from identifiers. */
  base: Record<string, unknown>;
  properties: Record<string, unknown>;
  traits: Record<string, unknown>;
  identifiers: IdentifierRecord[];
  tags: string[];
  createdAt: string;
  updatedAt: string;
  fieldWrites: Record<string, FieldWrite>;
}

export type ExtendedPropertyRecord = PropertyDefinition & { workspaceId: string };

export type AuditRecord = AuditEntry;

export interface IdempotencyRecord {
  fingerprint: string;
  /** `erased`: the answer named a person since erased or deleted; it was dropped, and the key answers 410. */
  state: "in_flight" | "done" | "erased";
  status: number;
  body: string;
  expiresAt: number;
  /** The customer ids the request's path or its answer names: erasing one of them drops the answer. */
  customers?: string[];
}

export type EventRecord = Event & { workspaceId: string };

export type ChangelogRecord = ChangelogEntry & { workspaceId: string; customerId: string };

export type IdentityChangeRecord = IdentityChange & { workspaceId: string; customerId: string };

export type EventTypeRecord = EventType & { workspaceId: string };

export type SettingsRecord = Settings;

/** A consent purpose a workspace defined (the built-in ones are not stored). */
export type PurposeRecord = Purpose & { workspaceId: string };

/** One entry of a customer's append-only consent log. */
export type ConsentRecordRecord = ConsentRecord & { workspaceId: string };

export type ListRecord = SubscriptionList & { workspaceId: string };

/** One (customer, list, contact value): what the API answers, plus where it lives. */
export type SubscriptionRecord = Subscription & { workspaceId: string; customerId: string };

export interface SuppressionRecord {
  workspaceId: string;
  channel: Channel;
  value: string;
  reason: string;
  createdAt: string;
  unsubscribed: number;
}

export type PrivacyRequestRecord = PrivacyRequest & { organizationId: string };

/** Oldest first; the id breaks ties: the order in which identity resolution merges profiles (the first survives). */
export function byAge(a: CustomerRecord, b: CustomerRecord): number {
  return a.createdAt === b.createdAt ? (a.id < b.id ? -1 : 1) : a.createdAt < b.createdAt ? -1 : 1;
}
