import { Cdp, type ChangelogEntry, type PagedList } from "@cdp/sdk";
import { describe, expect, expectTypeOf, it } from "vitest";
import { calls, customer, json, queryOf, rejection, scriptedFetch } from "./fake-fetch.js";

const change = (id: string) => ({
  id,
  at: "2026-01-01T00:00:00.000Z",
  kind: "updated",
  source: "api",
  initiator: "key_1",
  changes: { tier: "gold" },
});
const settings = {
  identity: { types: { email: { unique: true, limit: 3, priority: 2 } }, blockedValues: [] },
  unknownEventTypes: "custom",
};

describe("cdp.identity", () => {
  it("resolves identifiers to a profile, writing nothing", async () => {
    const { fetch, requests, bodies } = scriptedFetch(json(200, { customerId: "cus_1" }), json(200, { customerId: null }));
    const cdp = new Cdp({ fetch });
    const identifiers = [{ type: "email", value: "ada@example.com" }];

    expect(await cdp.identity.resolve({ identifiers })).toEqual({ customerId: "cus_1" });
    expect(await cdp.identity.resolve({ identifiers: [{ type: "phone", value: "+4930123456" }] })).toEqual({ customerId: null });

    expect(calls(requests)).toEqual(["POST /v1/identity/resolve", "POST /v1/identity/resolve"]);
    expect(bodies[0]).toEqual({ identifiers });
  });

  it("needs at least one identifier", async () => {
    const { fetch, requests } = scriptedFetch();

    const error = await rejection(new Cdp({ fetch }).identity.resolve({ identifiers: [] }));

    expect(requests).toHaveLength(0);
    expect(error.issues[0]?.path).toBe("body.identifiers");
  });
});

describe("a customer's identities, history and card", () => {
  it("merges profiles into one", async () => {
    const { fetch, requests, bodies } = scriptedFetch(json(200, { customer: customer("cus_1"), merged: ["cus_2", "cus_3"] }));
    const cdp = new Cdp({ fetch });

    const result = await cdp.customers.merge({ into: "cus_1", from: ["cus_2", "cus_3"], force: true, reason: "same person" });

    expect(result.merged).toEqual(["cus_2", "cus_3"]);
    expect(calls(requests)).toEqual(["POST /v1/customers/merge"]);
    expect(requests[0]!.headers.get("idempotency-key")).toBeTruthy();
    expect(bodies[0]).toEqual({ into: "cus_1", from: ["cus_2", "cus_3"], force: true, reason: "same person" });
  });

  it("names what is wrong with a merge before sending it", async () => {
    const { fetch, requests } = scriptedFetch();
    const cdp = new Cdp({ fetch });

    const empty = await rejection(cdp.customers.merge({ into: "cus_1", from: [] }));
    const reason = await rejection(cdp.customers.merge({ into: "cus_1", from: ["cus_2"], reason: " " }));
    const id = await rejection(cdp.customers.merge({ into: "cus_1", from: [""] }));

    expect(requests).toHaveLength(0);
    expect(empty.issues[0]?.path).toBe("body.from");
    expect(reason.issues).toEqual([{ path: "body.reason", message: "a reason is required" }]);
    expect(id.issues[0]?.path).toBe("body.from.0");
  });

  it("reads identities, timeline and purchases on the customer's routes", async () => {
    const { fetch, requests } = scriptedFetch(
      json(200, { identifiers: [], changelog: [] }),
      json(200, { data: [{ week: "2026-W01", counts: { ecommerce: 2 } }] }),
      json(200, { data: [] }),
      json(200, { data: [{ period: "2026", orders: 2, items: 3, revenue: { EUR: "59.90" } }] }),
    );
    const cdp = new Cdp({ fetch });

    expect(await cdp.customers.identities("cus_1")).toEqual({ identifiers: [], changelog: [] });
    expect((await cdp.customers.timeline("cus_1")).data[0]?.counts).toEqual({ ecommerce: 2 });
    await cdp.customers.purchases("cus_1");
    expect((await cdp.customers.purchases("cus_1", { period: "year" })).data[0]?.revenue).toEqual({ EUR: "59.90" });

    expect(requests.map((request) => `${request.method} ${new URL(request.url).pathname}${new URL(request.url).search}`)).toEqual([
      "GET /v1/customers/cus_1/identities",
      "GET /v1/customers/cus_1/timeline",
      "GET /v1/customers/cus_1/purchases",
      "GET /v1/customers/cus_1/purchases?period=year",
    ]);
  });

  it("checks the purchases period and the customer id", async () => {
    const { fetch, requests } = scriptedFetch();
    const cdp = new Cdp({ fetch });

    const period = await rejection(cdp.customers.purchases("cus_1", { period: "week" as never }));
    const id = await rejection(cdp.customers.timeline(""));

    expect(requests).toHaveLength(0);
    expect(period.issues[0]?.path).toBe("query.period");
    expect(id.issues[0]?.path).toBe("params.id");
  });

  it("pages through the changelog, the cursor in the query", async () => {
    const { fetch, requests } = scriptedFetch(
      json(200, { data: [change("chg_3"), change("chg_2")], nextCursor: "h1" }),
      json(200, { data: [change("chg_1")], nextCursor: null }),
    );
    const cdp = new Cdp({ fetch });

    const ids: string[] = [];
    for await (const entry of cdp.customers.changelog("cus_1", { limit: 2 })) ids.push(entry.id);

    expect(ids).toEqual(["chg_3", "chg_2", "chg_1"]);
    expect(calls(requests)).toEqual(["GET /v1/customers/cus_1/changelog", "GET /v1/customers/cus_1/changelog"]);
    expect(requests.map(queryOf)).toEqual([{ limit: "2" }, { limit: "2", cursor: "h1" }]);
  });

  it("gives one page of the changelog, and checks its limit", async () => {
    const { fetch, requests } = scriptedFetch(json(200, { data: [change("chg_3")], nextCursor: "h1" }));
    const cdp = new Cdp({ fetch });

    expect((await cdp.customers.changelog("cus_1").page()).nextCursor).toBe("h1");
    expect(requests[0]!.url).toBe("http://localhost:4000/v1/customers/cus_1/changelog");

    const error = await rejection(cdp.customers.changelog("cus_1", { limit: 0 }).page());
    expect(error.issues).toEqual([{ path: "query.limit", message: "must be at least 1" }]);
    expect(requests).toHaveLength(1);
  });

  it("is typed from the contract", () => {
    const cdp = new Cdp();
    expectTypeOf(cdp.customers.changelog).returns.toEqualTypeOf<PagedList<ChangelogEntry>>();
    expectTypeOf(cdp.identity.resolve).returns.resolves.toEqualTypeOf<{ customerId: string | null }>();
  });
});

describe("cdp.settings", () => {
  it("gets and patches the workspace's settings", async () => {
    const { fetch, requests, bodies } = scriptedFetch(json(200, settings), json(200, { ...settings, unknownEventTypes: "reject" }));
    const cdp = new Cdp({ fetch });

    expect(await cdp.settings.get()).toEqual(settings);
    const patch = {
      unknownEventTypes: "reject",
      identity: { types: { loyaltyCard: { unique: true, limit: 1, priority: 10 }, email: null } },
    } as const;
    expect((await cdp.settings.update(patch)).unknownEventTypes).toBe("reject");

    expect(calls(requests)).toEqual(["GET /v1/settings", "PATCH /v1/settings"]);
    expect(bodies).toEqual([undefined, patch]);
  });

  it("names the setting that fails", async () => {
    const { fetch, requests } = scriptedFetch();
    const cdp = new Cdp({ fetch });

    const limit = await rejection(cdp.settings.update({ identity: { types: { email: { unique: true, limit: 0, priority: 1 } } } }));
    const mode = await rejection(cdp.settings.update({ unknownEventTypes: "drop" as never }));

    expect(requests).toHaveLength(0);
    expect(limit.issues[0]?.path).toBe("body.identity.types.email.limit");
    expect(mode.issues[0]?.path).toBe("body.unknownEventTypes");
  });
});
