import type { BatchMessage } from "../resources/tracking.js";
import type { RecordOutcome } from "./handler.js";
import { type PluginClient, sendMessages } from "./messages.js";

/** A marketing choice a platform reported for one customer. */
export interface MarketingChoice {
  /** The CDP customer it is about. */
  customerId: string;
  /** true: accepted marketing; false: declined or withdrew it. */
  accepted: boolean;
  /** The plug-in's source, e.g. `shopify:acme.myshopify.com`. */
  source: string;
  /** The email list a customer who accepts is subscribed to (and one who withdraws, unsubscribed from). None: consent only. */
  listId?: string | undefined;
  /** The email address the subscription is for (default: the customer's first). */
  email?: string | undefined;
}

/**
 * Accepted marketing → a `marketing` consent record (granted) and a subscription to the email
 * list; withdrawn → a denial and an unsubscription. Each is written only when it changes the
 * current state, so an update that repeats the same choice adds nothing.
 */
export async function applyMarketingChoice(cdp: PluginClient, choice: MarketingChoice): Promise<void> {
  const { customerId, accepted, source } = choice;
  const state = await cdp.consents.get(customerId);
  const current = state.purposes.find((purpose) => purpose.purpose === "marketing")?.decision ?? null;
  const decision = accepted ? "granted" : "denied";
  if (current !== decision && (accepted || current === "granted")) {
    await cdp.consents.record(customerId, { purpose: "marketing", decision, source });
  }
  if (choice.listId === undefined) return;
  await applyListChoice(cdp, { customerId, accepted, source, listId: choice.listId, value: choice.email?.trim().toLowerCase() });
}

/** A platform's opt-in or opt-out for one list (an SMS list: the phone the platform reported). */
export interface ListChoice {
  customerId: string;
  /** true: subscribe; false: unsubscribe. */
  accepted: boolean;
  source: string;
  listId: string;
  /** The contact value, normalised as the CDP keeps it (default: the customer's first of the list's channel). */
  value?: string | undefined;
}

/**
 * Accepted → a subscription to the list, withdrawn → an unsubscription; each only when it changes
 * the current state. No consent record is written: the subscription is the channel's own record.
 */
export async function applyListChoice(cdp: PluginClient, choice: ListChoice): Promise<void> {
  const { customerId, accepted, source, listId } = choice;
  const { data } = await cdp.subscriptions.list(customerId);
  const subscription = data.find((entry) => entry.listId === listId && (choice.value === undefined || entry.value === choice.value));
  const value = choice.value === undefined ? {} : { value: choice.value };
  if (accepted && subscription?.state !== "subscribed" && subscription?.state !== "pending") {
    await cdp.subscriptions.subscribe(customerId, listId, { ...value, method: source });
  } else if (!accepted && (subscription?.state === "subscribed" || subscription?.state === "pending")) {
    await cdp.subscriptions.unsubscribe(customerId, listId, { ...value, method: source, reason: "withdrawn on the shop" });
  }
}

/** A customer a platform created or updated: its identify message(s), and the marketing choice it made, if any. */
export interface CustomerDelivery {
  /** The identify message(s), as the plug-in mapped them. */
  messages: BatchMessage[];
  /** The userId the messages name: where the marketing choice is recorded. */
  userId: string;
  /** The marketing choice; undefined when the platform said nothing of it. */
  accepted: boolean | undefined;
  source: string;
  listId?: string | undefined;
  email?: string | undefined;
  /** The SMS marketing choice (a platform that keeps one apart), for this list and phone. */
  sms?: { accepted: boolean; listId: string; phone?: string | undefined } | undefined;
}

/**
 * Records a customer created or updated on a platform: identify, then (when it made one) the
 * marketing choice through {@link applyMarketingChoice}. A rejected identify is final and reported;
 * the choice is then not recorded, since no profile holds the customer's id.
 */
export async function recordCustomer(cdp: PluginClient, delivery: CustomerDelivery): Promise<RecordOutcome> {
  const rejected = await sendMessages(cdp, delivery.messages);
  if (rejected.length > 0) return { status: "recorded", rejected };
  if (delivery.accepted === undefined && delivery.sms === undefined) return { status: "recorded" };
  const { id: customerId } = await cdp.customers.lookup({ type: "userId", value: delivery.userId });
  if (delivery.accepted !== undefined) {
    await applyMarketingChoice(cdp, {
      customerId,
      accepted: delivery.accepted,
      source: delivery.source,
      listId: delivery.listId,
      email: delivery.email,
    });
  }
  if (delivery.sms) {
    const { accepted, listId, phone } = delivery.sms;
    const value = phone === undefined ? undefined : await phoneAsKept(cdp, customerId, phone);
    await applyListChoice(cdp, { customerId, accepted, source: delivery.source, listId, value });
  }
  return { status: "recorded" };
}

/**
 * The profile's phone (as the CDP keeps it, E.164) that a platform's spelling names (`+49 30 901820`
 * is `+4930901820`); the spelling as given when the profile holds no such phone (the CDP then says so).
 */
async function phoneAsKept(cdp: PluginClient, customerId: string, phone: string): Promise<string> {
  const digits = (text: string) => text.replace(/[^\d+]/g, "");
  const customer = await cdp.customers.get(customerId);
  const held = (customer.identifiers ?? []).find((identifier) => identifier.type === "phone" && digits(identifier.value) === digits(phone));
  return held?.value ?? phone;
}
