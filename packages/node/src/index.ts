/**
 * The Node tracker of `@cdp`: batching, retries, a bounded queue, a graceful `close()`, and
 * middleware for Express, Fastify and web-standard handlers that joins server events to the
 * browser's profile.
 *
 * @packageDocumentation
 */
export {
  type AttemptError,
  anonymousIdCookie,
  type BoundIdentity,
  type CloseResult,
  type DeliveredEvent,
  type DroppedEvent,
  type DropReason,
  type MessageInput,
  type TrackingCalls,
  TrackingError,
  type TrackingEvents,
  type TrackingListener,
  type TrackingMessage,
} from "@cdp/sdk/tracking";
export {
  bindToRequest,
  type FastifyLike,
  type FastifyTrackingPlugin,
  fastifyTracking,
  type MiddlewareOptions,
  type RequestLike,
  trackerOf,
  trackingMiddleware,
  withTracking,
} from "./middleware.js";
export { createNodeTracker, type NodeTracker, type NodeTrackerOptions } from "./tracker.js";
export {
  expressWebhook,
  type FastifyReplyLike,
  type FastifyWebhookInstance,
  type FastifyWebhookPlugin,
  fastifyWebhook,
  type NodeRequestLike,
  nodeWebhook,
  readRawBody,
  toWebRequest,
  type WebHandler,
  writeWebResponse,
} from "./webhooks.js";
