import { keyRoutes } from "@cdp/contract";
import type { PagedList } from "../core/pagination.js";
import type { RequestOptions } from "../core/request.js";
import { ApiResource, type BodyOf, type ItemOf, type QueryOf, type ResponseOf, withCursor } from "../core/resource.js";

/** The organization's API keys: `cdp.keys`. */
export class Keys extends ApiResource {
  /** Lists the organization's keys (without their secrets). Pages on its own. */
  list(query?: QueryOf<"keys.list">, options?: RequestOptions): PagedList<ItemOf<"keys.list">> {
    return this.client.list(keyRoutes["keys.list"], (cursor) => ({ query: withCursor(query ?? {}, cursor) }), options);
  }

  /**
   * Creates a key. The answer holds its `secret`, shown this once.
   *
   * ```ts
   * const { key, secret } = await cdp.keys.create({ name: "back office", role: "user" });
   * ```
   */
  create(body: BodyOf<"keys.create">, options?: RequestOptions): Promise<ResponseOf<"keys.create">> {
    return this.client.send(keyRoutes["keys.create"], { body }, options);
  }

  /**
   * Revokes a key; requests with it fail from then on.
   * @param body - `{ reason }`, optional.
   */
  revoke(id: string, body?: BodyOf<"keys.revoke">, options?: RequestOptions): Promise<ResponseOf<"keys.revoke">> {
    return this.client.send(keyRoutes["keys.revoke"], { params: { id }, body }, options);
  }
}
