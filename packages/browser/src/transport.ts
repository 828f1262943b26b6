import { type TrackingTransport, utf8Length } from "@cdp/sdk/tracking";

/**
 * What keepalive requests of one page may carry in flight in total (the Fetch standard's quota,
 * shared with `sendBeacon`): 64 KiB.
 */
export const keepaliveQuota = 64 * 1024;

/** The page transport: `hidden` is true while the page is hidden or being unloaded. */
export interface PageTransport extends TrackingTransport {
  hidden: boolean;
}

/**
 * Sends a `/v1/batch` body as a CORS-simple request, which needs no preflight: a `text/plain` body
 * with the write key in it. It goes by `fetch` with `keepalive` while the page's requests fit the
 * 64 KiB quota, so that it outlives the page, and by plain `fetch` beyond. While the page is hidden
 * a batch that does not fit is refused: it stays in the persisted queue for later.
 */
export function pageTransport(url: string, writeKey: string): PageTransport {
  let inFlight = 0;
  const transport: PageTransport = {
    hidden: false,
    async send({ body, signal }) {
      const payload = `{"writeKey":${JSON.stringify(writeKey)},${body.slice(1)}`;
      const bytes = utf8Length(payload);
      const keepalive = inFlight + bytes <= keepaliveQuota;
      if (!keepalive && transport.hidden) throw new Error("keepalive quota full");
      if (keepalive) inFlight += bytes;
      try {
        const response = await fetch(url, { method: "POST", body: payload, keepalive, signal });
        return { status: response.status, retryAfter: response.headers.get("retry-after"), text: await response.text() };
      } finally {
        if (keepalive) inFlight -= bytes;
      }
    },
  };
  return transport;
}
