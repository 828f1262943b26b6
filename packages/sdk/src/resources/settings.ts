import { settingsRoutes } from "@cdp/contract";
import type { RequestOptions } from "../core/request.js";
import { ApiResource, type BodyOf, type ResponseOf } from "../core/resource.js";

/** The workspace's settings: identity rules per identifier type, blocked values, unknown event types: `cdp.settings`. */
export class Settings extends ApiResource {
  /** Gets the workspace's settings. */
  get(options?: RequestOptions): Promise<ResponseOf<"settings.get">> {
    return this.client.send(settingsRoutes["settings.get"], {}, options);
  }

  /**
   * Changes the workspace's settings with a JSON merge patch (RFC 7396); a type set to `null` goes
   * back to its default (a custom type is removed). Answers the settings as they now are.
   *
   * ```ts
   * await cdp.settings.update({ unknownEventTypes: "reject" });
   * await cdp.settings.update({ identity: { types: { loyaltyCard: { unique: true, limit: 1, priority: 10 } } } });
   * ```
   */
  update(patch: BodyOf<"settings.update">, options?: RequestOptions): Promise<ResponseOf<"settings.update">> {
    return this.client.send(settingsRoutes["settings.update"], { body: patch }, options);
  }
}
