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
   * Changes the workspace's settings with a JSON merge patch (RFC 7396): name only what changes;
   * `null` puts a member back to its default (a built-in type to its default rule, a custom type's
   * rule is removed). Built-in types stay unique. Answers the settings as they now are.
   *
   * ```ts
   * await cdp.settings.update({ unknownEventTypes: "reject" });
   * await cdp.settings.update({ identity: { types: { email: { limit: 3 }, loyaltyCard: null } } });
   * ```
   */
  update(patch: BodyOf<"settings.update">, options?: RequestOptions): Promise<ResponseOf<"settings.update">> {
    return this.client.send(settingsRoutes["settings.update"], { body: patch }, options);
  }
}
