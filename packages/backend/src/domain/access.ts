import { type Key, type KeyCreate, type Me, permissionMatrix, type Role, type Workspace } from "@cdp/contract";
import { constantTimeEqual, secretHash, sha256 } from "../crypto.js";
import type { KeyRecord, WorkspaceRecord } from "../store/records.js";
import type { Actor, Domain } from "./context.js";
import { now } from "./context.js";
import { DomainError } from "./errors.js";

/** Access tokens live this long (seconds). */
export const tokenLifetime = 3_600;

export interface Bootstrap {
  organizationId: string;
  workspaceId: string;
  adminKey: string;
  writeKey: string;
}

/**
 * Creates an organization with one workspace, an admin key and a write key: what `cdp serve`
 * starts with. The secrets are known at once; the keys are usable once `ready` resolves (hashing
 * through Web Crypto is asynchronous).
 */
export function bootstrap(domain: Domain, name = "Demo"): { value: Bootstrap; ready: Promise<void> } {
  const at = now(domain);
  const organizationId = domain.ids.id("organization");
  domain.store.putOrganization({ id: organizationId, name, createdAt: at });
  const workspace = createWorkspaceRecord(domain, organizationId, "Default");
  const adminKey = domain.ids.secret("sk");
  const writeKey = domain.ids.secret("wk");
  const ready = (async () => {
    await createKey(domain, organizationId, { name: "admin", kind: "secret", role: "admin", workspaces: [workspace.id] }, adminKey);
    await createKey(domain, organizationId, { name: "write", kind: "write", workspaces: [workspace.id] }, writeKey);
  })();
  return { value: { organizationId, workspaceId: workspace.id, adminKey, writeKey }, ready };
}

/** Finds the actor behind a secret key, write key or access token; undefined when none matches. */
export async function authenticate(domain: Domain, secret: string): Promise<Actor | "expired" | undefined> {
  const hash = await secretHash(secret);
  if (secret.startsWith("at_")) {
    const token = domain.store.findToken(hash);
    if (!token) return undefined;
    if (token.expiresAt <= domain.clock.now()) return "expired";
    const key = domain.store.getKey(token.keyId);
    return key && !key.revokedAt ? { ...actorOf(key), kind: "token" } : undefined;
  }
  const key = domain.store.findKeyBySecretHash(hash);
  return key && !key.revokedAt ? actorOf(key) : undefined;
}

/** OAuth client credentials: the client id is a key id, the secret that key's secret. */
export async function issueToken(domain: Domain, clientId: string, clientSecret: string) {
  const key = domain.store.getKey(clientId);
  const hash = await sha256(clientSecret);
  if (!key || key.revokedAt || key.kind !== "secret" || !constantTimeEqual(hash, key.secretHash)) return undefined;
  const token = domain.ids.secret("at");
  domain.store.putToken({ tokenHash: await sha256(token), keyId: key.id, expiresAt: domain.clock.now() + tokenLifetime * 1_000 });
  return { access_token: token, token_type: "Bearer" as const, expires_in: tokenLifetime };
}

export async function createKey(
  domain: Domain,
  organizationId: string,
  input: KeyCreate & { workspaces: string[] },
  presetSecret?: string,
) {
  const kind = input.kind ?? "secret";
  const secret = presetSecret ?? domain.ids.secret(kind === "write" ? "wk" : "sk");
  const record: KeyRecord = {
    id: domain.ids.id("key"),
    organizationId,
    name: input.name,
    kind,
    role: kind === "write" ? null : (input.role as Role),
    workspaces: input.workspaces,
    defaultWorkspace: input.workspaces.length === 1 ? (input.workspaces[0] as string) : null,
    secretHash: await sha256(secret),
    preview: `${secret.slice(0, 7)}…${secret.slice(-4)}`,
    createdAt: now(domain),
    revokedAt: null,
  };
  domain.store.putKey(record);
  return { key: toKey(record), secret };
}

/** Creates a key for the caller's organization; only workspaces the caller is bound to can be given. */
export async function createKeyFor(domain: Domain, actor: Actor, workspaceId: string | null, input: KeyCreate) {
  const workspaces = input.workspaces ?? (workspaceId ? [workspaceId] : []);
  if (workspaces.length === 0) {
    throw new DomainError("workspace_required", "Name the key's workspaces, or send Cdp-Workspace", [
      { path: "body.workspaces", message: "required when the request names no workspace" },
    ]);
  }
  const foreign = workspaces.map((id, index) => ({ id, index })).filter(({ id }) => !actor.workspaces.includes(id));
  if (foreign.length) {
    throw new DomainError(
      "workspace_forbidden",
      "A key can only be bound to workspaces the calling key is bound to",
      foreign.map(({ index }) => ({ path: `body.workspaces.${index}`, message: "is not a workspace of the calling key" })),
    );
  }
  return createKey(domain, actor.organizationId, { ...input, workspaces: [...new Set(workspaces)] });
}

export function revokeKey(domain: Domain, actor: Actor, id: string): Key {
  const key = domain.store.getKey(id);
  if (!key || !manages(actor, key)) throw new DomainError("not_found", "No key with that id.");
  if (!key.revokedAt) domain.store.putKey({ ...key, revokedAt: now(domain) });
  return toKey(domain.store.getKey(id) as KeyRecord);
}

/** Keys the caller could have created: those bound only to workspaces the caller is bound to. */
export function listKeys(domain: Domain, actor: Actor, afterId: string | undefined, limit: number): { data: Key[]; last: boolean } {
  const keys = domain.store.listKeys(actor.organizationId, afterId, Number.POSITIVE_INFINITY).filter((key) => manages(actor, key));
  return { data: keys.slice(0, limit).map(toKey), last: keys.length <= limit };
}

function manages(actor: Actor, key: KeyRecord): boolean {
  return key.organizationId === actor.organizationId && key.workspaces.every((workspace) => actor.workspaces.includes(workspace));
}

export function createWorkspace(domain: Domain, actor: Actor, name: string): Workspace {
  const workspace = createWorkspaceRecord(domain, actor.organizationId, name);
  // The creating key is bound to the new workspace, so it can use it at once (with Cdp-Workspace);
  // its default workspace stays, so its other calls go on as before.
  const key = domain.store.getKey(actor.keyId);
  if (key) domain.store.putKey({ ...key, workspaces: [...key.workspaces, workspace.id] });
  return toWorkspace(workspace);
}

export function listWorkspaces(domain: Domain, actor: Actor): Workspace[] {
  return actor.workspaces
    .map((id) => domain.store.getWorkspace(id))
    .filter((workspace) => workspace !== undefined)
    .map(toWorkspace);
}

export function describeActor(domain: Domain, actor: Actor, workspaceId: string | null): Me {
  const key = domain.store.getKey(actor.keyId);
  return {
    keyId: actor.keyId,
    name: key?.name ?? "",
    kind: actor.kind,
    role: actor.role,
    organizationId: actor.organizationId,
    workspaces: [...actor.workspaces],
    workspaceId,
    permissions: actor.role ? [...permissionMatrix[actor.role]] : ["tracking:write"],
  };
}

function createWorkspaceRecord(domain: Domain, organizationId: string, name: string): WorkspaceRecord {
  const workspace: WorkspaceRecord = { id: domain.ids.id("workspace"), organizationId, name, createdAt: now(domain) };
  domain.store.putWorkspace(workspace);
  return workspace;
}

function actorOf(key: KeyRecord): Actor {
  return {
    keyId: key.id,
    kind: key.kind,
    role: key.role,
    organizationId: key.organizationId,
    workspaces: key.workspaces,
    defaultWorkspace: key.defaultWorkspace,
  };
}

function toKey(record: KeyRecord): Key {
  const { secretHash: _, ...key } = record;
  return { ...key, workspaces: [...key.workspaces] };
}

function toWorkspace(record: WorkspaceRecord): Workspace {
  return { ...record };
}
