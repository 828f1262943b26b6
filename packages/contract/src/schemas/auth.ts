import * as z from "zod/mini";
import { roles } from "../permissions.js";
import { Cursor, Limit, Timestamp } from "./common.js";

/** RFC 6749 §4.4 client credentials request (form-encoded or JSON). */
export const TokenRequest = z.object({
  grant_type: z.string(),
  client_id: z.optional(z.string()),
  client_secret: z.optional(z.string()),
  scope: z.optional(z.string()),
});
export type TokenRequest = z.input<typeof TokenRequest>;

export const TokenResponse = z.object({
  access_token: z.string(),
  token_type: z.literal("Bearer"),
  expires_in: z.number(),
});
export type TokenResponse = z.infer<typeof TokenResponse>;

/** RFC 6749 §5.2: the token route answers its errors in OAuth's shape, not the API envelope. */
export const OAuthError = z.object({
  error: z.enum(["invalid_request", "invalid_client", "invalid_grant", "unauthorized_client", "unsupported_grant_type", "invalid_scope"]),
  error_description: z.optional(z.string()),
});

export const keyKinds = ["secret", "write"] as const;

export const Key = z.object({
  id: z.string(),
  name: z.string(),
  kind: z.enum(keyKinds),
  /** null for write keys, which may only send tracking messages. */
  role: z.nullable(z.enum(roles)),
  organizationId: z.string(),
  workspaces: z.array(z.string()),
  /**
   * Where the key acts when a request names no workspace: the one it was created for, kept when
   * `POST /v1/workspaces` binds it to more. null for a key created for several: it must send `Cdp-Workspace`.
   */
  defaultWorkspace: z.nullable(z.string()),
  /** The first and last characters of the secret, to tell keys apart. */
  preview: z.string(),
  createdAt: Timestamp,
  revokedAt: z.nullable(Timestamp),
});
export type Key = z.infer<typeof Key>;

export const KeyCreate = z
  .strictObject({
    name: z.string().check(z.trim(), z.minLength(1), z.maxLength(200)),
    kind: z.optional(z.enum(keyKinds)),
    role: z.optional(z.enum(roles)),
    /** Defaults to the workspace the request acts in. A write key is bound to exactly one. */
    workspaces: z.optional(z.array(z.string().check(z.maxLength(128))).check(z.minLength(1), z.maxLength(100))),
  })
  .check(
    z.superRefine((key, ctx) => {
      if ((key.kind ?? "secret") === "secret" && !key.role) {
        ctx.issues.push({
          code: "custom",
          input: key.role,
          path: ["role"],
          message: "a secret key needs a role: guest, user, admin or dpo",
        });
      }
      if (key.kind === "write" && key.role) {
        ctx.issues.push({ code: "custom", input: key.role, path: ["role"], message: "a write key has no role" });
      }
      if (key.kind === "write" && key.workspaces && key.workspaces.length !== 1) {
        ctx.issues.push({
          code: "custom",
          input: key.workspaces,
          path: ["workspaces"],
          message: "a write key is bound to exactly one workspace",
        });
      }
    }),
  );
export type KeyCreate = z.input<typeof KeyCreate>;

/** The secret is shown once, here; the backend keeps only its hash. */
export const KeyCreated = z.object({ key: Key, secret: z.string() });
export type KeyCreated = z.infer<typeof KeyCreated>;

export const KeyRevoke = z.strictObject({ reason: z.optional(z.string().check(z.maxLength(1000))) });

export const KeyListQuery = z.strictObject({ limit: z.optional(Limit), cursor: z.optional(Cursor) });

export const Me = z.object({
  keyId: z.string(),
  name: z.string(),
  kind: z.enum(["secret", "write", "token"]),
  role: z.nullable(z.enum(roles)),
  organizationId: z.string(),
  workspaces: z.array(z.string()),
  /** The workspace this request acts in: the only one bound, or the `Cdp-Workspace` header's. */
  workspaceId: z.nullable(z.string()),
  permissions: z.array(z.string()),
});
export type Me = z.infer<typeof Me>;

export const Workspace = z.object({
  id: z.string(),
  name: z.string(),
  organizationId: z.string(),
  createdAt: Timestamp,
});
export type Workspace = z.infer<typeof Workspace>;

export const WorkspaceCreate = z.strictObject({ name: z.string().check(z.trim(), z.minLength(1), z.maxLength(200)) });
export type WorkspaceCreate = z.input<typeof WorkspaceCreate>;
