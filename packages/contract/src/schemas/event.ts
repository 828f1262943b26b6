import * as z from "zod/mini";
import { Identifier } from "../identifiers.js";
import { Cursor, JsonObject, Limit, Reason, Timestamp, timeRangeInOrder } from "./common.js";

/** An event type's name: Segment's style, e.g. `Order Completed`, `Page Viewed`. */
export const EventTypeName = z.string().check(z.trim(), z.minLength(1), z.maxLength(200));

/** A category groups event types on the customer card: ecommerce, browsing, email, retail, account, consent, custom … */
export const EventCategory = z
  .string()
  .check(z.regex(/^[a-z][a-z0-9_]{0,63}$/, "must be a category name: lower-case letters, digits and _"));

export const Event = z.object({
  id: z.string(),
  /** The dedupe key: a second message or create with the same messageId in the workspace changes nothing. */
  messageId: z.string(),
  type: z.string(),
  category: z.string(),
  timestamp: Timestamp,
  receivedAt: Timestamp,
  properties: JsonObject,
  context: JsonObject,
  /** The touchpoint: `api`, `tracking`, `shopify:<shop>` … */
  source: z.string(),
  customerId: z.string(),
});
export type Event = z.infer<typeof Event>;

export const EventCreate = z
  .strictObject({
    /** The customer the event belongs to … */
    customerId: z.optional(z.string().check(z.minLength(1), z.maxLength(128))),
    /** … or identifiers that resolve (or create) the profile, as a tracking message's would. */
    identifiers: z.optional(z.array(Identifier).check(z.minLength(1), z.maxLength(100))),
    type: EventTypeName,
    /** Default: the event type's category (`custom` for an unknown type). */
    category: z.optional(EventCategory),
    /** When it happened; default: when it was received. */
    timestamp: z.optional(Timestamp),
    properties: z.optional(JsonObject),
    context: z.optional(JsonObject),
    /** Default: a new id. */
    messageId: z.optional(z.string().check(z.minLength(1), z.maxLength(200))),
  })
  .check(
    z.superRefine((event, ctx) => {
      if ((event.customerId === undefined) === (event.identifiers === undefined)) {
        ctx.issues.push({ code: "custom", input: event, path: ["customerId"], message: "give either customerId or identifiers" });
      }
    }),
  );
export type EventCreate = z.input<typeof EventCreate>;

/** A JSON merge patch of an event: type, category, timestamp, properties, context. */
export const EventUpdate = z.strictObject({
  type: z.optional(EventTypeName),
  category: z.optional(EventCategory),
  timestamp: z.optional(Timestamp),
  properties: z.optional(z.nullable(JsonObject)),
  context: z.optional(z.nullable(JsonObject)),
});
export type EventUpdate = z.input<typeof EventUpdate>;

export const EventListQuery = z
  .strictObject({
    customerId: z.optional(z.string().check(z.maxLength(128))),
    type: z.optional(z.string().check(z.maxLength(200))),
    category: z.optional(z.string().check(z.maxLength(64))),
    from: z.optional(Timestamp),
    to: z.optional(Timestamp),
    /** Full text over the type and the properties' text values. */
    q: z.optional(z.string().check(z.maxLength(1000))),
    limit: z.optional(Limit),
    cursor: z.optional(Cursor),
  })
  .check(timeRangeInOrder);
export type EventListQuery = z.input<typeof EventListQuery>;

export const EventDeleted = z.object({ id: z.string(), deleted: z.literal(true) });
export const EventDelete = z.strictObject({ reason: Reason });

export const EventType = z.object({
  name: z.string(),
  category: z.string(),
  description: z.nullable(z.string()),
  /** Shipped with `@cdp` (the Segment e-commerce v2 spec among them) or defined by an admin. */
  builtIn: z.boolean(),
});
export type EventType = z.infer<typeof EventType>;

export const EventTypeDefine = z.strictObject({
  name: EventTypeName,
  category: EventCategory,
  description: z.optional(z.string().check(z.maxLength(1000))),
});
export type EventTypeDefine = z.input<typeof EventTypeDefine>;

export const EventTypeList = z.object({ data: z.array(EventType) });
