import { consentRoutes } from "@cdp/contract";
import type { PagedList } from "../core/pagination.js";
import type { RequestOptions } from "../core/request.js";
import { ApiResource, type BodyOf, type ItemOf, type QueryOf, type ResponseOf, withCursor } from "../core/resource.js";

/** Each customer's consents, kept as an append-only log: `cdp.consents`. */
export class Consents extends ApiResource {
  /**
   * The customer's consent state, derived from the log: per purpose `granted`, `denied` or `unknown`
   * (denied while an objection stands), the limitation, and the Consent Mode v2 signals.
   *
   * ```ts
   * const { purposes, consentMode } = await cdp.consents.get(id);
   * ```
   */
  get(customerId: string, options?: RequestOptions): Promise<ResponseOf<"consents.get">> {
    return this.client.send(consentRoutes["consents.get"], { params: { id: customerId } }, options);
  }

  /**
   * Appends a record: a decision on a purpose, an objection (GDPR art. 21), or a limitation (art.
   * 18, dpo only). `collectedAt` defaults to now; a past time needs `historicalImport: true`.
   *
   * ```ts
   * await cdp.consents.record(id, {
   *   purpose: "marketing",
   *   decision: "granted",
   *   disclaimer: { version: "v1", approvedAt: "2026-01-01T00:00:00.000Z" },
   *   source: "web_form",
   *   proof: { ip: "203.0.113.7", url: "https://shop.example/signup" },
   * });
   * await cdp.consents.record(id, { kind: "objection", purpose: "marketing", active: true }); // unsubscribes every marketing list
   * ```
   * @throws {@link ValidationError} `unknown_purpose` or `backdated_consent` (422).
   */
  record(customerId: string, body: BodyOf<"consents.record">, options?: RequestOptions): Promise<ResponseOf<"consents.record">> {
    return this.client.send(consentRoutes["consents.record"], { params: { id: customerId }, body }, options);
  }

  /**
   * The customer's consent records, newest first (dpo, admin). Pages on its own.
   *
   * ```ts
   * for await (const record of cdp.consents.history(id, { purpose: "marketing" })) console.log(record.collectedAt, record.decision);
   * ```
   */
  history(customerId: string, query?: QueryOf<"consents.history">, options?: RequestOptions): PagedList<ItemOf<"consents.history">> {
    return this.client.list(
      consentRoutes["consents.history"],
      (cursor) => ({ params: { id: customerId }, query: withCursor(query ?? {}, cursor) }),
      options,
    );
  }
}

/** The consent purposes of the workspace: `cdp.purposes`. */
export class Purposes extends ApiResource {
  /** Lists the purposes: marketing, profiling, softSpam, thirdPartyTransfer and the workspace's own. */
  list(options?: RequestOptions): Promise<ResponseOf<"purposes.list">> {
    return this.client.send(consentRoutes["purposes.list"], {}, options);
  }

  /**
   * Defines a purpose (admin), with its Consent Mode v2 signals and IAB TCF purposes.
   *
   * ```ts
   * await cdp.purposes.define({ id: "personalisation", name: "Personalised content", consentMode: ["ad_personalization"], tcfPurposes: [5, 6] });
   * ```
   */
  define(body: BodyOf<"purposes.define">, options?: RequestOptions): Promise<ResponseOf<"purposes.define">> {
    return this.client.send(consentRoutes["purposes.define"], { body }, options);
  }
}
