/**
 * Runs the shop's server against a CDP: `CDP_URL`, `CDP_USER_KEY`, `CDP_DPO_KEY`, `CDP_WRITE_KEY`,
 * `SHOPIFY_API_SECRET`, `WC_WEBHOOK_SECRET`, `PORT`; without `CDP_URL`, an in-memory backend is started here (on `CDP_PORT`).
 */
import type { AddressInfo } from "node:net";
import { createBackend } from "@cdp/backend";
import { createNodeTracker } from "@cdp/node";
import { Cdp } from "@cdp/sdk";
import { createShopServer } from "./server.js";

const env = process.env;
let baseUrl = env.CDP_URL;
let keys = { user: env.CDP_USER_KEY ?? "", dpo: env.CDP_DPO_KEY ?? "", write: env.CDP_WRITE_KEY ?? "" };
if (!baseUrl) {
  const backend = createBackend();
  baseUrl = (await backend.listen({ port: Number(env.CDP_PORT ?? 4000) })).url;
  const admin = new Cdp({ baseUrl, apiKey: backend.adminKey });
  keys = {
    user: (await admin.keys.create({ name: "shop server", role: "user" })).secret,
    dpo: (await admin.keys.create({ name: "shop GDPR", role: "dpo" })).secret,
    write: backend.writeKey,
  };
  console.log(`in-memory CDP at ${baseUrl} (admin key ${backend.adminKey})`);
}
const app = createShopServer({
  cdp: new Cdp({ baseUrl, apiKey: keys.user }),
  dpo: new Cdp({ baseUrl, apiKey: keys.dpo }),
  tracker: createNodeTracker({ writeKey: keys.write, host: baseUrl }),
  shopifySecret: env.SHOPIFY_API_SECRET ?? "shpss_local",
  wooCommerceSecret: env.WC_WEBHOOK_SECRET ?? "",
  onDataRequest: (request) =>
    console.log(`Shopify data request ${request.dataRequestId}: ${request.export ? "export ready" : "nothing held"}`),
});
const server = app.listen(Number(env.PORT ?? 3000), () => {
  const { port } = server.address() as AddressInfo;
  console.log(`shop server on http://127.0.0.1:${port}: POST /webhooks/shopify, /webhooks/woocommerce`);
});
