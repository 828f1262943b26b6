import { type MessageType, trackingRoutes } from "@cdp/contract";
import type { RequestOptions } from "../core/request.js";
import { ApiResource, type BodyOf, type ResponseOf } from "../core/resource.js";
import { type Dated, undated } from "../core/timestamp.js";

/** One message of a batch: any tracking message, naming its `type`. */
export type BatchMessage = { [T in MessageType]: Dated<BodyOf<T>> & { type: T } }[MessageType];

/**
 * What `batch` sends: `{ batch, context?, integrations?, sentAt? }`. The API takes any item and
 * answers each bad one as a rejection; the type asks for well-formed messages.
 */
export type BatchRequest = BodyOf<"batch"> & { batch: BatchMessage[] };

/**
 * The tracking calls, compatible with Segment's HTTP tracking API: one request per call, answered
 * with `{ accepted, rejected }`. On {@link Cdp} they sit on the client itself (`cdp.track(…)`);
 * alone, `new Tracking(new ApiClient({ apiKey }))`. The key may be a secret key or the workspace's
 * write key (public, tracking calls only).
 *
 * A message needs a `userId` or an `anonymousId`; a replayed `messageId` is accepted and changes
 * nothing. A `timestamp` is ISO 8601 text or a `Date` (sent as ISO 8601). For a queue that batches and retries in the background, use `@cdp/node` or `@cdp/browser`.
 */
export class Tracking extends ApiResource {
  /**
   * Identifies a user: resolves (or creates) the profile and writes its traits.
   *
   * ```ts
   * await cdp.identify({ userId: "u-42", traits: { email: "ada@example.com", firstName: "Ada" } });
   * ```
   */
  async identify(message: Dated<BodyOf<"identify">>, options?: RequestOptions): Promise<ResponseOf<"identify">> {
    return this.client.send(trackingRoutes.identify, { body: undated(message) }, options);
  }

  /**
   * Records an event.
   *
   * ```ts
   * await cdp.track({ userId: "u-42", event: "Order Completed", properties: { order_id: "o-1", total: 59.9, currency: "EUR" } });
   * ```
   */
  async track(message: Dated<BodyOf<"track">>, options?: RequestOptions): Promise<ResponseOf<"track">> {
    return this.client.send(trackingRoutes.track, { body: undated(message) }, options);
  }

  /**
   * Records a page view (stored as `Page Viewed`).
   *
   * ```ts
   * await cdp.page({ anonymousId: "a-1", name: "Pricing", properties: { url: "https://shop.example.com/pricing" } });
   * ```
   */
  async page(message: Dated<BodyOf<"page">>, options?: RequestOptions): Promise<ResponseOf<"page">> {
    return this.client.send(trackingRoutes.page, { body: undated(message) }, options);
  }

  /**
   * Records a screen view in an app (stored as `Screen Viewed`).
   *
   * ```ts
   * await cdp.screen({ userId: "u-42", name: "Basket" });
   * ```
   */
  async screen(message: Dated<BodyOf<"screen">>, options?: RequestOptions): Promise<ResponseOf<"screen">> {
    return this.client.send(trackingRoutes.screen, { body: undated(message) }, options);
  }

  /**
   * Associates a user with a group (a company, an account); records no event.
   *
   * ```ts
   * await cdp.group({ userId: "u-42", groupId: "acme", traits: { name: "Acme Ltd" } });
   * ```
   */
  async group(message: Dated<BodyOf<"group">>, options?: RequestOptions): Promise<ResponseOf<"group">> {
    return this.client.send(trackingRoutes.group, { body: undated(message) }, options);
  }

  /**
   * Joins a previous id (an anonymous id, an old user id) to a user id; records no event.
   *
   * ```ts
   * await cdp.alias({ previousId: "a-1", userId: "u-42" });
   * ```
   */
  async alias(message: Dated<BodyOf<"alias">>, options?: RequestOptions): Promise<ResponseOf<"alias">> {
    return this.client.send(trackingRoutes.alias, { body: undated(message) }, options);
  }

  /**
   * Sends up to 2,500 messages in one request, each naming its `type`. An invalid or oversized
   * message is one entry of `rejected` (with its index and why); the others go through. A rejection
   * is final: sending it again gets the same answer.
   *
   * ```ts
   * const { accepted, rejected } = await cdp.batch({
   *   batch: [
   *     { type: "identify", userId: "u-42", traits: { email: "ada@example.com" } },
   *     { type: "track", userId: "u-42", event: "Product Viewed", properties: { product_id: "p-1" } },
   *   ],
   * });
   * ```
   */
  async batch(body: BatchRequest, options?: RequestOptions): Promise<ResponseOf<"batch">> {
    return this.client.send(
      trackingRoutes.batch,
      {
        body: {
          ...body,
          batch: body.batch.map((message: BatchMessage, index) => undated<object>(message, `body.batch.${index}.timestamp`)),
        },
      },
      options,
    );
  }
}
