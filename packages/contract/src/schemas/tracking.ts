import * as z from "zod/mini";
import { JsonObject, SourceName } from "./common.js";

/** Segment's tracking limits: a message's JSON at most 32 KiB, a request's body at most 500 KiB. */
// A plain const, not `trackingLimits.batchMessages`: a property read in a schema keeps it in every bundle.
const batchMessages = 2_500;
export const trackingLimits = { messageBytes: 32 * 1024, bodyBytes: 500 * 1024, batchMessages } as const;

/** Segment sends ids as strings, sometimes as numbers. */
const TrackingId = z.union([z.string().check(z.maxLength(512)), z.number()]);
const Time = z.string().check(z.maxLength(64));

/** What every Segment message may carry. Unknown fields are kept (clients send their own). */
const common = {
  messageId: z.optional(z.string().check(z.minLength(1), z.maxLength(200))),
  userId: z.optional(z.nullable(TrackingId)),
  anonymousId: z.optional(z.nullable(TrackingId)),
  timestamp: z.optional(Time),
  sentAt: z.optional(Time),
  originalTimestamp: z.optional(Time),
  context: z.optional(JsonObject),
  integrations: z.optional(JsonObject),
  /** A write key in the body (what analytics-node and sendBeacon can carry). */
  writeKey: z.optional(z.string()),
  /**
   * The plug-in that sent it (`shopify:<shop>`): recorded as the source of its event, identifiers and
   * field writes instead of `tracking`, so `POST /erasures` can find what that shop wrote.
   */
  source: z.optional(SourceName),
};

const needsAnId = z.superRefine((message: { userId?: unknown; anonymousId?: unknown }, ctx) => {
  const present = (value: unknown) => value !== undefined && value !== null && value !== "";
  if (!present(message.userId) && !present(message.anonymousId)) {
    ctx.issues.push({ code: "custom", input: message, path: ["userId"], message: "userId or anonymousId is required" });
  }
});

export const IdentifyMessage = z
  .looseObject({ ...common, type: z.optional(z.literal("identify")), traits: z.optional(JsonObject) })
  .check(needsAnId);
export const TrackMessage = z
  .looseObject({
    ...common,
    type: z.optional(z.literal("track")),
    event: z.string().check(z.minLength(1), z.maxLength(200)),
    properties: z.optional(JsonObject),
  })
  .check(needsAnId);
export const PageMessage = z
  .looseObject({
    ...common,
    type: z.optional(z.literal("page")),
    name: z.optional(z.nullable(z.string().check(z.maxLength(500)))),
    category: z.optional(z.nullable(z.string().check(z.maxLength(500)))),
    properties: z.optional(JsonObject),
  })
  .check(needsAnId);
export const ScreenMessage = z
  .looseObject({
    ...common,
    type: z.optional(z.literal("screen")),
    name: z.optional(z.nullable(z.string().check(z.maxLength(500)))),
    properties: z.optional(JsonObject),
  })
  .check(needsAnId);
export const GroupMessage = z
  .looseObject({ ...common, type: z.optional(z.literal("group")), groupId: TrackingId, traits: z.optional(JsonObject) })
  .check(needsAnId);
export const AliasMessage = z.looseObject({ ...common, type: z.optional(z.literal("alias")), previousId: TrackingId, userId: TrackingId });

export const messageTypes = ["identify", "track", "page", "screen", "group", "alias"] as const;
export type MessageType = (typeof messageTypes)[number];

/** The schema of each message type, for the single-message routes and each item of a batch. */
export const trackingMessages = {
  identify: IdentifyMessage,
  track: TrackMessage,
  page: PageMessage,
  screen: ScreenMessage,
  group: GroupMessage,
  alias: AliasMessage,
} as const;

export type TrackingMessage = z.input<
  typeof IdentifyMessage | typeof TrackMessage | typeof PageMessage | typeof ScreenMessage | typeof GroupMessage | typeof AliasMessage
>;

/** A batch: each item names its `type`; one bad item is rejected alone. */
export const BatchBody = z.looseObject({
  batch: z.array(z.unknown()).check(z.minLength(1), z.maxLength(batchMessages)),
  context: z.optional(JsonObject),
  integrations: z.optional(JsonObject),
  sentAt: z.optional(Time),
  writeKey: z.optional(z.string()),
});
export type BatchBody = z.input<typeof BatchBody>;

export const TrackingRejection = z.object({
  index: z.number(),
  messageId: z.nullable(z.string()),
  code: z.string(),
  message: z.string(),
  issues: z.optional(z.array(z.object({ path: z.string(), message: z.string() }))),
});

/** What every tracking route answers: messages accepted (a replayed messageId counts as accepted) and rejected. */
export const TrackingResult = z.object({
  accepted: z.number(),
  rejected: z.array(TrackingRejection),
});
export type TrackingResult = z.infer<typeof TrackingResult>;
