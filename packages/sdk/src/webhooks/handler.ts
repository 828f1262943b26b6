import { type ApiIssue, parseJsonExact as parseJson } from "@cdp/contract";
import { CdpError, ConnectionError, TimeoutError } from "../core/errors.js";
import { createMemoryDeliveryStore, type DeliveryStore } from "./deliveries.js";
import { verifyHmacSha256 } from "./signature.js";

/** A web-standard request handler: Node (through `@cdp/node`'s adapters), Hono, Next.js, Workers, Deno, Bun. */
export type WebhookHandler = (request: Request) => Promise<Response>;

/** A delivery the CDP refused for good (400/422: a message that fails its schema, a rule of the workspace). Answered 200: redelivering would not help. */
export interface WebhookRejection {
  /** `shopify`, `woocommerce`. */
  platform: string;
  /** The platform's topic, e.g. `orders/create`, `order.updated`. */
  topic: string;
  /** The delivery's id (Shopify's event or webhook id, WooCommerce's delivery id). */
  deliveryId: string | undefined;
  /** The API's error code, e.g. `validation_failed`. */
  code: string;
  message: string;
  /** The tracking message refused, when it was one message of a batch. */
  messageId?: string | null | undefined;
  issues?: readonly ApiIssue[] | undefined;
}

/** A delivery that could not be recorded for now (the CDP answered 5xx or 429, or could not be reached): answered 503, so the platform redelivers. */
export interface WebhookFailure {
  platform: string;
  topic: string;
  deliveryId: string | undefined;
  error: unknown;
}

/** What a handler does with what it could not record. Neither is given personal data beyond the error. */
export interface WebhookCallbacks {
  /** A refusal that is final: the handler answered 200 and the platform will not redeliver. Report it. Default: `console.warn`. */
  onRejected?: (rejection: WebhookRejection) => void;
  /** A failure the platform will redeliver (answered 503). Default: `console.error`. */
  onError?: (failure: WebhookFailure) => void;
}

/** Options every webhook handler takes. */
export interface WebhookHandlerOptions extends WebhookCallbacks {
  /** Where recorded deliveries are remembered. Default: `createMemoryDeliveryStore()` (in memory, 48 h). */
  deliveries?: DeliveryStore;
}

/** One verified delivery, as a platform's mapping receives it. */
export interface WebhookDelivery {
  topic: string;
  deliveryId: string | undefined;
  headers: Headers;
  /** The body, parsed with {@link parseJson}: integers beyond 2^53 are exact decimal strings. */
  payload: unknown;
}

/** What a platform's mapping did with a delivery. */
export interface RecordOutcome {
  /** `recorded`: written to the CDP; `ignored`: a topic or a change with nothing to record. */
  status: "recorded" | "ignored";
  /** Messages the CDP refused for good (each reported through `onRejected`). */
  rejected?: ReadonlyArray<Omit<WebhookRejection, "platform" | "topic" | "deliveryId">>;
}

/** What a platform plugs into {@link createWebhookHandler}. */
export interface WebhookPlatform {
  name: string;
  secret: string;
  /** The header that carries the base64 HMAC-SHA256 of the body. */
  signatureHeader: string;
  topic(headers: Headers): string;
  /** The delivery's id, when the platform sends one. */
  deliveryId(headers: Headers): string | undefined;
  /** The key the delivery is remembered under (namespaced by platform and shop); undefined: not deduplicated. */
  deliveryKey(headers: Headers): string | undefined;
  /** Answers a request before its signature is checked (WooCommerce's unsigned set-up ping); undefined: go on. */
  answerUnsigned?(request: Request, body: string): Response | undefined;
  record(delivery: WebhookDelivery): Promise<RecordOutcome>;
}

/**
 * The skeleton every platform's handler shares: read the raw body, verify its signature (401 and
 * nothing recorded when it is bad or missing), skip a delivery already recorded (200), parse without
 * losing large ids, record, and only then remember the delivery. A CDP that answers 5xx or 429, or
 * cannot be reached, gets the platform a 503 so that it redelivers; a final refusal (4xx) gets 200
 * and is reported through `onRejected`.
 */
export function createWebhookHandler(platform: WebhookPlatform, options: WebhookHandlerOptions = {}): WebhookHandler {
  const deliveries = options.deliveries ?? createMemoryDeliveryStore();
  const onRejected =
    options.onRejected ?? ((rejection) => console.warn(`@cdp/${rejection.platform}: ${rejection.topic} refused: ${rejection.code}`));
  const onError =
    options.onError ?? ((failure) => console.error(`@cdp/${failure.platform}: ${failure.topic} not recorded, answered 503`, failure.error));
  return async (request) => {
    if (request.method !== "POST") return answer(405, { error: "method_not_allowed" }, { allow: "POST" });
    const raw = new Uint8Array(await request.arrayBuffer());
    const text = new TextDecoder().decode(raw);
    const early = platform.answerUnsigned?.(request, text);
    if (early) return early;
    if (!(await verifyHmacSha256(platform.secret, raw, request.headers.get(platform.signatureHeader)))) {
      return answer(401, { error: "invalid_signature" });
    }
    const headers = request.headers;
    const topic = platform.topic(headers);
    const deliveryId = platform.deliveryId(headers);
    const key = platform.deliveryKey(headers);
    const about = { platform: platform.name, topic, deliveryId };
    try {
      if (key !== undefined && (await deliveries.has(key))) return answer(200, { status: "duplicate" });
    } catch (error) {
      onError({ ...about, error });
      return answer(503, { error: "delivery_store_unavailable" });
    }
    let payload: unknown;
    try {
      payload = parseJson(text);
    } catch {
      return answer(400, { error: "invalid_json" });
    }
    let outcome: RecordOutcome;
    try {
      outcome = await platform.record({ topic, deliveryId, headers, payload });
    } catch (error) {
      if (isRetryable(error)) {
        onError({ ...about, error });
        return answer(503, { error: "cdp_unavailable" });
      }
      const refusal = error as CdpError;
      outcome = { status: "recorded", rejected: [{ code: refusal.code, message: refusal.message, issues: refusal.issues }] };
    }
    for (const rejection of outcome.rejected ?? []) onRejected({ ...about, ...rejection });
    try {
      if (key !== undefined) await deliveries.add(key);
    } catch (error) {
      // Recorded already: a redelivery dedupes at the backend by messageId.
      onError({ ...about, error });
    }
    return answer(200, { status: outcome.rejected?.length ? "rejected" : outcome.status });
  };
}

/**
 * Whether a failure is worth a redelivery: the CDP answered 5xx, 408 or 429, timed out or could not be
 * reached, or the failure is not the CDP's answer at all. A 4xx answer is final.
 */
export function isRetryable(error: unknown): boolean {
  if (!(error instanceof CdpError) || error instanceof ConnectionError || error instanceof TimeoutError) return true;
  if (error.status === undefined) return error.type === "connection" || error.type === "timeout";
  return error.status >= 500 || error.status === 408 || error.status === 429;
}

function answer(status: number, body: Record<string, string>, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json", ...headers } });
}
