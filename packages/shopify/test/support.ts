import { readFileSync } from "node:fs";
import { type Backend, createBackend, manualClock } from "@cdp/backend";
import { Cdp, type FetchLike } from "@cdp/sdk";
import { hmacSha256Base64 } from "@cdp/sdk/webhooks";

export const secret = "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";
export const shop = "acme.myshopify.com";

/** A fixture's raw text: sent byte for byte, as Shopify sends it (ids beyond 2^53 included). */
export function fixture(name: string): string {
  return readFileSync(new URL(`./fixtures/${name}.json`, import.meta.url), "utf8");
}

/** A fixture with some fields replaced, still as raw JSON text (big ids kept by editing the text). */
export function edit(text: string, replacements: Record<string, string>): string {
  let out = text;
  for (const [from, to] of Object.entries(replacements)) {
    if (!out.includes(from)) throw new Error(`fixture has no ${from}`);
    out = out.replaceAll(from, to);
  }
  return out;
}

let sequence = 0;

/** A delivery as Shopify makes it: signed body and the X-Shopify-* headers. */
export async function delivery(
  topic: string,
  body: string,
  options: { eventId?: string; webhookId?: string; shop?: string; signature?: string | null; secret?: string } = {},
): Promise<Request> {
  sequence++;
  const headers: Record<string, string> = {
    "content-type": "application/json",
    "x-shopify-topic": topic,
    "x-shopify-shop-domain": options.shop ?? shop,
    "x-shopify-api-version": "2025-10",
    "x-shopify-webhook-id": options.webhookId ?? `b54557e4-bdd9-4b37-8a5f-bf7d70bc${String(sequence).padStart(4, "0")}`,
    "x-shopify-event-id": options.eventId ?? `98880550-7158-44d4-b7cd-2c97c8a0${String(sequence).padStart(4, "0")}`,
    "x-shopify-triggered-at": "2026-11-20T15:05:14.000000Z",
  };
  const signature = options.signature === undefined ? await hmacSha256Base64(options.secret ?? secret, body) : options.signature;
  if (signature !== null) headers["x-shopify-hmac-sha256"] = signature;
  return new Request("https://app.example.com/webhooks/shopify", { method: "POST", headers, body });
}

/** The backend in memory, an admin to read it, a user key for the plug-in and a dpo key for the GDPR topics. */
export async function world(options: { fetch?: (fetch: FetchLike) => FetchLike } = {}) {
  const backend: Backend = createBackend({ clock: manualClock("2026-11-23T12:00:00Z"), seed: 7 });
  const admin = new Cdp({ fetch: backend.fetch, apiKey: backend.adminKey, maxRetries: 0 });
  const user = await admin.keys.create({ name: "shopify plug-in", role: "user" });
  const dpoKey = await admin.keys.create({ name: "shopify GDPR", role: "dpo" });
  const fetch = options.fetch ? options.fetch(backend.fetch) : backend.fetch;
  const cdp = new Cdp({ fetch, apiKey: user.secret, maxRetries: 0 });
  const dpo = new Cdp({ fetch, apiKey: dpoKey.secret, maxRetries: 0 });
  return { backend, admin, cdp, dpo };
}
