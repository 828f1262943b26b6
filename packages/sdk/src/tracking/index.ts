/**
 * The tracking core (`@cdp/sdk/tracking`): what the Node and browser trackers share — message
 * builders in Segment's format, a queue that batches by count, bytes and time, retries with
 * backoff and a `Retry-After` lane, 413 splitting, `flush()` and `close()`. Platforms inject the
 * transport and the storage. No ky and no zod at run time; fetch and Web Crypto only.
 *
 * @packageDocumentation
 */
export { anonymousIdCookie, readAnonymousId } from "./cookie.js";
export { TrackingError, type TrackingErrorCode } from "./errors.js";
export type { AttemptError, DeliveredEvent, DroppedEvent, DropReason, TrackingEvents, TrackingListener } from "./events.js";
export { randomId } from "./ids.js";
export { defaultBatchBytes, messageLimits, utf8Length } from "./limits.js";
export {
  buildMessage,
  type LibraryInfo,
  type MessageDefaults,
  type MessageInput,
  serializeMessage,
  type TrackingMessage,
} from "./messages.js";
export { type CloseResult, type QueueOptions, queueDefaults, type TrackingStorage } from "./queue.js";
export { backoffDelay, isRetryable, maxRetryAfter, parseRetryAfter } from "./retry.js";
export { type BoundIdentity, createTracker, type Tracker, type TrackerOptions, type TrackingCalls } from "./tracker.js";
export {
  type FetchTransportOptions,
  fetchTransport,
  type TrackingTransport,
  type TransportRequest,
  type TransportResponse,
} from "./transport.js";
