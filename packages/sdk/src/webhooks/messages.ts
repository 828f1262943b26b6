import type { Cdp } from "../cdp.js";
import type { BatchMessage } from "../resources/tracking.js";
import type { RecordOutcome } from "./handler.js";

/** What a plug-in needs of a `Cdp` client for orders and customers (a user key is enough). */
export type PluginClient = Pick<Cdp, "batch" | "customers" | "events" | "consents" | "subscriptions">;

/** What a plug-in needs of its optional dpo client (GDPR topics). */
export type PrivacyClient = Pick<Cdp, "customers" | "privacy">;

/**
 * A messageId derived from what a platform event is about — (platform, shop, order id, event[, refund
 * id]) — so that two topics about one order (Shopify's orders/create and orders/paid) or a redelivery
 * under a new delivery id never count it twice: the backend keeps the first message of an id.
 */
export function derivedMessageId(...parts: Array<string | number>): string {
  const id = parts.map(String).join(":");
  // The API takes 200 characters; a shop's domain and ids fit far below that.
  return id.length <= 200 ? id : `${id.slice(0, 150)}:${fnv1a(id)}`;
}

/**
 * Sends a delivery's messages in one `/v1/batch` request. A message the API refuses is final and
 * comes back as a rejection (answered 200 to the platform, reported); a failure of the request
 * itself is thrown (the handler answers 503 when it is worth a redelivery).
 */
export async function sendMessages(cdp: Pick<Cdp, "batch">, messages: BatchMessage[]): Promise<NonNullable<RecordOutcome["rejected"]>> {
  if (messages.length === 0) return [];
  const { rejected } = await cdp.batch({ batch: messages });
  return rejected.map(({ code, message, messageId, issues }) => ({ code, message, messageId, issues }));
}

/** A short, stable digest for over-long ids (not a security measure: messageIds are not secrets). */
function fnv1a(text: string): string {
  let hash = 0x811c9dc5;
  for (let index = 0; index < text.length; index++) {
    hash ^= text.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0).toString(16).padStart(8, "0");
}

/** Who a plug-in's message is about: a customer's userId, else an anonymousId; email and phone as traits, which join the profile as identifiers. */
export interface PlatformIdentity {
  userId?: string | undefined;
  anonymousId?: string | undefined;
  traits: Record<string, string>;
}

/** A plug-in's track message: named by its source, about the identity, with `context.traits` (email and phone) and `context.library`. */
export function platformTrack(fields: {
  source: string;
  library: string;
  identity: PlatformIdentity;
  event: string;
  messageId: string;
  timestamp?: string | undefined;
  properties: Record<string, unknown>;
}): BatchMessage {
  const { identity } = fields;
  return {
    type: "track",
    source: fields.source,
    messageId: fields.messageId,
    event: fields.event,
    ...(identity.userId ? { userId: identity.userId } : { anonymousId: identity.anonymousId as string }),
    properties: fields.properties,
    ...(fields.timestamp ? { timestamp: fields.timestamp } : {}),
    context: { ...(Object.keys(identity.traits).length > 0 ? { traits: identity.traits } : {}), library: { name: fields.library } },
  };
}
