import type { BatchMessage } from "@cdp/sdk";
import { decimal, derivedMessageId, type PlatformIdentity, platformTrack, sumDecimals } from "@cdp/sdk/webhooks";
import type { WooAddress, WooCustomer, WooLineItem, WooOrder } from "./payloads.js";

/** What the mapping needs beyond the payload. */
export interface WooMappingContext {
  /** The shop's host, e.g. `shop.example.com` (from `X-WC-Webhook-Source`, or the `shop` option). */
  shop: string;
  /** `woocommerce:<shop>`. */
  source: string;
  /** The userId a WooCommerce customer id becomes. */
  userIdOf: (customerId: string, shop: string) => string;
}

/** Order statuses that mean the order was placed and paid for (or will be: on-hold awaits a bank transfer). */
const placed = new Set(["processing", "completed", "on-hold"]);
/** Order statuses of a checkout that has not become an order yet. */
const checkingOut = new Set(["pending", "checkout-draft", "failed"]);

/**
 * order.created and order.updated → what the order's status says, each under a messageId derived
 * from (shop, order, event), so an order counts once however many updates repeat its status:
 * pending → Checkout Started; processing, on-hold, completed → Order Completed; cancelled → Order
 * Cancelled; each refund in `refunds[]` → Order Refunded (refunded: the order's refunds).
 */
export function orderMessages(order: WooOrder, context: WooMappingContext): BatchMessage[] {
  const id = String(order.id);
  const status = String(order.status);
  const messages: BatchMessage[] = [...identifyFromOrder(order, context)];
  const who = identityOf(order, context);
  if (checkingOut.has(status) && status !== "failed") {
    messages.push(
      track(
        context,
        who,
        "Checkout Started",
        derivedMessageId("woocommerce", context.shop, "order", id, "checkout_started"),
        gmt(order.date_created_gmt),
        {
          checkout_id: id,
          ...money(order),
        },
      ),
    );
  }
  if (placed.has(status) || status === "cancelled" || status === "refunded") {
    // A cancelled or refunded order was placed first (a cancelled checkout never was: see below).
    if (placed.has(status) || order.date_paid_gmt) {
      messages.push(
        track(
          context,
          who,
          "Order Completed",
          derivedMessageId("woocommerce", context.shop, "order", id, "completed"),
          gmt(order.date_paid_gmt ?? order.date_created_gmt),
          { order_id: id, order_number: order.number, ...money(order) },
        ),
      );
    }
  }
  if (status === "cancelled" && order.date_paid_gmt) {
    messages.push(
      track(
        context,
        who,
        "Order Cancelled",
        derivedMessageId("woocommerce", context.shop, "order", id, "cancelled"),
        gmt(order.date_modified_gmt),
        {
          order_id: id,
          total: decimal(order.total),
          currency: order.currency,
        },
      ),
    );
  }
  for (const refund of order.refunds ?? []) {
    const refundId = String(refund.id);
    messages.push(
      track(
        context,
        who,
        "Order Refunded",
        derivedMessageId("woocommerce", context.shop, "order", id, "refunded", refundId),
        gmt(order.date_modified_gmt),
        compact({
          order_id: id,
          refund_id: refundId,
          total: sumDecimals([refund.total]).replace(/^-/, ""),
          currency: order.currency,
          reason: refund.reason || undefined,
        }),
      ),
    );
  }
  return messages;
}

/** customer.created and customer.updated → identify, once per version of the customer (date_modified_gmt). */
export function identifyCustomer(customer: WooCustomer, context: WooMappingContext): BatchMessage[] {
  const id = String(customer.id);
  const address = customer.billing?.address_1 ? customer.billing : customer.shipping;
  const traits = compact({
    email: customer.email || customer.billing?.email || undefined,
    phone: customer.billing?.phone || undefined,
    firstName: customer.first_name || customer.billing?.first_name || undefined,
    lastName: customer.last_name || customer.billing?.last_name || undefined,
    address: address?.address_1 ? addressTraits(address) : undefined,
  });
  return [
    {
      type: "identify",
      source: context.source,
      messageId: derivedMessageId(
        "woocommerce",
        context.shop,
        "customer",
        id,
        customer.date_modified_gmt ?? customer.date_created_gmt ?? "",
      ),
      userId: context.userIdOf(id, context.shop),
      traits,
      ...(customer.date_modified_gmt ? { timestamp: gmt(customer.date_modified_gmt) } : {}),
    },
  ];
}

/** A registered customer's order also says who they are: identify from its billing address, once per version of the order. */
function identifyFromOrder(order: WooOrder, context: WooMappingContext): BatchMessage[] {
  const customerId = String(order.customer_id ?? "0");
  if (customerId === "0") return [];
  const [message] = identifyCustomer(
    { id: customerId, email: order.billing?.email, billing: order.billing, shipping: order.shipping },
    context,
  );
  if (message?.type !== "identify") return [];
  const messageId = derivedMessageId("woocommerce", context.shop, "order", String(order.id), "customer", order.date_modified_gmt ?? "");
  return [{ type: "identify", source: context.source, userId: message.userId, traits: message.traits, messageId }];
}

type WooIdentity = PlatformIdentity;

/** A registered customer by id; a guest by the order's key, so the guest's checkout and order meet. */
function identityOf(order: WooOrder, context: WooMappingContext): WooIdentity {
  const traits = compact({ email: order.billing?.email || undefined, phone: order.billing?.phone || undefined }) as Record<string, string>;
  const customerId = String(order.customer_id ?? "0");
  if (customerId !== "0") return { userId: context.userIdOf(customerId, context.shop), traits };
  return { anonymousId: `woocommerce-order:${order.order_key ?? String(order.id)}`, traits };
}

function track(
  context: WooMappingContext,
  who: WooIdentity,
  event: string,
  messageId: string,
  timestamp: string | undefined,
  properties: Record<string, unknown>,
): BatchMessage {
  return platformTrack({
    source: context.source,
    library: "@cdp/woocommerce",
    identity: who,
    event,
    messageId,
    timestamp,
    properties: compact(properties),
  });
}

/**
 * The spec's money properties. WooCommerce's `total` includes tax and shipping; `subtotal` is the
 * lines after discounts (their `total`s), before shipping and tax.
 */
function money(order: WooOrder): Record<string, unknown> {
  const codes = (order.coupon_lines ?? []).map((line) => line.code).filter((code): code is string => Boolean(code));
  return compact({
    total: decimal(order.total),
    subtotal: order.line_items?.length ? sumDecimals(order.line_items.map((item) => item.total)) : undefined,
    tax: decimal(order.total_tax),
    discount: decimal(order.discount_total),
    shipping: decimal(order.shipping_total),
    currency: order.currency,
    coupon: codes.length > 0 ? codes.join(", ") : undefined,
    products: (order.line_items ?? []).map(product),
  });
}

function product(item: WooLineItem): Record<string, unknown> {
  const variation = item.variation_id === undefined || String(item.variation_id) === "0" ? undefined : String(item.variation_id);
  return compact({
    product_id: item.product_id === undefined ? undefined : String(item.product_id),
    variant_id: variation,
    sku: item.sku || undefined,
    name: item.parent_name || item.name || undefined,
    variant: item.parent_name ? item.name : undefined,
    price: decimal(item.price),
    quantity: item.quantity,
  });
}

function addressTraits(address: WooAddress): Record<string, unknown> {
  return compact({
    street: [address.address_1, address.address_2].filter(Boolean).join(", ") || undefined,
    city: address.city || undefined,
    postalCode: address.postcode || undefined,
    region: address.state || undefined,
    country: address.country ? address.country.toUpperCase() : undefined,
  });
}

/** WooCommerce's `_gmt` times carry no zone: they are UTC. */
function gmt(time: string | null | undefined): string | undefined {
  if (!time) return undefined;
  const parsed = Date.parse(/[zZ]|[+-]\d\d:\d\d$/.test(time) ? time : `${time}Z`);
  return Number.isNaN(parsed) ? undefined : new Date(parsed).toISOString();
}

function compact(fields: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined));
}
