import { subscriptionRoutes } from "@cdp/contract";
import type { RequestOptions } from "../core/request.js";
import { ApiResource, type BodyOf, type ResponseOf } from "../core/resource.js";

/** Each customer's subscriptions, per list and contact value: `cdp.subscriptions`. */
export class Subscriptions extends ApiResource {
  /**
   * The customer's subscriptions: every list for each contact value it holds (`never_subscribed`
   * when nothing was recorded), and the ones that ended for values it no longer holds.
   */
  list(customerId: string, options?: RequestOptions): Promise<ResponseOf<"subscriptions.list">> {
    return this.client.send(subscriptionRoutes["subscriptions.list"], { params: { id: customerId } }, options);
  }

  /**
   * Subscribes a contact value of the customer (default: its first of the list's channel) to a list:
   * `pending` on a double opt-in list until {@link Subscriptions.confirm}, else `subscribed`.
   *
   * ```ts
   * await cdp.subscriptions.subscribe(id, list.id, { method: "web_form" });
   * ```
   * @throws {@link ValidationError} `contact_suppressed`, `objection_active`, `no_contact_value` or `contact_not_held` (422).
   */
  subscribe(
    customerId: string,
    listId: string,
    body?: BodyOf<"subscriptions.subscribe">,
    options?: RequestOptions,
  ): Promise<ResponseOf<"subscriptions.subscribe">> {
    return this.client.send(subscriptionRoutes["subscriptions.subscribe"], { params: { id: customerId, listId }, body }, options);
  }

  /**
   * Confirms a pending double opt-in.
   * @throws {@link ConflictError} `subscription_not_pending` when it is not pending.
   */
  confirm(
    customerId: string,
    listId: string,
    body?: BodyOf<"subscriptions.confirm">,
    options?: RequestOptions,
  ): Promise<ResponseOf<"subscriptions.confirm">> {
    return this.client.send(subscriptionRoutes["subscriptions.confirm"], { params: { id: customerId, listId }, body }, options);
  }

  /**
   * Unsubscribes a contact value from a list, keeping the reason and method.
   *
   * ```ts
   * await cdp.subscriptions.unsubscribe(id, list.id, { reason: "too many emails", method: "link" });
   * ```
   */
  unsubscribe(
    customerId: string,
    listId: string,
    body?: BodyOf<"subscriptions.unsubscribe">,
    options?: RequestOptions,
  ): Promise<ResponseOf<"subscriptions.unsubscribe">> {
    return this.client.send(subscriptionRoutes["subscriptions.unsubscribe"], { params: { id: customerId, listId }, body }, options);
  }
}

/** The workspace's lists (topics): `cdp.lists`. */
export class Lists extends ApiResource {
  /** Lists the workspace's lists. */
  list(options?: RequestOptions): Promise<ResponseOf<"lists.list">> {
    return this.client.send(subscriptionRoutes["lists.list"], {}, options);
  }

  /**
   * Creates a list (admin).
   *
   * ```ts
   * const list = await cdp.lists.create({ name: "Newsletter", channel: "email", kind: "marketing", doubleOptIn: true });
   * ```
   */
  create(body: BodyOf<"lists.create">, options?: RequestOptions): Promise<ResponseOf<"lists.create">> {
    return this.client.send(subscriptionRoutes["lists.create"], { body }, options);
  }
}

/** Channel-wide suppressions of contact values: `cdp.suppressions`. */
export class Suppressions extends ApiResource {
  /** Lists the workspace's suppressions. */
  list(options?: RequestOptions): Promise<ResponseOf<"suppressions.list">> {
    return this.client.send(subscriptionRoutes["suppressions.list"], {}, options);
  }

  /**
   * Suppresses a contact value on a whole channel: its subscriptions on every list of the channel
   * end (reason `suppressed`) and none starts again.
   *
   * ```ts
   * await cdp.suppressions.create({ channel: "email", value: "bounced@example.com", reason: "hard bounce" });
   * ```
   */
  create(body: BodyOf<"suppressions.create">, options?: RequestOptions): Promise<ResponseOf<"suppressions.create">> {
    return this.client.send(subscriptionRoutes["suppressions.create"], { body }, options);
  }
}
