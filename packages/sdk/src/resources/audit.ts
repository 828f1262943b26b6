import { auditRoutes } from "@cdp/contract";
import type { PagedList } from "../core/pagination.js";
import type { RequestOptions } from "../core/request.js";
import { ApiResource, type ItemOf, type QueryOf, withCursor } from "../core/resource.js";

/** The audit log of writes through the API: `cdp.audit`. */
export class Audit extends ApiResource {
  /**
   * Lists audit entries, filtered by `action`, `actor`, `target` and a time range. Pages on its own.
   *
   * ```ts
   * for await (const entry of cdp.audit.list({ action: "customers.delete" })) console.log(entry.reason);
   * ```
   */
  list(query?: QueryOf<"audit.list">, options?: RequestOptions): PagedList<ItemOf<"audit.list">> {
    return this.client.list(auditRoutes["audit.list"], (cursor) => ({ query: withCursor(query ?? {}, cursor) }), options);
  }
}
