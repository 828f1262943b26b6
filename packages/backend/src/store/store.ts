import type { CustomerQuery } from "./query.js";
import type {
  AuditRecord,
  CustomerRecord,
  ExtendedPropertyRecord,
  IdempotencyRecord,
  KeyRecord,
  OrganizationRecord,
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
  deleteCustomer(workspaceId: string, id: string): void;
  /** The live customer holding an identifier (values already normalised). */
  findCustomerIdByIdentifier(workspaceId: string, type: string, value: string): string | undefined;
  countCustomers(workspaceId: string): number;
  /** Customers matching a query, in its order, from after its cursor position. */
  queryCustomers(workspaceId: string, query: CustomerQuery): CustomerRecord[];

  putProperty(property: ExtendedPropertyRecord): void;
  listProperties(workspaceId: string): ExtendedPropertyRecord[];

  appendAudit(entry: AuditRecord): void;
  /** Audit entries of the given workspaces (null: organization-level entries), newest first. */
  listAudit(filter: AuditFilter): AuditRecord[];

  /** Forgets idempotency records and access tokens that expired before `now` (ms). */
  pruneExpired(now: number): void;

  getIdempotency(scope: string): IdempotencyRecord | undefined;
  putIdempotency(scope: string, record: IdempotencyRecord): void;
  deleteIdempotency(scope: string): void;
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
