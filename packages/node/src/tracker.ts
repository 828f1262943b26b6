import { createRequire } from "node:module";
import { createTracker, fetchTransport, type QueueOptions, queueDefaults, serializeMessage, type Tracker } from "@cdp/sdk/tracking";
import { httpTransport } from "./http-transport.js";

/** Options of {@link createNodeTracker}. Only `writeKey` is required. */
export interface NodeTrackerOptions extends Partial<Omit<QueueOptions, "random">> {
  /** The workspace's write key, sent as the HTTP Basic user name with an empty password. */
  writeKey: string;
  /** Where the API lives, without `/v1`. Default `http://localhost:4000`. */
  host?: string;
  /** Any `fetch` (`createBackend().fetch` in tests). Default: none, requests go through `node:http(s)` with keep-alive. */
  fetch?: (input: string, init: RequestInit) => Promise<Response>;
  /** Milliseconds one request may take before it is aborted and retried. Default 10,000. */
  timeout?: number;
  /** Merged under every message's own `context`. */
  context?: Record<string, unknown>;
}

/** The Node tracker: track, identify, page, screen, group, alias, flush, close, bind, and events. */
export type NodeTracker = Tracker;

const version = (createRequire(import.meta.url)("../package.json") as { version: string }).version;

/**
 * A batching tracker for Node servers. Calls return at once; messages go out in the background as
 * `/v1/batch` requests: a flush starts at `flushAt` (20) queued messages or after `flushInterval`
 * (10 s), and drains the whole queue in batches of at most 480 KiB, 4 requests in flight. Network
 * errors, timeouts, 408, 429 and 5xx are retried with backoff (`Retry-After` honoured up to 60 s);
 * every message carries a `messageId`, so a retried message counts once. The queue holds at most
 * `maxQueueSize` (100,000) messages; past it, new messages are dropped and reported by 'dropped'.
 *
 * ```ts
 * const tracker = createNodeTracker({ writeKey: process.env.CDP_WRITE_KEY, host: "https://cdp.example.com" });
 * tracker.on("dropped", ({ reason, messages }) => console.warn(`cdp: ${messages.length} dropped (${reason})`));
 * tracker.track({ userId: "u-42", event: "Order Completed", properties: { order_id: "o-1" } });
 * process.on("SIGTERM", async () => { await tracker.close({ timeout: 5_000 }); process.exit(0); });
 * ```
 */
export function createNodeTracker(options: NodeTrackerOptions): NodeTracker {
  const { writeKey, host = "http://localhost:4000", fetch, timeout, context, ...queue } = options;
  if (typeof writeKey !== "string" || writeKey === "")
    throw new TypeError("createNodeTracker needs a writeKey (the workspace's write key)");
  const base = host.replace(/\/+$/, "").replace(/\/v1$/, "");
  const url = `${base}/v1/batch`;
  const library = { name: "@cdp/node", version };
  const libraryJson = JSON.stringify(library);
  return createTracker({
    ...queue,
    transport: fetch
      ? fetchTransport({ url, writeKey, fetch, ...(timeout === undefined ? {} : { timeout }) })
      : httpTransport({ url, writeKey, timeout: timeout ?? 10_000, maxSockets: queue.maxInFlight ?? queueDefaults.maxInFlight }),
    library,
    ...(context ? { context } : {}),
    // A burst of thousands of calls: each message's JSON is written without a copy of it.
    serialize: (type, message, defaults) => serializeMessage(type, message, defaults, libraryJson),
  });
}
