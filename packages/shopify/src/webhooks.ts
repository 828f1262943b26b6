import {
  type CustomerDelivery,
  createWebhookHandler,
  type PluginClient,
  type PrivacyClient,
  type RecordOutcome,
  recordCustomer,
  sendMessages,
  type WebhookDelivery,
  type WebhookHandler,
  type WebhookHandlerOptions,
} from "@cdp/sdk/webhooks";
import { answerDataRequest, redactCustomer, redactShop, type ShopifyDataRequest } from "./gdpr.js";
import {
  checkoutStarted,
  checkoutStepCompleted,
  identifyCustomer,
  type MappingContext,
  orderCancelled,
  orderCompleted,
  orderRefunded,
  orderUpdated,
  type ShopifyIdentity,
} from "./mapping.js";
import type {
  ShopifyCheckout,
  ShopifyCustomer,
  ShopifyCustomersDataRequest,
  ShopifyCustomersRedact,
  ShopifyOrder,
  ShopifyRefund,
  ShopifyShopRedact,
} from "./payloads.js";

/** The headers Shopify sends with every webhook delivery. */
export const shopifyHeaders = {
  hmac: "x-shopify-hmac-sha256",
  topic: "x-shopify-topic",
  shopDomain: "x-shopify-shop-domain",
  webhookId: "x-shopify-webhook-id",
  eventId: "x-shopify-event-id",
  triggeredAt: "x-shopify-triggered-at",
  apiVersion: "x-shopify-api-version",
} as const;

/** The topics the handler records; any other is acknowledged and ignored. */
export const shopifyTopics = [
  "orders/create",
  "orders/paid",
  "orders/updated",
  "orders/cancelled",
  "refunds/create",
  "checkouts/create",
  "checkouts/update",
  "customers/create",
  "customers/update",
  "customers/redact",
  "customers/data_request",
  "shop/redact",
] as const;
export type ShopifyTopic = (typeof shopifyTopics)[number];

/** Options of {@link createShopifyWebhookHandler}. */
export interface ShopifyWebhookOptions extends WebhookHandlerOptions {
  /** The app's client secret (API secret key): Shopify signs every delivery with it. */
  secret: string;
  /** A client with a user key: records orders, checkouts and customers. */
  cdp: PluginClient;
  /** A client with a dpo key, used only for the GDPR topics (customers/redact, customers/data_request, shop/redact). */
  dpo?: PrivacyClient;
  /** Receives what a customers/data_request asked for; you hand it to the shop owner. */
  onDataRequest?: (request: ShopifyDataRequest) => void | Promise<void>;
  /** The email list (`cdp.lists`) customers who accept email marketing are subscribed to. None: the consent alone is recorded. */
  marketingListId?: string;
  /**
   * The SMS list (`cdp.lists`, channel `sms`) customers who accept SMS marketing
   * (`sms_marketing_consent`) are subscribed to with their phone, and unsubscribed from when they
   * withdraw. None: the SMS choice is not recorded.
   */
  smsListId?: string;
  /** The userId a Shopify customer id becomes. Default: the id itself (`"207119551"`). */
  userIdOf?: (customerId: string, shop: string) => string;
}

/**
 * A web-standard handler `(Request) => Promise<Response>` for Shopify's webhooks: it verifies
 * `X-Shopify-Hmac-Sha256` (401 otherwise), skips redeliveries (by `X-Shopify-Event-Id`, then
 * `X-Shopify-Webhook-Id`), maps orders, refunds, checkouts and customers to the e-commerce spec
 * under messageIds derived from (shop, order, event), answers 503 when the CDP cannot record (so
 * Shopify redelivers) and drives erase and export from the GDPR topics.
 *
 * ```ts
 * const handler = createShopifyWebhookHandler({ secret: process.env.SHOPIFY_API_SECRET!, cdp, dpo, onDataRequest });
 * app.post("/webhooks/shopify", expressWebhook(handler)); // @cdp/node
 * ```
 */
export function createShopifyWebhookHandler(options: ShopifyWebhookOptions): WebhookHandler {
  const userIdOf = options.userIdOf ?? ((customerId: string) => customerId);
  const shopOf = (headers: Headers) => (headers.get(shopifyHeaders.shopDomain) ?? "").trim().toLowerCase();
  return createWebhookHandler(
    {
      name: "shopify",
      secret: options.secret,
      signatureHeader: shopifyHeaders.hmac,
      topic: (headers) => headers.get(shopifyHeaders.topic) ?? "",
      deliveryId: (headers) => headers.get(shopifyHeaders.eventId) ?? headers.get(shopifyHeaders.webhookId) ?? undefined,
      deliveryKey: (headers) => {
        const eventId = headers.get(shopifyHeaders.eventId);
        const webhookId = headers.get(shopifyHeaders.webhookId);
        const topic = headers.get(shopifyHeaders.topic) ?? "";
        // One event may trigger several topics (orders/create and orders/paid): the topic is part of the key.
        if (eventId) return `shopify:${shopOf(headers)}:event:${topic}:${eventId}`;
        if (webhookId) return `shopify:${shopOf(headers)}:webhook:${webhookId}`;
        return undefined;
      },
      record: (delivery) => {
        const shop = shopOf(delivery.headers) || shopDomainOf(delivery.payload);
        return record(delivery, { shop, source: `shopify:${shop}`, userIdOf }, options);
      },
    },
    options,
  );
}

async function record(delivery: WebhookDelivery, context: MappingContext, options: ShopifyWebhookOptions): Promise<RecordOutcome> {
  const { cdp } = options;
  const payload = delivery.payload;
  const send = async (messages: ReturnType<typeof orderCompleted>): Promise<RecordOutcome> => ({
    status: messages.length > 0 ? "recorded" : "ignored",
    rejected: await sendMessages(cdp, messages),
  });
  switch (delivery.topic as ShopifyTopic) {
    case "orders/create":
    case "orders/paid":
      return send(orderCompleted(payload as ShopifyOrder, context));
    case "orders/updated":
      return send(orderUpdated(payload as ShopifyOrder, context));
    case "orders/cancelled":
      return send(orderCancelled(payload as ShopifyOrder, context));
    case "refunds/create":
      return send(orderRefunded(payload as ShopifyRefund, context, await refundIdentity(payload as ShopifyRefund, context, cdp)));
    case "checkouts/create":
      return send(checkoutStarted(payload as ShopifyCheckout, context));
    case "checkouts/update":
      return send(checkoutStepCompleted(payload as ShopifyCheckout, context));
    case "customers/create":
    case "customers/update":
      return recordCustomer(options.cdp, {
        messages: identifyCustomer(payload as ShopifyCustomer, context),
        userId: context.userIdOf(String((payload as ShopifyCustomer).id), context.shop),
        accepted: acceptsMarketing(payload as ShopifyCustomer),
        source: context.source,
        listId: options.marketingListId,
        email: (payload as ShopifyCustomer).email ?? undefined,
        sms: smsChoice(payload as ShopifyCustomer, options.smsListId),
      });
    case "customers/redact":
      return redactCustomer(payload as ShopifyCustomersRedact, context, options.dpo);
    case "customers/data_request":
      return answerDataRequest(payload as ShopifyCustomersDataRequest, context, options.dpo, options.onDataRequest);
    case "shop/redact":
      return redactShop(payload as ShopifyShopRedact, context, options.dpo);
    default:
      return { status: "ignored" };
  }
}

/** Shopify's email marketing state: subscribed → true; unsubscribed → false; anything else says nothing. */
function acceptsMarketing(customer: ShopifyCustomer): boolean | undefined {
  const state = customer.email_marketing_consent?.state;
  if (state === "subscribed") return true;
  if (state === "unsubscribed") return false;
  if (state === undefined || state === null) return customer.accepts_marketing ?? undefined;
  return undefined;
}

/** Shopify's SMS marketing state, for the SMS list: subscribed or unsubscribed; anything else (or no list) says nothing. */
function smsChoice(customer: ShopifyCustomer, listId: string | undefined): CustomerDelivery["sms"] {
  const state = customer.sms_marketing_consent?.state;
  if (listId === undefined || (state !== "subscribed" && state !== "unsubscribed")) return undefined;
  return { accepted: state === "subscribed", listId, phone: customer.phone ?? undefined };
}

/**
 * A refund names its order, not its customer: the Order Completed recorded for that order says who
 * it was. Unknown order (its orders/create never came): the refund is filed under the order
 * (`shopify-order:<id>`), as a guest order without a checkout is.
 */
async function refundIdentity(refund: ShopifyRefund, context: MappingContext, cdp: PluginClient): Promise<ShopifyIdentity> {
  const orderId = String(refund.order_id);
  const { data } = await cdp.events.list({ type: "Order Completed", q: orderId, limit: 10 }).page();
  const completed = data.find((event) => event.properties.order_id === orderId && event.source === context.source);
  if (completed) {
    const customer = await cdp.customers.get(completed.customerId);
    const userId = (customer.identifiers ?? []).find((identifier) => identifier.type === "userId")?.value;
    if (userId) return { userId, traits: {} };
    const anonymousId = (customer.identifiers ?? []).find((identifier) => identifier.type === "anonymousId")?.value;
    if (anonymousId) return { anonymousId, traits: {} };
  }
  return { anonymousId: `shopify-order:${orderId}`, traits: {} };
}

function shopDomainOf(payload: unknown): string {
  const domain = (payload as { shop_domain?: unknown } | null)?.shop_domain;
  return typeof domain === "string" ? domain.toLowerCase() : "";
}
