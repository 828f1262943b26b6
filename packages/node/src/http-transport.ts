import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from "node:http";
import { Agent as HttpsAgent, request as httpsRequest } from "node:https";
import { TrackingError, type TrackingTransport } from "@cdp/sdk/tracking";

/** Options of {@link httpTransport}. */
export interface HttpTransportOptions {
  /** Where batches go, e.g. `https://cdp.example.com/v1/batch`. */
  url: string;
  /** The workspace's write key, sent as the HTTP Basic user name with an empty password. */
  writeKey: string;
  /** Milliseconds one attempt may take before it is aborted (and retried). */
  timeout: number;
  /** Sockets kept open to the backend (one per request in flight). */
  maxSockets: number;
}

/**
 * The Node tracker's transport: `node:http(s)` with a keep-alive agent. Lighter than Node's
 * `fetch` (no web streams, one copy of the body), which matters at tens of thousands of events a
 * second. Idle sockets do not keep the process alive, and `close()` ends them.
 */
export function httpTransport(options: HttpTransportOptions): TrackingTransport {
  const target = new URL(options.url);
  const secure = target.protocol === "https:";
  const agent = secure
    ? new HttpsAgent({ keepAlive: true, maxSockets: options.maxSockets })
    : new HttpAgent({ keepAlive: true, maxSockets: options.maxSockets });
  const request = secure ? httpsRequest : httpRequest;
  const authorization = `Basic ${Buffer.from(`${options.writeKey}:`).toString("base64")}`;
  return {
    send: ({ body, signal }) =>
      new Promise((resolve, reject) => {
        const payload = Buffer.from(body, "utf8");
        let settled = false;
        const finish = (error: unknown, answer?: { status: number; retryAfter: string | null; text: string }) => {
          if (settled) return;
          settled = true;
          clearTimeout(timer);
          signal.removeEventListener("abort", onAbort);
          if (answer) resolve(answer);
          else reject(error);
        };
        const outgoing = request(target, {
          method: "POST",
          agent,
          headers: { "content-type": "application/json", "content-length": payload.length, authorization },
        });
        const timer = setTimeout(() => {
          const error = new TrackingError("timeout", `no answer from ${options.url} within ${options.timeout} ms`);
          outgoing.destroy(error);
          finish(error);
        }, options.timeout);
        const onAbort = () => {
          outgoing.destroy();
          finish(signal.reason);
        };
        if (signal.aborted) return onAbort();
        signal.addEventListener("abort", onAbort, { once: true });
        outgoing.on("error", (error) => finish(error));
        outgoing.on("response", (response: IncomingMessage) => {
          const chunks: Buffer[] = [];
          response.on("data", (chunk: Buffer) => chunks.push(chunk));
          response.on("error", (error) => finish(error));
          response.on("aborted", () => finish(new Error("the connection closed before the answer was complete")));
          response.on("end", () => {
            const retryAfter = response.headers["retry-after"];
            finish(undefined, {
              status: response.statusCode ?? 0,
              retryAfter: typeof retryAfter === "string" ? retryAfter : null,
              text: Buffer.concat(chunks).toString("utf8"),
            });
          });
        });
        outgoing.end(payload);
      }),
    close: () => agent.destroy(),
  };
}
