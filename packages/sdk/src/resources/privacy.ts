import { privacyRoutes } from "@cdp/contract";
import type { RequestOptions } from "../core/request.js";
import { ApiResource, type BodyOf, type ResponseOf } from "../core/resource.js";

/** Privacy operations that reach beyond one customer: `cdp.privacy`. */
export class Privacy extends ApiResource {
  /**
   * Erases everything one source wrote in the workspace (dpo): every customer holding an identifier
   * that source added, and every event it recorded. What a shop plug-in calls when a shop leaves
   * (Shopify's `shop/redact`). Answers the completed privacy request; its subject is the source.
   *
   * ```ts
   * const request = await dpo.privacy.eraseSource({ source: "shopify:acme.myshopify.com", reason: "shop/redact" });
   * console.log(request.erased); // { customers: 12, events: 80 }
   * ```
   * @param body - `{ source, reason }`: the source, `<platform>:<name>`, and why.
   */
  eraseSource(body: BodyOf<"privacy.eraseSource">, options?: RequestOptions): Promise<ResponseOf<"privacy.eraseSource">> {
    return this.client.send(privacyRoutes["privacy.eraseSource"], { body }, options);
  }
}
