/**
 * What the e-commerce plug-ins (`@cdp/shopify`, `@cdp/woocommerce`) share (`@cdp/sdk/webhooks`):
 * HMAC-SHA256 signatures checked in constant time with Web Crypto (an empty secret included),
 * a pluggable store that remembers recorded deliveries (in memory with a TTL by default), JSON
 * parsing that keeps ids beyond 2^53 exact, derived messageIds, and the web-standard handler
 * skeleton that answers 401, 200 or 503 as the platforms expect. Runs on Node and edge runtimes.
 *
 * @packageDocumentation
 */

export { parseJsonExact as parseJson } from "@cdp/contract";
export { createMemoryDeliveryStore, type DeliveryStore, type MemoryDeliveryStoreOptions } from "./deliveries.js";
export {
  createWebhookHandler,
  isRetryable,
  type RecordOutcome,
  type WebhookCallbacks,
  type WebhookDelivery,
  type WebhookFailure,
  type WebhookHandler,
  type WebhookHandlerOptions,
  type WebhookPlatform,
  type WebhookRejection,
} from "./handler.js";
export {
  applyListChoice,
  applyMarketingChoice,
  type CustomerDelivery,
  type ListChoice,
  type MarketingChoice,
  recordCustomer,
} from "./marketing.js";
export {
  derivedMessageId,
  type PlatformIdentity,
  type PluginClient,
  type PrivacyClient,
  platformTrack,
  sendMessages,
} from "./messages.js";
export { decimal, sumDecimals } from "./money.js";
export { hmacSha256Base64, timingSafeEqual, verifyHmacSha256 } from "./signature.js";
