import { defineRoute, type RouteDocs } from "../route.js";
import { AliasMessage, BatchBody, GroupMessage, IdentifyMessage, PageMessage, ScreenMessage, TrackMessage } from "../schemas/tracking.js";

// Each route spells out what they share: a spread is a side effect to bundlers, which would then keep
// every tracking schema in every client bundle.

/** Segment's HTTP tracking API: write keys (Basic user name, or `writeKey` in the body) or secret keys. */
export const trackingRoutes = {
  identify: defineRoute({
    name: "identify",
    path: "/identify",
    body: IdentifyMessage,
    permission: "tracking:write",
    auth: "tracking",
    method: "POST",
    status: 200,
    response: "TrackingResult",
    audited: true,
  }),
  track: defineRoute({
    name: "track",
    path: "/track",
    body: TrackMessage,
    permission: "tracking:write",
    auth: "tracking",
    method: "POST",
    status: 200,
    response: "TrackingResult",
    audited: true,
  }),
  page: defineRoute({
    name: "page",
    path: "/page",
    body: PageMessage,
    permission: "tracking:write",
    auth: "tracking",
    method: "POST",
    status: 200,
    response: "TrackingResult",
    audited: true,
  }),
  screen: defineRoute({
    name: "screen",
    path: "/screen",
    body: ScreenMessage,
    permission: "tracking:write",
    auth: "tracking",
    method: "POST",
    status: 200,
    response: "TrackingResult",
    audited: true,
  }),
  group: defineRoute({
    name: "group",
    path: "/group",
    body: GroupMessage,
    permission: "tracking:write",
    auth: "tracking",
    method: "POST",
    status: 200,
    response: "TrackingResult",
    audited: true,
  }),
  alias: defineRoute({
    name: "alias",
    path: "/alias",
    body: AliasMessage,
    permission: "tracking:write",
    auth: "tracking",
    method: "POST",
    status: 200,
    response: "TrackingResult",
    audited: true,
  }),
  batch: defineRoute({
    name: "batch",
    path: "/batch",
    body: BatchBody,
    permission: "tracking:write",
    auth: "tracking",
    method: "POST",
    status: 200,
    response: "TrackingResult",
    audited: true,
  }),
} as const;

const segment =
  "Compatible with Segment's HTTP tracking API; `text/plain` bodies are read as JSON. A replayed messageId is accepted and changes nothing.";
const segmentEvent =
  "Compatible with Segment's HTTP tracking API; `text/plain` bodies are read as JSON. A replayed messageId is accepted and changes nothing. With `sentAt`, the event's `timestamp` is corrected for the device's clock as Segment does: `receivedAt − (sentAt − originalTimestamp)`, originalTimestamp being the message's `originalTimestamp`, else its `timestamp`; without it, `timestamp` as sent, else `receivedAt` (the backend's clock).";

/** What the docs and the OpenAPI document say of each route (kept apart so browser bundles skip it). */
export const trackingRouteDocs: RouteDocs<typeof trackingRoutes> = {
  identify: { summary: "Identify a user: resolve the profile and write its traits", description: segment },
  track: { summary: "Record an event", description: segmentEvent },
  page: { summary: "Record a page view (Page Viewed)", description: segmentEvent },
  screen: { summary: "Record a screen view (Screen Viewed)", description: segmentEvent },
  group: {
    summary: "Associate a user with a group (no event)",
    description:
      "Compatible with Segment's HTTP tracking API; `text/plain` bodies are read as JSON. A replayed messageId is accepted and changes nothing. The profile is resolved from `userId`, `anonymousId`, `context.device` (id, token) and `context.traits` (email, phone) as for any message; `groupId` and the group's `traits` describe the group (a company's email is not the user's) and are not stored: they neither identify the user nor write to the profile.",
  },
  alias: { summary: "Join a previous id to a user id (no event)", description: segment },
  batch: {
    summary: "Send up to 2,500 messages at once",
    description:
      "Compatible with Segment's HTTP tracking API; `text/plain` bodies are read as JSON. A replayed messageId is accepted and changes nothing. Each item names its type and is checked as the single route checks it (a `source` that is not `<platform>:<name>` included); an invalid or oversized item is one entry of `rejected` (its issues' paths name it: `body.batch.3.event`) and the others go through. The body's `sentAt` (as Segment's libraries send it) and `context` stand for an item's own when it has none (an item whose own `context` is invalid, a string, a list or null, is rejected at `body.batch.N.context` all the same); `sentAt` corrects each event's `timestamp` for the device's clock: `receivedAt − (sentAt − originalTimestamp)`, originalTimestamp being the item's `originalTimestamp`, else its `timestamp`.",
  },
};
