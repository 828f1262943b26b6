import { customerRoutes, identityRoutes, privacyRoutes } from "@cdp/contract";
import type { PagedList } from "../core/pagination.js";
import type { RequestOptions } from "../core/request.js";
import { ApiResource, type BodyOf, type ItemOf, type QueryOf, type ResponseOf, withCursor } from "../core/resource.js";

/** Customer profiles, their identities, history and card data: `cdp.customers`. */
export class Customers extends ApiResource {
  /**
   * Creates a customer. Answers `{ customer, outcome: "created" }`; with `onConflict: "merge"`, a
   * profile that already holds one of the identifiers is updated instead (`outcome: "updated"`).
   *
   * ```ts
   * const { customer } = await cdp.customers.create({ firstName: "Ada", email: "ada@example.com" });
   * ```
   * @throws {@link ConflictError} `identifier_conflict` when an identifier belongs to another profile.
   */
  create(body: BodyOf<"customers.create">, options?: RequestOptions): Promise<ResponseOf<"customers.create">> {
    return this.client.send(customerRoutes["customers.create"], { body }, options);
  }

  /**
   * Lists customers, newest first, with full-text search in `q` (terms are AND-ed token prefixes;
   * a quoted phrase equals a whole field value). Pages on its own:
   *
   * ```ts
   * for await (const customer of cdp.customers.list({ q: "smith" })) console.log(customer.id);
   * const { data, nextCursor } = await cdp.customers.list({ limit: 10 }).page();
   * ```
   */
  list(query?: QueryOf<"customers.list">, options?: RequestOptions): PagedList<ItemOf<"customers.list">> {
    return this.client.list(customerRoutes["customers.list"], (cursor) => ({ query: withCursor(query ?? {}, cursor) }), options);
  }

  /**
   * Searches customers by conditions, nested in groups (`match: "all" | "any"`). Pages on its own;
   * the cursor travels in the body.
   *
   * ```ts
   * const vips = cdp.customers.search({ conditions: [{ field: "tags", op: "eq", value: "vip" }] });
   * for await (const customer of vips) console.log(customer.id);
   * ```
   */
  search(body?: BodyOf<"customers.search">, options?: RequestOptions): PagedList<ItemOf<"customers.search">> {
    return this.client.list(customerRoutes["customers.search"], (cursor) => ({ body: withCursor(body ?? {}, cursor) }), options);
  }

  /**
   * Finds the customer holding an identifier.
   * @throws {@link NotFoundError} when no live profile holds it.
   * @throws {@link ValidationError} `identifier_not_unique` when the workspace declares the type non-unique:
   * a value may belong to several customers; find them with {@link Customers.search} on `identifiers.<type>`.
   */
  lookup(query: QueryOf<"customers.lookup">, options?: RequestOptions): Promise<ResponseOf<"customers.lookup">> {
    return this.client.send(customerRoutes["customers.lookup"], { query }, options);
  }

  /**
   * Gets a customer; a merged id answers with the profile it was merged into.
   * @param query - `fields`: the fields to answer, comma-separated (`id` always comes).
   * @throws {@link NotFoundError} when there is no such customer (or it was deleted).
   */
  get(id: string, query?: QueryOf<"customers.get">, options?: RequestOptions): Promise<ResponseOf<"customers.get">> {
    return this.client.send(customerRoutes["customers.get"], { params: { id }, query }, options);
  }

  /**
   * Updates a customer with a JSON merge patch (RFC 7396): `null` removes a field, objects merge,
   * arrays replace. Identifiers (and the `email`/`phone` mirrors) do not change here.
   */
  update(id: string, body: BodyOf<"customers.update">, options?: RequestOptions): Promise<ResponseOf<"customers.update">> {
    return this.client.send(customerRoutes["customers.update"], { params: { id }, body }, options);
  }

  /**
   * Deletes a customer, irreversibly, with its old (merged) ids, events, changelogs, consents and
   * subscriptions; the audit log keeps the reason. `erase` is the GDPR request (every workspace).
   * @param body - `{ reason }`: why, required.
   */
  delete(id: string, body: BodyOf<"customers.delete">, options?: RequestOptions): Promise<ResponseOf<"customers.delete">> {
    return this.client.send(customerRoutes["customers.delete"], { params: { id }, body }, options);
  }

  /**
   * Deletes up to 100 customers, all or nothing.
   * @param body - `{ ids, reason }`.
   */
  bulkDelete(body: BodyOf<"customers.bulkDelete">, options?: RequestOptions): Promise<ResponseOf<"customers.bulkDelete">> {
    return this.client.send(customerRoutes["customers.bulkDelete"], { body }, options);
  }

  /**
   * Adds an identifier to a customer; the value is normalised first.
   *
   * ```ts
   * await cdp.customers.addIdentifier(id, { type: "loyaltyCard", value: "LC-1001" });
   * await cdp.customers.addIdentifier(id, { type: "email", value: "ann@example.com", move: true }); // take it from its holder
   * ```
   * @throws {@link ConflictError} `identifier_conflict` when another profile holds it and `move` is not set.
   */
  addIdentifier(
    id: string,
    body: BodyOf<"customers.addIdentifier">,
    options?: RequestOptions,
  ): Promise<ResponseOf<"customers.addIdentifier">> {
    return this.client.send(customerRoutes["customers.addIdentifier"], { params: { id }, body }, options);
  }

  /**
   * Removes an identifier from a customer; the audit log keeps the reason.
   *
   * ```ts
   * await cdp.customers.removeIdentifier(id, { type: "email", value: "old@example.com" }, { reason: "Customer changed address" });
   * ```
   * @throws {@link NotFoundError} when the customer holds no such identifier.
   */
  removeIdentifier(
    id: string,
    identifier: { type: string; value: string },
    body: BodyOf<"customers.removeIdentifier">,
    options?: RequestOptions,
  ): Promise<ResponseOf<"customers.removeIdentifier">> {
    return this.client.send(customerRoutes["customers.removeIdentifier"], { params: { id, ...identifier }, body }, options);
  }

  /**
   * Merges profiles into one (admin): the `from` profiles become `merged` into `into`; fields follow
   * the latest write, tags unite, events move. Answers the surviving customer, the ids merged, and
   * `alreadyMerged`: the `from` ids already merged into it (nothing to do, so a repeated merge succeeds).
   * An old (merged) id acts on its survivor, in `into` and in `from`.
   *
   * ```ts
   * const { customer, merged } = await cdp.customers.merge({ into: "cus_1", from: ["cus_2"], reason: "same person" });
   * ```
   * @param body - `{ into, from, force?, reason? }`; `force: true` merges even past an identifier limit.
   * @throws {@link ValidationError} `identifier_limit` (422) when the result would break a limit and `force` is not set;
   * `validation_failed` (400, or before sending) when `from` names `into` itself or repeats an id.
   */
  merge(body: BodyOf<"customers.merge">, options?: RequestOptions): Promise<ResponseOf<"customers.merge">> {
    return this.client.send(identityRoutes["customers.merge"], { body }, options);
  }

  /**
   * A customer's identifiers and their ID changelog: when each was added, moved, removed or dropped, and by which rule.
   *
   * ```ts
   * const { identifiers, changelog } = await cdp.customers.identities(id);
   * ```
   */
  identities(id: string, options?: RequestOptions): Promise<ResponseOf<"customers.identities">> {
    return this.client.send(identityRoutes["customers.identities"], { params: { id } }, options);
  }

  /**
   * Every change to a customer, merges included (with how each field was decided), newest first. Pages on its own.
   *
   * ```ts
   * for await (const change of cdp.customers.changelog(id)) console.log(change.at, change.kind);
   * ```
   */
  changelog(id: string, query?: QueryOf<"customers.changelog">, options?: RequestOptions): PagedList<ItemOf<"customers.changelog">> {
    return this.client.list(
      identityRoutes["customers.changelog"],
      (cursor) => ({ params: { id }, query: withCursor(query ?? {}, cursor) }),
      options,
    );
  }

  /**
   * Events per category for each of the last 52 ISO weeks (UTC), oldest first, the current week last, zero-filled:
   * every week names each category the profile has an event in within the 52 weeks (sorted), 0 where it had none;
   * with no event in them, every week's `counts` is `{}`.
   *
   * ```ts
   * const { data } = await cdp.customers.timeline(id); // [{ week: "2026-W44", counts: { browsing: 0, ecommerce: 3 } }, …]
   * ```
   */
  timeline(id: string, options?: RequestOptions): Promise<ResponseOf<"customers.timeline">> {
    return this.client.send(identityRoutes["customers.timeline"], { params: { id } }, options);
  }

  /**
   * Orders, items and revenue per month (the last 12) or year (the last 5), from Order Completed,
   * net of refunds and zero once cancelled; revenue per currency as exact decimal strings.
   *
   * ```ts
   * const { data } = await cdp.customers.purchases(id, { period: "year" }); // [{ period: "2026", orders: 2, items: 3, revenue: { EUR: "59.90" } }, …]
   * ```
   * @param query - `period`: `month` (the default) or `year`.
   */
  purchases(id: string, query?: QueryOf<"customers.purchases">, options?: RequestOptions): Promise<ResponseOf<"customers.purchases">> {
    return this.client.send(identityRoutes["customers.purchases"], { params: { id }, query }, options);
  }

  /**
   * Everything held about a customer (dpo, admin): profile, identifiers with the ID changelog,
   * events, consents with their history, subscriptions and changelog (GDPR art. 15 and 20). With
   * `{ format: "csv" }` it answers one CSV row (with a header) as a string. Recorded as an `access`
   * privacy request; a restricted profile is exported to a dpo only.
   *
   * ```ts
   * const data = await cdp.customers.export(id);
   * const csv = await cdp.customers.export(id, { format: "csv" });
   * ```
   */
  export(id: string, query?: { format?: "json" }, options?: RequestOptions): Promise<ResponseOf<"customers.export">>;
  export(id: string, query: { format: "csv" }, options?: RequestOptions): Promise<string>;
  export(id: string, query?: QueryOf<"customers.export">, options?: RequestOptions): Promise<ResponseOf<"customers.export"> | string> {
    return this.client.send(privacyRoutes["customers.export"], { params: { id }, query }, options);
  }

  /**
   * Erases a person (dpo): the right to be forgotten, in every workspace of the organization. The
   * profile, and every profile of the other workspaces holding one of its identifiers, go with their
   * events, consents, subscriptions and history; later tracking messages carrying those identifiers
   * are dropped. Answers the completed privacy request (its subject is a hash).
   *
   * ```ts
   * const request = await cdp.customers.erase(id, { reason: "Art. 17 request of 2026-11-20" });
   * ```
   * @param body - `{ reason }`: why, required.
   */
  erase(id: string, body: BodyOf<"customers.erase">, options?: RequestOptions): Promise<ResponseOf<"customers.erase">> {
    return this.client.send(privacyRoutes["customers.erase"], { params: { id }, body }, options);
  }

  /**
   * Restricts processing of a customer (dpo; GDPR art. 18). Until lifted, writes by any role but dpo
   * are refused with `processing_restricted`, and the profile is left out of searches and exports
   * for every role but dpo.
   *
   * ```ts
   * await cdp.customers.restrict(id, { reason: "accuracy contested" });
   * ```
   */
  restrict(id: string, body?: BodyOf<"customers.restrict">, options?: RequestOptions): Promise<ResponseOf<"customers.restrict">> {
    return this.client.send(privacyRoutes["customers.restrict"], { params: { id }, body }, options);
  }

  /** Lifts a restriction of processing (dpo). */
  unrestrict(id: string, body?: BodyOf<"customers.unrestrict">, options?: RequestOptions): Promise<ResponseOf<"customers.unrestrict">> {
    return this.client.send(privacyRoutes["customers.unrestrict"], { params: { id }, body }, options);
  }
}
