import { privacyRequestRoutes } from "@cdp/contract";
import type { PagedList } from "../core/pagination.js";
import type { RequestOptions } from "../core/request.js";
import { ApiResource, type ItemOf, type QueryOf, withCursor } from "../core/resource.js";

/** The organization's privacy requests (exports, erasures, restrictions): `cdp.privacyRequests`. */
export class PrivacyRequests extends ApiResource {
  /**
   * Lists privacy requests, newest first (dpo). Pages on its own.
   *
   * ```ts
   * for await (const request of cdp.privacyRequests.list({ type: "erasure" })) console.log(request.status, request.completedAt);
   * ```
   */
  list(query?: QueryOf<"privacyRequests.list">, options?: RequestOptions): PagedList<ItemOf<"privacyRequests.list">> {
    return this.client.list(
      privacyRequestRoutes["privacyRequests.list"],
      (cursor) => ({ query: withCursor(query ?? {}, cursor) }),
      options,
    );
  }
}
