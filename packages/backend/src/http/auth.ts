import { type RouteDefinition, roleAllows } from "@cdp/contract";
import { authenticate } from "../domain/access.js";
import type { Actor, Domain } from "../domain/context.js";
import { DomainError } from "../domain/errors.js";

export interface Caller {
  actor: Actor;
  /** The workspace the request acts in; null only on organization routes. */
  workspaceId: string | null;
}

/**
 * Authenticates a request and checks that its role allows the route, then picks the workspace:
 * the `Cdp-Workspace` header's, else the key's default (or only) one.
 */
export async function authorize(domain: Domain, request: Request, route: RouteDefinition, bodyWriteKey?: string): Promise<Caller> {
  // Tracking routes also take a write key in the body (what analytics-node and sendBeacon can carry).
  const fromHeader = bearerOrBasic(request.headers.get("authorization"));
  const secret = fromHeader ?? bodyWriteKey;
  // A tracker sends its write key as HTTP Basic (Segment's form): the 401 says so there.
  const howTo =
    route.auth === "tracking"
      ? "Send the write key as the HTTP Basic user name (Authorization: Basic base64(<write key>:)), or a secret key as Authorization: Bearer <key>."
      : undefined;
  if (!secret) throw new DomainError("unauthenticated", howTo);
  const actor = await authenticate(domain, secret);
  if (actor === "expired") throw new DomainError("token_expired");
  if (!actor)
    throw new DomainError("unauthenticated", howTo ? `The key is unknown or revoked. ${howTo}` : "The key is unknown or revoked.");
  // A body may be logged along the way (a beacon, a proxy): only a write key, which can do nothing but track, goes there.
  if (fromHeader === undefined && actor.kind !== "write") {
    throw new DomainError(
      "unauthenticated",
      "Only a write key goes in the body's writeKey; send a secret key as Authorization: Bearer <key>.",
      [{ path: "body.writeKey", message: "is a secret key, not a write key" }],
    );
  }
  if (actor.kind === "write" && route.auth !== "tracking") throw new DomainError("write_key_forbidden");
  if (route.permission && actor.role && !roleAllows(actor.role, route.permission)) {
    throw new DomainError("forbidden", `The ${actor.role} role lacks ${route.permission}, which ${route.name} needs.`);
  }
  return { actor, workspaceId: pickWorkspace(request, actor, route) };
}

function pickWorkspace(request: Request, actor: Actor, route: RouteDefinition): string | null {
  const named = request.headers.get("cdp-workspace");
  if (named) {
    if (!actor.workspaces.includes(named)) throw new DomainError("workspace_forbidden");
    return named;
  }
  if (actor.defaultWorkspace && actor.workspaces.includes(actor.defaultWorkspace)) return actor.defaultWorkspace;
  if (actor.workspaces.length === 1) return actor.workspaces[0] as string;
  if (route.scope === "organization") return null;
  throw new DomainError("workspace_required");
}

/** `Bearer <secret>`, or HTTP Basic with the secret as user name (Segment's write-key form). */
function bearerOrBasic(header: string | null): string | undefined {
  if (!header) return undefined;
  const [scheme, value] = header.trim().split(/\s+/, 2);
  if (!value) return undefined;
  if (scheme?.toLowerCase() === "bearer") return value;
  if (scheme?.toLowerCase() === "basic") return decodeBasic(value)?.user || undefined;
  return undefined;
}

export function decodeBasic(value: string): { user: string; password: string } | undefined {
  try {
    const decoded = atob(value);
    const colon = decoded.indexOf(":");
    return colon === -1 ? { user: decoded, password: "" } : { user: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
  } catch {
    return undefined;
  }
}
