import { eventRoutes } from "@cdp/contract";
import type { PagedList } from "../core/pagination.js";
import type { RequestOptions } from "../core/request.js";
import { ApiResource, type BodyOf, type ItemOf, type QueryOf, type ResponseOf, withCursor } from "../core/resource.js";

/** Events recorded for customers (orders, page views, emails …): `cdp.events`. */
export class Events extends ApiResource {
  /**
   * Records an event for a customer, named by id or by identifiers (which resolve the profile, creating
   * it when none matches). A `messageId` seen before in the workspace answers the event already
   * recorded (HTTP 200, where a new event answers 201) and writes nothing.
   *
   * ```ts
   * const event = await cdp.events.create({ customerId: "cus_1", type: "Order Completed", properties: { order_id: "o-1", total: 59.9 } });
   * await cdp.events.create({ identifiers: [{ type: "email", value: "ada@example.com" }], type: "Email Opened" });
   * ```
   * @param body - `customerId` or `identifiers` (one of them), `type`, and optionally `category`, `timestamp`, `properties`, `context`, `messageId`.
   * @throws {@link ValidationError} `unknown_event_type` (422) when the type is not defined and the workspace's settings say `unknownEventTypes: "reject"`.
   */
  create(body: BodyOf<"events.create">, options?: RequestOptions): Promise<ResponseOf<"events.create">> {
    return this.client.send(eventRoutes["events.create"], { body }, options);
  }

  /**
   * Lists events, newest first, by customer, type, category, time range (`from`, `to`) and text (`q`). Pages on its own.
   *
   * ```ts
   * for await (const event of cdp.events.list({ customerId: "cus_1", category: "ecommerce" })) console.log(event.type);
   * ```
   */
  list(query?: QueryOf<"events.list">, options?: RequestOptions): PagedList<ItemOf<"events.list">> {
    return this.client.list(eventRoutes["events.list"], (cursor) => ({ query: withCursor(query ?? {}, cursor) }), options);
  }

  /**
   * Gets an event.
   * @throws {@link NotFoundError} when there is no such event (or it was deleted).
   */
  get(id: string, options?: RequestOptions): Promise<ResponseOf<"events.get">> {
    return this.client.send(eventRoutes["events.get"], { params: { id } }, options);
  }

  /**
   * Updates an event with a JSON merge patch (RFC 7396): its `type`, `category`, `timestamp`,
   * `properties` or `context`; `null` removes `properties` or `context`.
   *
   * ```ts
   * await cdp.events.update("evt_1", { properties: { coupon: "WINTER" } });
   * ```
   */
  update(id: string, patch: BodyOf<"events.update">, options?: RequestOptions): Promise<ResponseOf<"events.update">> {
    return this.client.send(eventRoutes["events.update"], { params: { id }, body: patch }, options);
  }

  /**
   * Deletes an event; the audit log keeps the reason.
   *
   * ```ts
   * await cdp.events.delete("evt_1", { reason: "test order" });
   * ```
   * @param body - `{ reason }`: why, required.
   */
  delete(id: string, body: BodyOf<"events.delete">, options?: RequestOptions): Promise<ResponseOf<"events.delete">> {
    return this.client.send(eventRoutes["events.delete"], { params: { id }, body }, options);
  }

  /**
   * Copies an event under a new id and `messageId`; answers the copy.
   *
   * ```ts
   * const copy = await cdp.events.duplicate("evt_1");
   * ```
   */
  duplicate(id: string, options?: RequestOptions): Promise<ResponseOf<"events.duplicate">> {
    return this.client.send(eventRoutes["events.duplicate"], { params: { id } }, options);
  }
}

/** The event types a workspace knows, each with its category: `cdp.eventTypes`. */
export class EventTypes extends ApiResource {
  /** Lists the event types: the built-in ones (the Segment e-commerce v2 spec among them) and the workspace's own. */
  list(options?: RequestOptions): Promise<ResponseOf<"eventTypes.list">> {
    return this.client.send(eventRoutes["eventTypes.list"], {}, options);
  }

  /**
   * Defines an event type with its category, which groups it on the customer card's timeline.
   *
   * ```ts
   * await cdp.eventTypes.define({ name: "Store Visited", category: "retail" });
   * ```
   */
  define(body: BodyOf<"eventTypes.define">, options?: RequestOptions): Promise<ResponseOf<"eventTypes.define">> {
    return this.client.send(eventRoutes["eventTypes.define"], { body }, options);
  }
}
