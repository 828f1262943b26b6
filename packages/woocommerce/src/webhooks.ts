import {
  createWebhookHandler,
  type PluginClient,
  type RecordOutcome,
  recordCustomer,
  sendMessages,
  type WebhookHandler,
  type WebhookHandlerOptions,
} from "@cdp/sdk/webhooks";
import { identifyCustomer, orderMessages, type WooMappingContext } from "./mapping.js";
import type { WooCustomer, WooOrder } from "./payloads.js";

/** The headers WooCommerce sends with every webhook delivery. */
export const wooCommerceHeaders = {
  signature: "x-wc-webhook-signature",
  topic: "x-wc-webhook-topic",
  resource: "x-wc-webhook-resource",
  event: "x-wc-webhook-event",
  id: "x-wc-webhook-id",
  deliveryId: "x-wc-webhook-delivery-id",
  source: "x-wc-webhook-source",
} as const;

/** The topics the handler records; any other is acknowledged and ignored. */
export const wooCommerceTopics = ["order.created", "order.updated", "customer.created", "customer.updated"] as const;
export type WooCommerceTopic = (typeof wooCommerceTopics)[number];

/** Options of {@link createWooCommerceWebhookHandler}. */
export interface WooCommerceWebhookOptions extends WebhookHandlerOptions {
  /** The webhook's secret (WooCommerce → Settings → Advanced → Webhooks). May be empty: WooCommerce then signs with an empty key. */
  secret: string;
  /** A client with a user key: records orders and customers. */
  cdp: PluginClient;
  /** The shop's name in sources and messageIds. Default: the host of `X-WC-Webhook-Source` (`shop.example.com`). */
  shop?: string;
  /** The userId a WooCommerce customer id becomes. Default: the id itself (`"26"`). */
  userIdOf?: (customerId: string, shop: string) => string;
  /**
   * Whether a customer accepted email marketing: WooCommerce core has no such field (plug-ins keep it
   * in `meta_data`), so you say where it is. true → a `marketing` consent and the email subscription;
   * false → a denial and an unsubscription; undefined → nothing.
   */
  acceptsMarketing?: (customer: WooCustomer) => boolean | undefined;
  /** The email list customers who accept marketing are subscribed to. None: the consent alone is recorded. */
  marketingListId?: string;
}

/**
 * A web-standard handler `(Request) => Promise<Response>` for WooCommerce's webhooks: it answers
 * the unsigned set-up ping (`webhook_id=…`) without recording anything, verifies
 * `X-WC-Webhook-Signature` (401 otherwise), skips a delivery already recorded (by
 * `X-WC-Webhook-Delivery-ID`), maps orders by status and customers to the e-commerce spec under
 * messageIds derived from (shop, order, event), and answers 503 when the CDP cannot record.
 *
 * ```ts
 * const handler = createWooCommerceWebhookHandler({ secret: process.env.WC_WEBHOOK_SECRET ?? "", cdp });
 * app.post("/webhooks/woocommerce", expressWebhook(handler)); // @cdp/node
 * ```
 */
export function createWooCommerceWebhookHandler(options: WooCommerceWebhookOptions): WebhookHandler {
  const userIdOf = options.userIdOf ?? ((customerId: string) => customerId);
  const shopOf = (headers: Headers) => options.shop ?? hostOf(headers.get(wooCommerceHeaders.source));
  return createWebhookHandler(
    {
      name: "woocommerce",
      secret: options.secret,
      signatureHeader: wooCommerceHeaders.signature,
      topic: (headers) => headers.get(wooCommerceHeaders.topic) ?? "",
      deliveryId: (headers) => headers.get(wooCommerceHeaders.deliveryId) ?? undefined,
      deliveryKey: (headers) => {
        const deliveryId = headers.get(wooCommerceHeaders.deliveryId);
        return deliveryId ? `woocommerce:${shopOf(headers)}:delivery:${deliveryId}` : undefined;
      },
      answerUnsigned: (request, body) => {
        // Saving a webhook sends `webhook_id=<id>`, form-encoded and unsigned: acknowledge it, record nothing.
        if (!request.headers.get(wooCommerceHeaders.topic) && /^webhook_id=\d+$/.test(body.trim())) {
          return new Response(JSON.stringify({ status: "ping" }), { status: 200, headers: { "content-type": "application/json" } });
        }
        return undefined;
      },
      record: async (delivery) => {
        const shop = shopOf(delivery.headers);
        const context: WooMappingContext = { shop, source: `woocommerce:${shop}`, userIdOf };
        switch (delivery.topic as WooCommerceTopic) {
          case "order.created":
          case "order.updated":
            return send(options.cdp, orderMessages(delivery.payload as WooOrder, context));
          case "customer.created":
          case "customer.updated":
            return recordCustomer(options.cdp, {
              messages: identifyCustomer(delivery.payload as WooCustomer, context),
              userId: context.userIdOf(String((delivery.payload as WooCustomer).id), context.shop),
              accepted: options.acceptsMarketing?.(delivery.payload as WooCustomer),
              source: context.source,
              listId: options.marketingListId,
              email: (delivery.payload as WooCustomer).email || undefined,
            });
          default:
            return { status: "ignored" };
        }
      },
    },
    options,
  );
}

async function send(cdp: PluginClient, messages: ReturnType<typeof orderMessages>): Promise<RecordOutcome> {
  return { status: messages.length > 0 ? "recorded" : "ignored", rejected: await sendMessages(cdp, messages) };
}

/** The host of `X-WC-Webhook-Source` (`https://shop.example.com/` → `shop.example.com`); `unknown` without one. */
function hostOf(source: string | null): string {
  if (!source) return "unknown";
  try {
    return new URL(source).host.toLowerCase();
  } catch {
    return "unknown";
  }
}
