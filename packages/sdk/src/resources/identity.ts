import { identityRoutes } from "@cdp/contract";
import type { RequestOptions } from "../core/request.js";
import { ApiResource, type BodyOf, type ResponseOf } from "../core/resource.js";

/** Identity resolution: `cdp.identity`. */
export class Identity extends ApiResource {
  /**
   * Finds the profile a set of identifiers resolves to, by the workspace's identity rules, writing
   * nothing. Answers `{ customerId }`, `null` when no profile matches.
   *
   * ```ts
   * const { customerId } = await cdp.identity.resolve({ identifiers: [{ type: "email", value: "ada@example.com" }] });
   * ```
   */
  resolve(body: BodyOf<"identity.resolve">, options?: RequestOptions): Promise<ResponseOf<"identity.resolve">> {
    return this.client.send(identityRoutes["identity.resolve"], { body }, options);
  }
}
