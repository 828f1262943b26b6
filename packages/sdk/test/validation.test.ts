import { Cdp } from "@cdp/sdk";
import { describe, expect, it } from "vitest";
import { customer, json, rejection, scriptedFetch } from "./fake-fetch.js";

describe("inputs are checked before sending", () => {
  it("names the field and the reason, and sends nothing", async () => {
    const { fetch, requests } = scriptedFetch();
    const cdp = new Cdp({ apiKey: "sk_test", fetch });

    const error = await rejection(cdp.customers.create({ identifiers: [{ type: "E-mail!", value: "ada@example.com" }] }));

    expect(requests).toHaveLength(0);
    expect(error.status).toBeUndefined();
    expect(error.code).toBe("validation_failed");
    expect(error.type).toBe("invalid_request");
    expect(error.issues[0]?.path).toBe("body.identifiers.0.type");
    expect(error.message).toContain("body.identifiers.0.type: must be an identifier type");
  });

  it("refuses unknown body fields", async () => {
    const { fetch, requests } = scriptedFetch();
    const cdp = new Cdp({ fetch });

    const error = await rejection(cdp.customers.create({ firstName: "Ada", favouriteColour: "green" } as never));

    expect(requests).toHaveLength(0);
    expect(error.issues).toEqual([{ path: "body.favouriteColour", message: "unknown field: favouriteColour" }]);
  });

  it("checks the query of a list when it is used", async () => {
    const { fetch, requests } = scriptedFetch();
    const cdp = new Cdp({ fetch });

    const error = await rejection(cdp.customers.list({ limit: 0 }).page());

    expect(requests).toHaveLength(0);
    expect(error.issues).toEqual([{ path: "query.limit", message: "must be at least 1" }]);
  });

  it("checks path parameters", async () => {
    const { fetch, requests } = scriptedFetch();
    const cdp = new Cdp({ fetch });

    const error = await rejection(cdp.customers.get(""));

    expect(requests).toHaveLength(0);
    expect(error.issues[0]?.path).toBe("params.id");
  });

  it("requires a reason to delete", async () => {
    const { fetch, requests } = scriptedFetch();
    const cdp = new Cdp({ fetch });

    const error = await rejection(cdp.customers.delete("cus_1", { reason: "  " }));

    expect(requests).toHaveLength(0);
    expect(error.issues).toEqual([{ path: "body.reason", message: "a reason is required" }]);
  });

  it("requires a body where the route takes one", async () => {
    const { fetch } = scriptedFetch();
    const cdp = new Cdp({ fetch });

    const error = await rejection(cdp.customers.bulkDelete(undefined as never));

    expect(error.issues[0]?.path).toBe("body");
  });

  it("runs the contract's cross-field rules", async () => {
    const { fetch } = scriptedFetch();
    const cdp = new Cdp({ fetch });

    const error = await rejection(cdp.keys.create({ name: "ci" }));

    expect(error.issues).toEqual([{ path: "body.role", message: "a secret key needs a role: guest, user, admin or dpo" }]);
  });

  it("sends a valid input as given, query numbers as strings", async () => {
    const { fetch, requests } = scriptedFetch(json(200, { data: [customer("cus_1")], nextCursor: null }));
    const cdp = new Cdp({ fetch });

    await cdp.customers.list({ q: "ada smith", limit: 10 }).page();

    const url = new URL(requests[0]!.url);
    expect(url.pathname).toBe("/v1/customers");
    expect(url.searchParams.get("q")).toBe("ada smith");
    expect(url.searchParams.get("limit")).toBe("10");
  });
});
