import { webcrypto } from "node:crypto";
import { routes } from "@cdp/contract";
import { type AuditEntry, Cdp, type CustomerCreate, type CustomerProjection, type Key, type PagedList } from "@cdp/sdk";
import { afterEach, describe, expect, expectTypeOf, it, vi } from "vitest";
import { customer, json, scriptedFetch } from "./fake-fetch.js";

afterEach(() => {
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});

describe("the client", () => {
  it("has a method for every route of the contract, named as the route", () => {
    const cdp = new Cdp() as unknown as Record<string, unknown>;
    for (const name of Object.keys(routes)) {
      // `customers.create` → cdp.customers.create; a tracking route (`track`) sits on the client itself.
      const method = name.split(".").reduce<unknown>((on, part) => (on as Record<string, unknown> | undefined)?.[part], cdp);
      expect(typeof method, name).toBe("function");
    }
  });

  it("is typed from the contract", () => {
    const cdp = new Cdp();
    expectTypeOf(cdp.customers.create).parameter(0).toEqualTypeOf<CustomerCreate>();
    expectTypeOf(cdp.customers.get).returns.resolves.toEqualTypeOf<CustomerProjection>();
    expectTypeOf(cdp.customers.list).returns.toEqualTypeOf<PagedList<CustomerProjection>>();
    expectTypeOf(cdp.customers.search).returns.toEqualTypeOf<PagedList<CustomerProjection>>();
    expectTypeOf(cdp.keys.list).returns.toEqualTypeOf<PagedList<Key>>();
    expectTypeOf(cdp.audit.list).returns.toEqualTypeOf<PagedList<AuditEntry>>();
    const misuse = () => {
      // @ts-expect-error unknown field
      void cdp.customers.create({ favouriteColour: "green" });
      // @ts-expect-error a delete needs a reason
      void cdp.customers.delete("cus_1");
    };
    expect(misuse).toBeTypeOf("function");
  });

  it("sends the key, the workspace and JSON to baseUrl + /v1", async () => {
    const { fetch, requests, bodies } = scriptedFetch(json(201, { customer: customer("cus_1"), outcome: "created" }));
    const cdp = new Cdp({ apiKey: "sk_test", baseUrl: "https://cdp.example.com/", workspace: "ws_2", fetch });

    await cdp.customers.create({ firstName: "Ada", email: "ada@example.com" });

    const request = requests[0]!;
    expect(`${request.method} ${request.url}`).toBe("POST https://cdp.example.com/v1/customers");
    expect(request.headers.get("authorization")).toBe("Bearer sk_test");
    expect(request.headers.get("cdp-workspace")).toBe("ws_2");
    expect(request.headers.get("content-type")).toBe("application/json");
    expect(request.headers.get("accept")).toBe("application/json");
    expect(bodies[0]).toEqual({ firstName: "Ada", email: "ada@example.com" });
  });

  it("defaults to http://localhost:4000 and sends no workspace unless told", async () => {
    const { fetch, requests } = scriptedFetch(json(200, customer("cus_1")));
    const cdp = new Cdp({ apiKey: "sk_test", fetch });

    await cdp.customers.get("cus 1/x", { fields: "id,email" });

    expect(requests[0]!.url).toBe("http://localhost:4000/v1/customers/cus%201%2Fx?fields=id%2Cemail");
    expect(requests[0]!.headers.has("cdp-workspace")).toBe(false);
  });

  it("lets per-call headers win", async () => {
    const { fetch, requests } = scriptedFetch(json(200, customer("cus_1")));
    const cdp = new Cdp({ apiKey: "sk_test", workspace: "ws_1", fetch });

    await cdp.customers.lookup({ type: "email", value: "ada@example.com" }, { headers: { "Cdp-Workspace": "ws_9", "X-Trace": "t1" } });

    expect(requests[0]!.headers.get("cdp-workspace")).toBe("ws_9");
    expect(requests[0]!.headers.get("x-trace")).toBe("t1");
    expect(Object.fromEntries(new URL(requests[0]!.url).searchParams)).toEqual({ type: "email", value: "ada@example.com" });
  });

  it("looks globalThis.fetch up on every request", async () => {
    const cdp = new Cdp({ apiKey: "sk_test" });
    const first = scriptedFetch(json(200, customer("cus_1")));
    const second = scriptedFetch(json(200, customer("cus_2")));

    vi.stubGlobal("fetch", first.fetch);
    expect((await cdp.customers.get("cus_1")).id).toBe("cus_1");
    vi.stubGlobal("fetch", second.fetch);
    expect((await cdp.customers.get("cus_2")).id).toBe("cus_2");

    expect(first.requests).toHaveLength(1);
    expect(second.requests).toHaveLength(1);
  });

  it("makes idempotency keys without crypto.randomUUID (plain-http pages)", async () => {
    vi.stubGlobal("crypto", { getRandomValues: (array: Uint8Array) => webcrypto.getRandomValues(array) });
    const { fetch, requests } = scriptedFetch(json(201, { customer: customer("cus_1"), outcome: "created" }));

    await new Cdp({ fetch }).customers.create({ email: "ada@example.com" });

    expect(requests[0]!.headers.get("idempotency-key")).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});

describe("resources", () => {
  it("deletes with a reason in the body", async () => {
    const { fetch, requests, bodies } = scriptedFetch(
      json(200, { id: "cus_1", deleted: true }),
      json(200, { deleted: 2, ids: ["cus_1", "cus_2"] }),
    );
    const cdp = new Cdp({ fetch });

    expect(await cdp.customers.delete("cus_1", { reason: "asked to" })).toEqual({ id: "cus_1", deleted: true });
    expect(await cdp.customers.bulkDelete({ ids: ["cus_1", "cus_2"], reason: "test data" })).toEqual({
      deleted: 2,
      ids: ["cus_1", "cus_2"],
    });

    expect(requests.map((request) => `${request.method} ${new URL(request.url).pathname}`)).toEqual([
      "DELETE /v1/customers/cus_1",
      "POST /v1/customers/bulk-delete",
    ]);
    expect(bodies).toEqual([{ reason: "asked to" }, { ids: ["cus_1", "cus_2"], reason: "test data" }]);
  });

  it("updates with a merge patch", async () => {
    const { fetch, requests, bodies } = scriptedFetch(json(200, customer("cus_1")));

    await new Cdp({ fetch }).customers.update("cus_1", { lastName: null, properties: { tier: "gold" } });

    expect(requests[0]!.method).toBe("PATCH");
    expect(bodies[0]).toEqual({ lastName: null, properties: { tier: "gold" } });
  });

  it("revokes a key with or without a reason", async () => {
    const key = { id: "key_1", revokedAt: "2026-01-01T00:00:00.000Z" };
    const { fetch, requests, bodies } = scriptedFetch(json(200, key), json(200, key));
    const cdp = new Cdp({ fetch });

    await cdp.keys.revoke("key_1");
    await cdp.keys.revoke("key_1", { reason: "leaked" });

    expect(requests.map((request) => `${request.method} ${new URL(request.url).pathname}`)).toEqual(Array(2).fill("DELETE /v1/keys/key_1"));
    expect(bodies).toEqual([undefined, { reason: "leaked" }]);
  });

  it("exchanges client credentials for a token without sending a bearer key", async () => {
    const { fetch, requests, bodies } = scriptedFetch(json(200, { access_token: "at_1", token_type: "Bearer", expires_in: 3600 }));
    const cdp = new Cdp({ apiKey: "sk_other", fetch });

    const token = await cdp.auth.token({ clientId: "key_1", clientSecret: "sk_1" });

    expect(token.access_token).toBe("at_1");
    expect(new URL(requests[0]!.url).pathname).toBe("/v1/oauth/token");
    expect(requests[0]!.headers.has("authorization")).toBe(false);
    expect(bodies[0]).toEqual({ grant_type: "client_credentials", client_id: "key_1", client_secret: "sk_1" });
  });

  it("reaches the admin routes", async () => {
    const { fetch, requests } = scriptedFetch(
      json(200, { keyId: "key_1" }),
      json(200, { data: [] }),
      json(201, { id: "ws_2" }),
      json(200, { data: [] }),
      json(201, { name: "tier" }),
      json(201, { key: { id: "key_2" }, secret: "sk_2" }),
    );
    const cdp = new Cdp({ fetch });

    await cdp.auth.me();
    await cdp.workspaces.list();
    await cdp.workspaces.create({ name: "EU shop" });
    await cdp.properties.list();
    await cdp.properties.define({ name: "tier", type: "enum", enum: ["gold", "silver"] });
    await cdp.keys.create({ name: "back office", role: "user" });

    expect(requests.map((request) => `${request.method} ${new URL(request.url).pathname}`)).toEqual([
      "GET /v1/auth/me",
      "GET /v1/workspaces",
      "POST /v1/workspaces",
      "GET /v1/properties",
      "POST /v1/properties",
      "POST /v1/keys",
    ]);
  });
});
