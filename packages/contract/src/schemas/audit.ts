import * as z from "zod/mini";
import { Cursor, Limit, Timestamp, timeRangeInOrder } from "./common.js";

export const AuditEntry = z.object({
  id: z.string(),
  time: Timestamp,
  workspaceId: z.nullable(z.string()),
  actor: z.object({ keyId: z.string(), kind: z.enum(["secret", "write", "token"]), role: z.nullable(z.string()) }),
  /** The route's SDK name, e.g. `customers.create`. */
  action: z.string(),
  target: z.nullable(z.string()),
  reason: z.nullable(z.string()),
  requestId: z.string(),
});
export type AuditEntry = z.infer<typeof AuditEntry>;

export const AuditListQuery = z
  .strictObject({
    action: z.optional(z.string().check(z.maxLength(128))),
    actor: z.optional(z.string().check(z.maxLength(128))),
    target: z.optional(z.string().check(z.maxLength(128))),
    from: z.optional(Timestamp),
    to: z.optional(Timestamp),
    limit: z.optional(Limit),
    cursor: z.optional(Cursor),
  })
  .check(timeRangeInOrder);
export type AuditListQuery = z.input<typeof AuditListQuery>;
