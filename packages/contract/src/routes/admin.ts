import * as z from "zod/mini";
import { defineRoute } from "../route.js";
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
    summary: "Issue an access token (OAuth 2.0 client credentials)",
    description:
      "RFC 6749 §4.4: `grant_type=client_credentials`, form-encoded (JSON also accepted); the client is a key id and its secret, by HTTP Basic or in the body. Errors follow §5.2.",
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
    summary: "Describe the calling key",
    permission: "auth:self",
    status: 200,
    response: "Me",
  }),
} as const;

export const keyRoutes = {
  "keys.list": defineRoute({
    name: "keys.list",
    scope: "organization",
    method: "GET",
    path: "/keys",
    summary: "List the organization's keys",
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
    summary: "Create a key; its secret is shown once",
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
    summary: "Revoke a key",
    permission: "keys:manage",
    params: z.strictObject({ id: IdParam }),
    body: KeyRevoke,
    bodyOptional: true,
    status: 200,
    response: "Key",
    audited: true,
  }),
} as const;

export const workspaceRoutes = {
  "workspaces.list": defineRoute({
    name: "workspaces.list",
    scope: "organization",
    method: "GET",
    path: "/workspaces",
    summary: "List the workspaces the key is bound to",
    permission: "workspaces:read",
    status: 200,
    response: "WorkspaceList",
  }),
  "workspaces.create": defineRoute({
    name: "workspaces.create",
    scope: "organization",
    method: "POST",
    path: "/workspaces",
    summary: "Create a workspace in the key's organization (and bind the key to it)",
    permission: "workspaces:manage",
    body: WorkspaceCreate,
    status: 201,
    response: "Workspace",
    audited: true,
  }),
} as const;

export const propertyRoutes = {
  "properties.list": defineRoute({
    name: "properties.list",
    method: "GET",
    path: "/properties",
    summary: "List base and extended properties",
    permission: "schema:read",
    status: 200,
    response: "PropertyList",
  }),
  "properties.define": defineRoute({
    name: "properties.define",
    method: "POST",
    path: "/properties",
    summary: "Define an extended property",
    permission: "schema:write",
    body: PropertyDefine,
    status: 201,
    response: "PropertyDefinition",
    audited: true,
  }),
} as const;

export const auditRoutes = {
  "audit.list": defineRoute({
    name: "audit.list",
    method: "GET",
    path: "/audit",
    summary: "Read the audit log",
    permission: "audit:read",
    query: AuditListQuery,
    status: 200,
    response: "AuditPage",
  }),
} as const;
