import { TrackingError } from "./errors.js";

/** One request of a tracker: a `/v1/batch` body, and a signal that aborts it when the tracker closes. */
export interface TransportRequest {
  body: string;
  signal: AbortSignal;
}

/** What the server answered. A transport rejects (with any error) when no answer came. */
export interface TransportResponse {
  status: number;
  /** The `Retry-After` header, if any. */
  retryAfter: string | null;
  /** The answer's body as text (a tracker reads `rejected` from it). */
  text: string;
}

/** How a tracker sends a batch: `fetch` on servers, `sendBeacon` or keepalive `fetch` in pages, a fake in tests. */
export interface TrackingTransport {
  send(request: TransportRequest): Promise<TransportResponse>;
  /** Ends what the transport holds open (kept-alive sockets); called once, when the tracker has closed. */
  close?(): void;
}

/** Options of {@link fetchTransport}. */
export interface FetchTransportOptions {
  /** Where batches go, e.g. `https://cdp.example.com/v1/batch`. */
  url: string;
  /** The workspace's write key, sent as the HTTP Basic user name with an empty password, as Segment's API takes it. */
  writeKey: string;
  /** Any `fetch`. Default: `globalThis.fetch`, looked up on every request. */
  fetch?: (input: string, init: RequestInit) => Promise<Response>;
  /** Milliseconds one attempt may take before it is aborted (and retried). Default 10,000. */
  timeout?: number;
  /** More headers for every request. */
  headers?: Record<string, string>;
}

/**
 * A transport over `fetch`: POSTs each batch as JSON with the write key as HTTP Basic user name.
 * A timed-out attempt rejects with a {@link TrackingError} `timeout`; no timer outlives its request.
 */
export function fetchTransport(options: FetchTransportOptions): TrackingTransport {
  const timeout = options.timeout ?? 10_000;
  const headers = {
    "content-type": "application/json",
    authorization: `Basic ${btoa(`${options.writeKey}:`)}`,
    ...options.headers,
  };
  return {
    async send({ body, signal }) {
      const controller = new AbortController();
      let timedOut = false;
      const onAbort = () => controller.abort(signal.reason);
      if (signal.aborted) onAbort();
      else signal.addEventListener("abort", onAbort, { once: true });
      const timer = setTimeout(() => {
        timedOut = true;
        controller.abort();
      }, timeout);
      try {
        const fetch = options.fetch ?? globalThis.fetch;
        const response = await fetch(options.url, { method: "POST", headers, body, signal: controller.signal });
        const text = await response.text();
        return { status: response.status, retryAfter: response.headers.get("retry-after"), text };
      } catch (error) {
        if (timedOut) throw new TrackingError("timeout", `no answer from ${options.url} within ${timeout} ms`, { cause: error });
        throw error;
      } finally {
        clearTimeout(timer);
        signal.removeEventListener("abort", onAbort);
      }
    },
  };
}
