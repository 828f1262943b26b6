import * as z from "zod/mini";
import { Cursor, Limit, Timestamp } from "./common.js";

/** The purposes every workspace has; a workspace adds its own (`purposes.define`). */
export const builtInPurposes = ["marketing", "profiling", "softSpam", "thirdPartyTransfer"] as const;

/** Google Consent Mode v2 signals a purpose may map to. */
export const consentModeTypes = ["ad_storage", "analytics_storage", "ad_user_data", "ad_personalization"] as const;
export type ConsentModeType = (typeof consentModeTypes)[number];

/** A purpose's id: how tracking messages name it in `context.consent.categoryPreferences`. */
export const PurposeId = z
  .string()
  .check(z.regex(/^[a-zA-Z][a-zA-Z0-9_]{0,63}$/, "must start with a letter and hold only letters, digits and _ (at most 64)"));

/** IAB TCF v2 purposes are numbered 1 to 11. */
const TcfPurpose = z.number().check(z.int(), z.minimum(1), z.maximum(11));

export const Purpose = z.object({
  id: z.string(),
  name: z.string(),
  description: z.nullable(z.string()),
  builtIn: z.boolean(),
  /** The Consent Mode v2 signals this purpose grants or denies. */
  consentMode: z.array(z.enum(consentModeTypes)),
  /** The IAB TCF purposes it stands for. */
  tcfPurposes: z.array(z.number()),
  createdAt: z.nullable(Timestamp),
});
export type Purpose = z.infer<typeof Purpose>;
export const PurposeList = z.object({ data: z.array(Purpose) });

export const PurposeDefine = z.strictObject({
  id: PurposeId,
  name: z.string().check(z.trim(), z.minLength(1), z.maxLength(200)),
  description: z.optional(z.string().check(z.maxLength(1000))),
  consentMode: z.optional(z.array(z.enum(consentModeTypes)).check(z.maxLength(4))),
  tcfPurposes: z.optional(z.array(TcfPurpose).check(z.maxLength(11))),
});
export type PurposeDefine = z.input<typeof PurposeDefine>;

/** Which notice the person agreed to: its version and when that version was approved. */
export const Disclaimer = z.strictObject({
  version: z.string().check(z.trim(), z.minLength(1), z.maxLength(100)),
  approvedAt: Timestamp,
});

/** Evidence of how the consent was collected. */
export const ConsentProof = z.strictObject({
  ip: z.optional(z.union([z.ipv4(), z.ipv6()])),
  userAgent: z.optional(z.string().check(z.maxLength(1000))),
  url: z.optional(z.url().check(z.maxLength(2048))),
});

/**
 * What every consent record may carry besides its decision. The record schemas extend it with
 * `z.extend` (a call bundlers may drop) rather than a spread (which they keep as a possible side effect).
 */
const RecordContext = z.strictObject({
  disclaimer: z.optional(Disclaimer),
  /** The touchpoint: `web_form`, `checkout`, `shopify:<shop>` … Default: `api`. */
  source: z.optional(z.string().check(z.trim(), z.minLength(1), z.maxLength(200))),
  /** When it was collected; default now. An earlier time needs `historicalImport: true`. */
  collectedAt: z.optional(Timestamp),
  /** The record comes from an import of past decisions, so `collectedAt` may lie in the past. */
  historicalImport: z.optional(z.boolean()),
  proof: z.optional(ConsentProof),
  /** An IAB TCF consent string, kept byte for byte. */
  tcfString: z.optional(z.string().check(z.maxLength(10_000))),
});

/** A decision on one purpose. */
export const ConsentDecisionCreate = z.extend(RecordContext, {
  kind: z.optional(z.literal("decision")),
  purpose: PurposeId,
  decision: z.enum(["granted", "denied"]),
});
/** A limitation of processing (GDPR art. 18): only a dpo records it. */
export const ConsentLimitationCreate = z.extend(RecordContext, { kind: z.literal("limitation"), active: z.boolean() });
/** An objection to processing for a purpose (GDPR art. 21). */
export const ConsentObjectionCreate = z.extend(RecordContext, { kind: z.literal("objection"), purpose: PurposeId, active: z.boolean() });
export const ConsentRecordCreate = z.union([ConsentDecisionCreate, ConsentLimitationCreate, ConsentObjectionCreate]);
export type ConsentRecordCreate = z.input<typeof ConsentRecordCreate>;

/** One entry of a customer's consent log; the log is append-only. */
export const ConsentRecord = z.object({
  id: z.string(),
  customerId: z.string(),
  /** The profile it was recorded on: another id after a merge brought it here. */
  recordedOn: z.string(),
  kind: z.enum(["decision", "limitation", "objection"]),
  purpose: z.nullable(z.string()),
  decision: z.nullable(z.enum(["granted", "denied"])),
  active: z.nullable(z.boolean()),
  disclaimer: z.nullable(z.object({ version: z.string(), approvedAt: Timestamp })),
  source: z.string(),
  collectedAt: Timestamp,
  recordedAt: Timestamp,
  historicalImport: z.boolean(),
  proof: z.nullable(z.object({ ip: z.optional(z.string()), userAgent: z.optional(z.string()), url: z.optional(z.string()) })),
  tcfString: z.nullable(z.string()),
  /** The key that recorded it (null: a tracking message). */
  recordedBy: z.nullable(z.string()),
});
export type ConsentRecord = z.infer<typeof ConsentRecord>;

/** The state of one purpose, derived from the log: the latest decision, denied while an objection stands. */
export const PurposeState = z.object({
  purpose: z.string(),
  state: z.enum(["granted", "denied", "unknown"]),
  /** The latest decision, objection aside. */
  decision: z.nullable(z.enum(["granted", "denied"])),
  objection: z.boolean(),
  collectedAt: z.nullable(Timestamp),
  source: z.nullable(z.string()),
  disclaimerVersion: z.nullable(z.string()),
});

export const ConsentState = z.object({
  customerId: z.string(),
  purposes: z.array(PurposeState),
  /** GDPR art. 18: processing is restricted. */
  limitation: z.boolean(),
  /** Per Consent Mode v2 signal: granted when every purpose that maps to it is granted. */
  consentMode: z.record(z.string(), z.enum(["granted", "denied"])),
  /** The latest record's collectedAt, or null when there is none. */
  updatedAt: z.nullable(Timestamp),
});
export type ConsentState = z.infer<typeof ConsentState>;

export const ConsentHistoryQuery = z.strictObject({
  purpose: z.optional(PurposeId),
  limit: z.optional(Limit),
  cursor: z.optional(Cursor),
});
export type ConsentHistoryQuery = z.input<typeof ConsentHistoryQuery>;
