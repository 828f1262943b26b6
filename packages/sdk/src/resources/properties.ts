import { propertyRoutes } from "@cdp/contract";
import type { RequestOptions } from "../core/request.js";
import { ApiResource, type BodyOf, type ResponseOf } from "../core/resource.js";

/** The workspace's property schema: `cdp.properties`. */
export class Properties extends ApiResource {
  /** Lists the base properties and the workspace's extended ones. */
  list(options?: RequestOptions): Promise<ResponseOf<"properties.list">> {
    return this.client.send(propertyRoutes["properties.list"], {}, options);
  }

  /**
   * Defines an extended property; customers then hold it under `properties.<name>`.
   *
   * ```ts
   * await cdp.properties.define({ name: "tier", type: "enum", enum: ["gold", "silver"] });
   * ```
   */
  define(body: BodyOf<"properties.define">, options?: RequestOptions): Promise<ResponseOf<"properties.define">> {
    return this.client.send(propertyRoutes["properties.define"], { body }, options);
  }
}
