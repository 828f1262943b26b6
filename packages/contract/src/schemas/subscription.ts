import * as z from "zod/mini";
import { Reason, Timestamp } from "./common.js";

/** Where a list reaches people, and the identifier type that holds the contact value. */
export const channels = ["email", "sms", "push", "whatsapp"] as const;
export type Channel = (typeof channels)[number];
export const channelIdentifierTypes = { email: "email", sms: "phone", push: "pushToken", whatsapp: "phone" } as const;

export const subscriptionStates = ["never_subscribed", "pending", "subscribed", "unsubscribed"] as const;

const Method = z.string().check(z.trim(), z.minLength(1), z.maxLength(100));
const ContactValue = z.string().check(z.minLength(1), z.maxLength(512));

export const ListCreate = z.strictObject({
  name: z.string().check(z.trim(), z.minLength(1), z.maxLength(200)),
  channel: z.enum(channels),
  /** Marketing lists follow consent and objections; transactional ones (receipts) do not. */
  kind: z.enum(["marketing", "transactional"]),
  /** Subscribing leaves the subscription pending until it is confirmed. Default false. */
  doubleOptIn: z.optional(z.boolean()),
  description: z.optional(z.string().check(z.maxLength(1000))),
});
export type ListCreate = z.input<typeof ListCreate>;

/** A list (topic) people subscribe to. */
export const SubscriptionList = z.object({
  id: z.string(),
  name: z.string(),
  channel: z.enum(channels),
  kind: z.enum(["marketing", "transactional"]),
  doubleOptIn: z.boolean(),
  description: z.nullable(z.string()),
  createdAt: Timestamp,
});
export type SubscriptionList = z.infer<typeof SubscriptionList>;
export const SubscriptionLists = z.object({ data: z.array(SubscriptionList) });

/** One (customer, list, contact value). */
export const Subscription = z.object({
  listId: z.string(),
  channel: z.enum(channels),
  kind: z.enum(["marketing", "transactional"]),
  /** The contact value: an email address, a phone number (E.164) or a push token. */
  value: z.string(),
  state: z.enum(subscriptionStates),
  /** How the last change came: `web_form`, `double_opt_in`, `link`, `objection` … */
  method: z.nullable(z.string()),
  /** Why it ended: what the person said, `objection`, `contact_removed`, `suppressed` … */
  reason: z.nullable(z.string()),
  requestedAt: z.nullable(Timestamp),
  subscribedAt: z.nullable(Timestamp),
  unsubscribedAt: z.nullable(Timestamp),
  updatedAt: z.nullable(Timestamp),
});
export type Subscription = z.infer<typeof Subscription>;
export const CustomerSubscriptions = z.object({ data: z.array(Subscription) });

/** `value`: which of the customer's contact values (default: the first of the channel's type). */
export const SubscribeBody = z.strictObject({ value: z.optional(ContactValue), method: z.optional(Method) });
export type SubscribeBody = z.input<typeof SubscribeBody>;
export const UnsubscribeBody = z.strictObject({
  value: z.optional(ContactValue),
  method: z.optional(Method),
  reason: z.optional(z.string().check(z.trim(), z.minLength(1), z.maxLength(1000))),
});
export type UnsubscribeBody = z.input<typeof UnsubscribeBody>;

/** A channel-wide suppression of one contact value: every list of the channel is blocked for it. */
export const SuppressionCreate = z.strictObject({ channel: z.enum(channels), value: ContactValue, reason: Reason });
export type SuppressionCreate = z.input<typeof SuppressionCreate>;
export const Suppression = z.object({
  channel: z.enum(channels),
  value: z.string(),
  reason: z.string(),
  createdAt: Timestamp,
  /** Subscriptions it ended. */
  unsubscribed: z.number(),
});
export const SuppressionList = z.object({ data: z.array(Suppression) });
