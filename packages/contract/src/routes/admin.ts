import * as z from "zod/mini";
import { defineRoute, type RouteDocs } from "../route.js";
import { AuditListQuery } from "../schemas/audit.js";
import { KeyCreate, KeyListQuery, KeyRevoke, TokenRequest, WorkspaceCreate } from "../schemas/auth.js";
import { IdParam } from "../schemas/common.js";
import { PropertyDefine } from "../schemas/property.js";

export const authRoutes = {
  "auth.token": defineRoute({
    name: "auth.token",
    scope: "organization",
    method: "POST",
    path: "/oauth/token",
    permission: null,
    auth: "client",
    body: TokenRequest,
    status: 200,
    response: "TokenResponse",
  }),
  "auth.me": defineRoute({
    name: "auth.me",
    scope: "organization",
    method: "GET",
    path: "/auth/me",
    permission: "auth:self",
    status: 200,
    response: "Me",
  }),
} as const;

/** What the docs and the OpenAPI document say of each route (kept apart so browser bundles skip it). */
export const authRouteDocs: RouteDocs<typeof authRoutes> = {
  "auth.token": {
    summary: "Issue an access token (OAuth 2.0 client credentials)",
    description:
      "RFC 6749 §4.4: `grant_type=client_credentials`, form-encoded (JSON also accepted); the client is a key id and its secret, by HTTP Basic or in the body. Errors follow §5.2 (`{ error, error_description }`); a write key, as Basic `wk_…:` or as the client's secret, answers 403 `write_key_forbidden` as on every route that is not for tracking.",
  },
  "auth.me": {
    summary: "Describe the calling key",
  },
};

export const keyRoutes = {
  "keys.list": defineRoute({
    name: "keys.list",
    scope: "organization",
    method: "GET",
    path: "/keys",
    permission: "keys:manage",
    query: KeyListQuery,
    status: 200,
    response: "KeyPage",
  }),
  "keys.create": defineRoute({
    name: "keys.create",
    scope: "organization",
    method: "POST",
    path: "/keys",
    permission: "keys:manage",
    body: KeyCreate,
    status: 201,
    response: "KeyCreated",
    audited: true,
  }),
  "keys.revoke": defineRoute({
    name: "keys.revoke",
    scope: "organization",
    method: "DELETE",
    path: "/keys/{id}",
    permission: "keys:manage",
    params: z.strictObject({ id: IdParam }),
    body: KeyRevoke,
    bodyOptional: true,
    status: 200,
    response: "Key",
    audited: true,
  }),
} as const;

/** What the docs and the OpenAPI document say of each route (kept apart so browser bundles skip it). */
export const keyRouteDocs: RouteDocs<typeof keyRoutes> = {
  "keys.list": {
    summary: "List the organization's keys",
  },
  "keys.create": {
    summary: "Create a key; its secret is shown once",
  },
  "keys.revoke": {
    summary: "Revoke a key",
  },
};

export const workspaceRoutes = {
  "workspaces.list": defineRoute({
    name: "workspaces.list",
    scope: "organization",
    method: "GET",
    path: "/workspaces",
    permission: "workspaces:read",
    status: 200,
    response: "WorkspaceList",
  }),
  "workspaces.create": defineRoute({
    name: "workspaces.create",
    scope: "organization",
    method: "POST",
    path: "/workspaces",
    permission: "workspaces:manage",
    body: WorkspaceCreate,
    status: 201,
    response: "Workspace",
    audited: true,
  }),
} as const;

/** What the docs and the OpenAPI document say of each route (kept apart so browser bundles skip it). */
export const workspaceRouteDocs: RouteDocs<typeof workspaceRoutes> = {
  "workspaces.list": {
    summary: "List the workspaces the key is bound to",
  },
  "workspaces.create": {
    summary: "Create a workspace in the key's organization (and bind the key to it)",
  },
};

export const propertyRoutes = {
  "properties.list": defineRoute({
    name: "properties.list",
    method: "GET",
    path: "/properties",
    permission: "schema:read",
    status: 200,
    response: "PropertyList",
  }),
  "properties.define": defineRoute({
    name: "properties.define",
    method: "POST",
    path: "/properties",
    permission: "schema:write",
    body: PropertyDefine,
    status: 201,
    response: "PropertyDefinition",
    audited: true,
  }),
} as const;

/** What the docs and the OpenAPI document say of each route (kept apart so browser bundles skip it). */
export const propertyRouteDocs: RouteDocs<typeof propertyRoutes> = {
  "properties.list": {
    summary: "List base and extended properties",
  },
  "properties.define": {
    summary: "Define an extended property",
  },
};

export const auditRoutes = {
  "audit.list": defineRoute({
    name: "audit.list",
    method: "GET",
    path: "/audit",
    permission: "audit:read",
    query: AuditListQuery,
    status: 200,
    response: "AuditPage",
  }),
} as const;

/** What the docs and the OpenAPI document say of each route (kept apart so browser bundles skip it). */
export const auditRouteDocs: RouteDocs<typeof auditRoutes> = {
  "audit.list": {
    summary: "Read the audit log",
  },
};
