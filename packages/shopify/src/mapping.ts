import type { BatchMessage } from "@cdp/sdk";
import { decimal, derivedMessageId, platformTrack, sumDecimals } from "@cdp/sdk/webhooks";
import type {
  ShopifyAddress,
  ShopifyCheckout,
  ShopifyCustomer,
  ShopifyId,
  ShopifyLineItem,
  ShopifyOrder,
  ShopifyRefund,
} from "./payloads.js";

/** Who a Shopify event is about, as tracking messages name it. */
export interface ShopifyIdentity {
  /** The shop's customer id (as `userIdOf` makes it), when the event names a customer. */
  userId?: string;
  /** Otherwise an id derived from the checkout (`shopify-checkout:<token>`), so a guest's checkout and order meet. */
  anonymousId?: string;
  /** The email and phone of the order or checkout: identifiers that join the profile. */
  traits: Record<string, string>;
}

/** What the mapping needs to know beyond the payload. */
export interface MappingContext {
  /** The shop's domain, e.g. `acme.myshopify.com`. */
  shop: string;
  /** The source the messages carry: `shopify:<shop>`. */
  source: string;
  /** The userId of a Shopify customer id. */
  userIdOf: (customerId: string, shop: string) => string;
}

/** orders/create and orders/paid → Order Completed, under one messageId per order: one order counts once. */
export function orderCompleted(order: ShopifyOrder, context: MappingContext): BatchMessage[] {
  const id = String(order.id);
  return [
    ...identifyCustomer(order.customer, context),
    track(context, identityOf(order, context), "Order Completed", derivedMessageId("shopify", context.shop, "order", id, "completed"), {
      timestamp: order.processed_at ?? order.created_at,
      properties: orderProperties(order),
    }),
  ];
}

/** orders/updated → Order Updated, once per version of the order (its updated_at). */
export function orderUpdated(order: ShopifyOrder, context: MappingContext): BatchMessage[] {
  const id = String(order.id);
  const version = order.updated_at ?? "";
  return [
    ...identifyCustomer(order.customer, context),
    track(
      context,
      identityOf(order, context),
      "Order Updated",
      derivedMessageId("shopify", context.shop, "order", id, "updated", version),
      {
        timestamp: order.updated_at,
        properties: { ...orderProperties(order), status: order.financial_status ?? null },
      },
    ),
  ];
}

/** orders/cancelled → Order Cancelled, once per order. */
export function orderCancelled(order: ShopifyOrder, context: MappingContext): BatchMessage[] {
  const id = String(order.id);
  return [
    track(context, identityOf(order, context), "Order Cancelled", derivedMessageId("shopify", context.shop, "order", id, "cancelled"), {
      timestamp: order.cancelled_at ?? order.updated_at,
      properties: { ...orderProperties(order), ...(order.cancel_reason ? { reason: order.cancel_reason } : {}) },
    }),
  ];
}

/**
 * refunds/create → Order Refunded, once per refund. `total` is what was paid back (the successful
 * refund transactions), else the refunded lines' subtotal and tax.
 */
export function orderRefunded(refund: ShopifyRefund, context: MappingContext, identity: ShopifyIdentity): BatchMessage[] {
  const orderId = String(refund.order_id);
  const refundId = String(refund.id);
  const paidBack = (refund.transactions ?? []).filter((transaction) => transaction.kind === "refund" && transaction.status === "success");
  const lines = refund.refund_line_items ?? [];
  const total =
    paidBack.length > 0
      ? sumDecimals(paidBack.map((transaction) => transaction.amount))
      : sumDecimals(lines.flatMap((line) => [line.subtotal, line.total_tax]));
  const currency = paidBack[0]?.currency ?? lines[0]?.subtotal_set?.shop_money?.currency_code;
  return [
    track(context, identity, "Order Refunded", derivedMessageId("shopify", context.shop, "order", orderId, "refunded", refundId), {
      timestamp: refund.processed_at ?? refund.created_at,
      properties: {
        order_id: orderId,
        refund_id: refundId,
        total,
        ...(currency ? { currency } : {}),
        products: lines.flatMap((line) =>
          line.line_item ? [{ ...product(line.line_item), quantity: line.quantity ?? line.line_item.quantity ?? 1 }] : [],
        ),
      },
    }),
  ];
}

/** checkouts/create → Checkout Started, once per checkout. */
export function checkoutStarted(checkout: ShopifyCheckout, context: MappingContext): BatchMessage[] {
  return [
    ...identifyCustomer(checkout.customer, context),
    track(
      context,
      identityOf(checkout, context),
      "Checkout Started",
      derivedMessageId("shopify", context.shop, "checkout", checkout.token, "started"),
      {
        timestamp: checkout.created_at,
        properties: checkoutProperties(checkout),
      },
    ),
  ];
}

/**
 * checkouts/update → Checkout Step Completed for the furthest step the checkout reached — 1 contact
 * (an email or phone), 2 shipping address, 3 shipping method, 4 payment — once per step.
 */
export function checkoutStepCompleted(checkout: ShopifyCheckout, context: MappingContext): BatchMessage[] {
  const step = checkoutStep(checkout);
  if (step === 0) return [];
  return [
    ...identifyCustomer(checkout.customer, context),
    track(
      context,
      identityOf(checkout, context),
      "Checkout Step Completed",
      derivedMessageId("shopify", context.shop, "checkout", checkout.token, "step", step),
      {
        timestamp: checkout.updated_at,
        properties: {
          checkout_id: checkout.token,
          step,
          ...(step >= 3 && checkout.shipping_lines?.[0]?.title ? { shipping_method: checkout.shipping_lines[0].title } : {}),
          ...(step >= 4 && checkout.gateway ? { payment_method: checkout.gateway } : {}),
        },
      },
    ),
  ];
}

/** customers/create and customers/update → identify, once per version of the customer (its updated_at). */
export function identifyCustomer(customer: ShopifyCustomer | null | undefined, context: MappingContext): BatchMessage[] {
  if (!customer || customer.id === undefined || customer.id === null) return [];
  const id = String(customer.id);
  const address = customer.default_address ?? customer.addresses?.[0];
  const traits: Record<string, unknown> = {
    ...(customer.email ? { email: customer.email } : {}),
    ...(customer.phone ? { phone: customer.phone } : {}),
    ...(customer.first_name ? { firstName: customer.first_name } : {}),
    ...(customer.last_name ? { lastName: customer.last_name } : {}),
    ...(address ? { address: addressTraits(address) } : {}),
  };
  return [
    {
      type: "identify",
      source: context.source,
      messageId: derivedMessageId("shopify", context.shop, "customer", id, customer.updated_at ?? customer.created_at ?? ""),
      userId: context.userIdOf(id, context.shop),
      traits,
      ...(customer.updated_at ? { timestamp: customer.updated_at } : {}),
    },
  ];
}

/** Who an order or checkout is about: its customer, else the guest's checkout; with its email and phone. */
export function identityOf(subject: ShopifyOrder | ShopifyCheckout, context: MappingContext): ShopifyIdentity {
  const traits: Record<string, string> = {};
  const email = subject.email || subject.customer?.email;
  const phone = subject.phone || subject.customer?.phone;
  if (email) traits.email = email;
  if (phone) traits.phone = phone;
  const customerId = subject.customer?.id;
  if (customerId !== undefined && customerId !== null) return { userId: context.userIdOf(String(customerId), context.shop), traits };
  const token = "token" in subject ? subject.token : subject.checkout_token;
  return { anonymousId: token ? `shopify-checkout:${token}` : `shopify-order:${String((subject as ShopifyOrder).id)}`, traits };
}

function track(
  context: MappingContext,
  identity: ShopifyIdentity,
  event: string,
  messageId: string,
  fields: { timestamp?: string | null | undefined; properties: Record<string, unknown> },
): BatchMessage {
  return platformTrack({
    source: context.source,
    library: "@cdp/shopify",
    identity,
    event,
    messageId,
    timestamp: fields.timestamp ? new Date(fields.timestamp).toISOString() : undefined,
    properties: fields.properties,
  });
}

/** The e-commerce spec's order properties, money as decimal strings. */
function orderProperties(order: ShopifyOrder): Record<string, unknown> {
  const shipping =
    decimal(order.total_shipping_price_set?.shop_money?.amount) ??
    (order.shipping_lines?.length ? sumDecimals(order.shipping_lines.map((line) => line.price)) : undefined);
  return compact({
    order_id: String(order.id),
    order_number: order.name,
    checkout_id: order.checkout_token ?? undefined,
    total: decimal(order.total_price),
    subtotal: decimal(order.subtotal_price),
    tax: decimal(order.total_tax),
    discount: decimal(order.total_discounts),
    shipping,
    currency: order.currency,
    coupon: coupons(order.discount_codes),
    products: (order.line_items ?? []).map(product),
  });
}

function checkoutProperties(checkout: ShopifyCheckout): Record<string, unknown> {
  return compact({
    checkout_id: checkout.token,
    value: decimal(checkout.total_price),
    revenue: decimal(checkout.subtotal_price),
    tax: decimal(checkout.total_tax),
    discount: decimal(checkout.total_discounts),
    shipping: checkout.shipping_lines?.length ? sumDecimals(checkout.shipping_lines.map((line) => line.price)) : undefined,
    currency: checkout.presentment_currency ?? checkout.currency,
    coupon: coupons(checkout.discount_codes),
    products: (checkout.line_items ?? []).map(product),
  });
}

function checkoutStep(checkout: ShopifyCheckout): number {
  if (checkout.gateway) return 4;
  if (checkout.shipping_lines?.length) return 3;
  if (checkout.shipping_address) return 2;
  if (checkout.email || checkout.phone) return 1;
  return 0;
}

/** One product of the spec: product_id, sku, name, price, quantity (and variant, brand). */
function product(item: ShopifyLineItem): Record<string, unknown> {
  return compact({
    product_id: optionalId(item.product_id),
    variant_id: optionalId(item.variant_id),
    sku: item.sku || undefined,
    name: item.title ?? item.name ?? undefined,
    variant: item.variant_title || undefined,
    brand: item.vendor || undefined,
    price: decimal(item.price),
    quantity: item.quantity,
  });
}

function addressTraits(address: ShopifyAddress): Record<string, string> {
  const street = [address.address1, address.address2].filter(Boolean).join(", ");
  return compact({
    street: street || undefined,
    city: address.city || undefined,
    postalCode: address.zip || undefined,
    region: address.province || undefined,
    country: address.country_code ? address.country_code.toUpperCase() : undefined,
  }) as Record<string, string>;
}

function coupons(codes: Array<{ code?: string }> | undefined): string | undefined {
  const list = (codes ?? []).map((code) => code.code).filter((code): code is string => Boolean(code));
  return list.length > 0 ? list.join(", ") : undefined;
}

function optionalId(id: ShopifyId | null | undefined): string | undefined {
  return id === null || id === undefined ? undefined : String(id);
}

/** Drops undefined fields, so a message says only what the payload said. */
function compact(fields: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined));
}
