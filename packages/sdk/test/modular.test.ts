import { ApiClient, Customers, Events, EventTypes, Identity, Settings, Tracking } from "@cdp/sdk";
import { describe, expect, it } from "vitest";
import { calls, customer, event, json, scriptedFetch } from "./fake-fetch.js";

// A page that needs a few resources builds just those over one ApiClient, so bundlers leave the
// other routes' schemas out (bench/sdk-size.mjs measures it).
describe("resources on their own", () => {
  it("a back-office page with Customers only", async () => {
    const { fetch, requests } = scriptedFetch(
      json(201, { customer: customer("cus_1"), outcome: "created" }),
      json(200, customer("cus_1")),
      json(200, { data: [customer("cus_1")], nextCursor: null }),
    );
    const customers = new Customers(new ApiClient({ apiKey: "sk_test", baseUrl: "https://cdp.example.com", fetch }));

    const { customer: created } = await customers.create({ email: "ann@example.com", firstName: "Ann" });
    expect((await customers.get(created.id)).id).toBe("cus_1");
    expect(await customers.list({ q: "ann" }).toArray()).toHaveLength(1);

    expect(calls(requests)).toEqual(["POST /v1/customers", "GET /v1/customers/cus_1", "GET /v1/customers"]);
    expect(requests.every((request) => request.headers.get("authorization") === "Bearer sk_test")).toBe(true);
  });

  it("several resources sharing one client", async () => {
    const { fetch, requests } = scriptedFetch(
      json(200, { customerId: "cus_1" }),
      json(200, { data: [event("evt_1")], nextCursor: null }),
      json(200, { data: [] }),
      json(200, { identity: { types: {}, blockedValues: [] }, unknownEventTypes: "custom" }),
      json(200, { accepted: 1, rejected: [] }),
    );
    const client = new ApiClient({ fetch, workspace: "ws_1" });

    await new Identity(client).resolve({ identifiers: [{ type: "email", value: "ada@example.com" }] });
    await new Events(client).list({ customerId: "cus_1" }).page();
    await new EventTypes(client).list();
    await new Settings(client).get();
    await new Tracking(client).track({ userId: "u-42", event: "Signed Up" });

    expect(calls(requests)).toEqual([
      "POST /v1/identity/resolve",
      "GET /v1/events",
      "GET /v1/event-types",
      "GET /v1/settings",
      "POST /v1/track",
    ]);
    expect(requests.every((request) => request.headers.get("cdp-workspace") === "ws_1")).toBe(true);
  });
});
