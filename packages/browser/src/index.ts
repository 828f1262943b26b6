/**
 * `@cdp/browser`: the tracker for web pages. An anonymous id in a first-party cookie on the
 * top-level domain, mirrored in localStorage; a queue persisted in localStorage; delivery that
 * survives the page's unload; consent gating. Built on the tracking core of `@cdp/sdk/tracking`.
 * Nothing here touches `window` until {@link createBrowserTracker} is called.
 *
 * @packageDocumentation
 */
export type { DeliveredEvent, DroppedEvent, DropReason, TrackingEvents, TrackingListener } from "@cdp/sdk/tracking";
export { anonymousIdCookie } from "@cdp/sdk/tracking";
export { storageKeys } from "./storage.js";
export {
  type BrowserTracker,
  type BrowserTrackerOptions,
  type CallOptions,
  type ConsentOptions,
  type ConsentStatus,
  consentEvent,
  createBrowserTracker,
  type Fields,
} from "./tracker.js";
export { keepaliveQuota, type PageTransport, pageTransport } from "./transport.js";
export { version } from "./version.js";
