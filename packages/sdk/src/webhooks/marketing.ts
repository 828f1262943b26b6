import type { PluginClient } from "./messages.js";

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
  const { data } = await cdp.subscriptions.list(customerId);
  const subscription = data.find(
    (entry) => entry.listId === choice.listId && (choice.email === undefined || entry.value === choice.email.trim().toLowerCase()),
  );
  const value = choice.email === undefined ? {} : { value: choice.email };
  if (accepted && subscription?.state !== "subscribed" && subscription?.state !== "pending") {
    await cdp.subscriptions.subscribe(customerId, choice.listId, { ...value, method: source });
  } else if (!accepted && (subscription?.state === "subscribed" || subscription?.state === "pending")) {
    await cdp.subscriptions.unsubscribe(customerId, choice.listId, { ...value, method: source, reason: "withdrawn on the shop" });
  }
}
