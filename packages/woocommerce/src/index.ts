/**
 * The WooCommerce plug-in of `@cdp`: a web-standard webhook handler for orders and customers,
 * mapped to the e-commerce spec.
 *
 * @packageDocumentation
 */
export type { WooMappingContext } from "./mapping.js";
export type * from "./payloads.js";
export {
  createWooCommerceWebhookHandler,
  type WooCommerceTopic,
  type WooCommerceWebhookOptions,
  wooCommerceHeaders,
  wooCommerceTopics,
} from "./webhooks.js";
