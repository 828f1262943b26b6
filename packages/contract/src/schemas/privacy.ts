import * as z from "zod/mini";
import { Cursor, Limit, Reason, SourceName, Timestamp } from "./common.js";
import { ConsentRecord, ConsentState } from "./consent.js";
import { Customer } from "./customer.js";
import { Event } from "./event.js";
import { ChangelogEntry, CustomerIdentities } from "./identity.js";
import { Subscription } from "./subscription.js";

export const ExportQuery = z.strictObject({ format: z.optional(z.enum(["json", "csv"])) });
export type ExportQuery = z.input<typeof ExportQuery>;

/** Everything held about one customer (GDPR art. 15 access, art. 20 portability). */
export const CustomerExport = z.object({
  exportedAt: Timestamp,
  customer: Customer,
  identities: CustomerIdentities,
  events: z.array(Event),
  consents: z.object({ state: ConsentState, history: z.array(ConsentRecord) }),
  subscriptions: z.array(Subscription),
  changelog: z.array(ChangelogEntry),
});
export type CustomerExport = z.infer<typeof CustomerExport>;

export const privacyRequestTypes = ["access", "erasure", "restriction", "restriction_lifted"] as const;

/** A privacy request and what became of it. Its subject is a hash: the person may be gone. */
export const PrivacyRequest = z.object({
  id: z.string(),
  type: z.enum(privacyRequestTypes),
  status: z.enum(["pending", "completed"]),
  /** `sha256:<hex>` of the customer id it was about; for an erasure by source, the source (`shopify:<shop>`). */
  subject: z.string(),
  reason: z.nullable(z.string()),
  requestedBy: z.nullable(z.string()),
  requestedAt: Timestamp,
  completedAt: z.nullable(Timestamp),
  /** The workspaces it reached. */
  workspaces: z.array(z.string()),
  /** What an erasure removed. */
  erased: z.nullable(z.object({ customers: z.number(), events: z.number() })),
});
export type PrivacyRequest = z.infer<typeof PrivacyRequest>;

export const PrivacyRequestListQuery = z.strictObject({
  type: z.optional(z.enum(privacyRequestTypes)),
  status: z.optional(z.enum(["pending", "completed"])),
  limit: z.optional(Limit),
  cursor: z.optional(Cursor),
});
export type PrivacyRequestListQuery = z.input<typeof PrivacyRequestListQuery>;

export const EraseBody = z.strictObject({ reason: Reason });

/**
 * An erasure of everything one source wrote (`POST /erasures`): what a shop plug-in asks for when a
 * shop leaves (Shopify's `shop/redact`). `source` names a plug-in's source, `<platform>:<name>`.
 */
export const EraseSourceBody = z.strictObject({ source: SourceName, reason: Reason });
export type EraseSourceBody = z.input<typeof EraseSourceBody>;
export const RestrictBody = z.strictObject({ reason: z.optional(Reason) });
export type RestrictBody = z.input<typeof RestrictBody>;
