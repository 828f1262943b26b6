import { workspaceRoutes } from "@cdp/contract";
import type { RequestOptions } from "../core/request.js";
import { ApiResource, type BodyOf, type ResponseOf } from "../core/resource.js";

/** The organization's workspaces: `cdp.workspaces`. */
export class Workspaces extends ApiResource {
  /** Lists the workspaces the key is bound to. */
  list(options?: RequestOptions): Promise<ResponseOf<"workspaces.list">> {
    return this.client.send(workspaceRoutes["workspaces.list"], {}, options);
  }

  /** Creates a workspace in the key's organization and binds the key to it. */
  create(body: BodyOf<"workspaces.create">, options?: RequestOptions): Promise<ResponseOf<"workspaces.create">> {
    return this.client.send(workspaceRoutes["workspaces.create"], { body }, options);
  }
}
