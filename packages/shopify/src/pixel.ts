import { pageTransport } from "@cdp/browser";
import { createTracker, type MessageInput, type Tracker, type TrackingCalls } from "@cdp/sdk/tracking";
import { derivedMessageId } from "@cdp/sdk/webhooks";

/**
 * Shopify's Web Pixels API, as much of it as the helper uses: `analytics.subscribe` in a custom
 * pixel (a global there) or in a web-pixel extension's `register(({ analytics, init }) => …)`.
 */
export interface PixelAnalytics {
  subscribe(name: string, callback: (event: PixelEvent) => void): unknown;
}

/** A standard customer event (https://shopify.dev/docs/api/web-pixels-api/standard-events). */
export interface PixelEvent {
  id?: string;
  name: string;
  timestamp?: string;
  /** Shopify's id of the browser: the anonymousId. */
  clientId?: string;
  context?: { document?: { title?: string; referrer?: string; location?: { href?: string; pathname?: string; search?: string } } };
  // biome-ignore lint/suspicious/noExplicitAny: the Web Pixels API's payloads differ per event; each mapping reads its own fields.
  data?: any;
}

/** `init` of the Web Pixels API: who the customer is, which shop this is. */
export interface PixelInit {
  data?: {
    customer?: { id?: string | number | null; email?: string | null; phone?: string | null } | null;
    shop?: { myshopifyDomain?: string | null } | null;
  };
}

/** The standard events the helper subscribes to. */
export const pixelEvents = [
  "page_viewed",
  "product_viewed",
  "search_submitted",
  "product_added_to_cart",
  "cart_viewed",
  "checkout_started",
  "checkout_contact_info_submitted",
  "checkout_address_info_submitted",
  "checkout_shipping_info_submitted",
  "payment_info_submitted",
  "checkout_completed",
] as const;

/** Options of {@link subscribeShopifyPixel}. */
export interface ShopifyPixelOptions {
  analytics: PixelAnalytics;
  init?: PixelInit;
  /** Where messages go: the browser tracker, or {@link createPixelTracker}'s. */
  tracker: TrackingCalls;
  /** The userId a Shopify customer id becomes; the webhook handler's `userIdOf` must agree. Default: the id itself. */
  userIdOf?: (customerId: string, shop: string) => string;
}

/**
 * Subscribes to Shopify's standard customer events and sends each, mapped to the e-commerce spec's
 * names and properties, through `tracker`. checkout_completed is sent as Order Completed under the
 * messageId the webhook handler derives for the same order, so the order counts once.
 *
 * ```ts
 * // A custom pixel (Settings → Customer events):
 * subscribeShopifyPixel({ analytics, init, tracker: createPixelTracker({ writeKey: "wk_…", host: "https://cdp.example.com" }) });
 * ```
 */
export function subscribeShopifyPixel(options: ShopifyPixelOptions): void {
  const shop = options.init?.data?.shop?.myshopifyDomain?.toLowerCase() ?? "";
  const userIdOf = options.userIdOf ?? ((customerId: string) => customerId);
  const customerId = options.init?.data?.customer?.id;
  const userId =
    customerId === undefined || customerId === null
      ? undefined
      : userIdOf(String(customerId).replace(/^gid:\/\/shopify\/Customer\//, ""), shop);
  for (const name of pixelEvents) {
    options.analytics.subscribe(name, (event) => {
      const message = mapPixelEvent(event, { shop, ...(userId ? { userId } : {}) });
      if (!message) return;
      if (message.type === "page") options.tracker.page(message.input);
      else options.tracker.track(message.input);
    });
  }
}

/** One pixel event as a tracking message: a page view or a track, with ids and context filled in. */
export type PixelMessage = { type: "page"; input: MessageInput<"page"> } | { type: "track"; input: MessageInput<"track"> };

/** Maps one standard event to the spec; undefined for an event it does not know. */
export function mapPixelEvent(event: PixelEvent, who: { shop: string; userId?: string }): PixelMessage | undefined {
  const data = event.data ?? {};
  const location = event.context?.document?.location;
  const base = {
    // The shop's source, as its webhooks name it: shop/redact erases what the pixel sent too.
    ...(who.shop ? { source: `shopify:${who.shop}` } : {}),
    ...(who.userId ? { userId: who.userId } : {}),
    ...(event.clientId ? { anonymousId: event.clientId } : {}),
    ...(event.id ? { messageId: `shopify-pixel:${event.id}` } : {}),
    ...(event.timestamp ? { timestamp: event.timestamp } : {}),
    context: {
      page: compact({
        url: location?.href,
        path: location?.pathname,
        search: location?.search,
        referrer: event.context?.document?.referrer,
        title: event.context?.document?.title,
      }),
    },
  };
  const track = (name: string, properties: Record<string, unknown>, messageId?: string): PixelMessage => ({
    type: "track",
    input: { ...base, ...(messageId ? { messageId } : {}), event: name, properties: compact(properties) },
  });
  switch (event.name) {
    case "page_viewed":
      return {
        type: "page",
        input: {
          ...base,
          name: event.context?.document?.title ?? null,
          properties: compact({ url: location?.href, path: location?.pathname }),
        },
      };
    case "product_viewed":
      return track("Product Viewed", { ...variantProperties(data.productVariant), url: location?.href });
    case "search_submitted":
      return track("Products Searched", { query: data.searchResult?.query });
    case "product_added_to_cart":
      return track("Product Added", {
        cart_id: data.cartLine?.cart?.id,
        ...variantProperties(data.cartLine?.merchandise),
        quantity: data.cartLine?.quantity,
      });
    case "cart_viewed":
      return track("Cart Viewed", {
        cart_id: data.cart?.id,
        value: amount(data.cart?.cost?.totalAmount),
        currency: data.cart?.cost?.totalAmount?.currencyCode,
        products: (data.cart?.lines ?? []).map((line: { merchandise?: unknown; quantity?: number }) =>
          compact({ ...variantProperties(line.merchandise), quantity: line.quantity }),
        ),
      });
    case "checkout_started":
      return track("Checkout Started", checkoutProperties(data.checkout));
    case "checkout_contact_info_submitted":
      return track("Checkout Step Completed", { checkout_id: data.checkout?.token, step: 1 });
    case "checkout_address_info_submitted":
      return track("Checkout Step Completed", { checkout_id: data.checkout?.token, step: 2 });
    case "checkout_shipping_info_submitted":
      return track("Checkout Step Completed", {
        checkout_id: data.checkout?.token,
        step: 3,
        shipping_method: data.checkout?.delivery?.selectedDeliveryOptions?.[0]?.title ?? data.checkout?.shippingLine?.title,
      });
    case "payment_info_submitted":
      return track("Payment Info Entered", { checkout_id: data.checkout?.token, step: 4 });
    case "checkout_completed": {
      const orderId =
        data.checkout?.order?.id === undefined
          ? undefined
          : String(data.checkout.order.id).replace(/^gid:\/\/shopify\/Order(Identity)?\//, "");
      const properties = { ...checkoutProperties(data.checkout), order_id: orderId };
      // The webhook handler records this order under the same messageId: whichever comes first counts.
      return track(
        "Order Completed",
        properties,
        orderId && who.shop ? derivedMessageId("shopify", who.shop, "order", orderId, "completed") : undefined,
      );
    }
    default:
      return undefined;
  }
}

/** Options of {@link createPixelTracker}. */
export interface PixelTrackerOptions {
  /** The workspace's write key (public). */
  writeKey: string;
  /** Where the API lives, e.g. `https://cdp.example.com` (`/v1/batch` is added). */
  host: string;
  /** Queued messages that start a send. Default 5: a pixel's page may close at any time. */
  flushAt?: number;
  /** Milliseconds a message may wait. Default 1,000. */
  flushInterval?: number;
}

/**
 * A tracker for a pixel: the tracking core of `@cdp/sdk/tracking` (batching, retries, dedupe by
 * messageId) over the browser tracker's transport (`pageTransport` of `@cdp/browser`: a
 * `text/plain` body with the write key in it, so no CORS preflight, sent with `keepalive` within the
 * page's 64 KiB), for where the browser tracker itself is not loaded (a custom pixel's sandbox has
 * `fetch` but no cookies of the shop).
 */
export function createPixelTracker(options: PixelTrackerOptions): Tracker {
  return createTracker({
    transport: pageTransport(`${options.host.replace(/\/+$/, "").replace(/\/v1$/, "")}/v1/batch`, options.writeKey),
    flushAt: options.flushAt ?? 5,
    flushInterval: options.flushInterval ?? 1_000,
    library: { name: "@cdp/shopify pixel", version: "0.1.0" },
  });
}

function variantProperties(variant: unknown): Record<string, unknown> {
  const v = (variant ?? {}) as {
    id?: string;
    title?: string;
    sku?: string | null;
    price?: { amount?: number | string; currencyCode?: string };
    product?: { id?: string; title?: string; vendor?: string; type?: string };
  };
  return compact({
    product_id: v.product?.id === undefined ? undefined : String(v.product.id),
    variant_id: v.id === undefined ? undefined : String(v.id),
    sku: v.sku || undefined,
    name: v.product?.title,
    variant: v.title,
    brand: v.product?.vendor || undefined,
    category: v.product?.type || undefined,
    price: amount(v.price),
    currency: v.price?.currencyCode,
  });
}

// biome-ignore lint/suspicious/noExplicitAny: the Web Pixels API's Checkout object.
function checkoutProperties(checkout: any): Record<string, unknown> {
  if (!checkout) return {};
  const codes = (checkout.discountApplications ?? []).map((discount: { title?: string }) => discount.title).filter(Boolean);
  return compact({
    checkout_id: checkout.token,
    value: amount(checkout.totalPrice),
    revenue: amount(checkout.subtotalPrice),
    total: amount(checkout.totalPrice),
    subtotal: amount(checkout.subtotalPrice),
    tax: amount(checkout.totalTax),
    shipping: amount(checkout.shippingLine?.price),
    currency: checkout.currencyCode,
    coupon: codes.length > 0 ? codes.join(", ") : undefined,
    products: (checkout.lineItems ?? []).map((item: { variant?: unknown; quantity?: number }) =>
      compact({ ...variantProperties(item.variant), quantity: item.quantity }),
    ),
  });
}

/** A MoneyV2 (`{ amount, currencyCode }`) as a decimal string. */
function amount(money: { amount?: number | string } | undefined | null): string | undefined {
  if (money?.amount === undefined || money.amount === null) return undefined;
  return typeof money.amount === "number" ? String(money.amount) : money.amount;
}

function compact(fields: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined && value !== null));
}
