import { Cdp, PagedList } from "@cdp/sdk";
import { describe, expect, it } from "vitest";
import { customer, json, scriptedFetch } from "./fake-fetch.js";

/** Three pages: cus_1 cus_2 → c1 → cus_3 cus_4 → c2 → cus_5. */
function threePages() {
  return scriptedFetch(
    json(200, { data: [customer("cus_1"), customer("cus_2")], nextCursor: "c1" }),
    json(200, { data: [customer("cus_3"), customer("cus_4")], nextCursor: "c2" }),
    json(200, { data: [customer("cus_5")], nextCursor: null }),
  );
}

async function ids(list: AsyncIterable<{ id: string }>): Promise<string[]> {
  const seen: string[] = [];
  for await (const item of list) seen.push(item.id);
  return seen;
}

describe("lists page on their own", () => {
  it("iterates every customer of a GET list, the cursor in the query", async () => {
    const { fetch, requests } = threePages();
    const cdp = new Cdp({ fetch });

    expect(await ids(cdp.customers.list({ q: "ada", limit: 2 }))).toEqual(["cus_1", "cus_2", "cus_3", "cus_4", "cus_5"]);

    const queries = requests.map((request) => Object.fromEntries(new URL(request.url).searchParams));
    expect(queries).toEqual([
      { q: "ada", limit: "2" },
      { q: "ada", limit: "2", cursor: "c1" },
      { q: "ada", limit: "2", cursor: "c2" },
    ]);
    expect(requests.every((request) => request.method === "GET")).toBe(true);
  });

  it("iterates every customer of a search, the cursor in the body", async () => {
    const { fetch, requests, bodies } = threePages();
    const cdp = new Cdp({ fetch });
    const conditions = [{ field: "tags", op: "eq" as const, value: "vip" }];

    expect(await ids(cdp.customers.search({ conditions, limit: 2 }))).toEqual(["cus_1", "cus_2", "cus_3", "cus_4", "cus_5"]);

    expect(requests.map((request) => `${request.method} ${new URL(request.url).pathname}`)).toEqual(
      Array(3).fill("POST /v1/customers/search"),
    );
    expect(bodies).toEqual([
      { conditions, limit: 2 },
      { conditions, limit: 2, cursor: "c1" },
      { conditions, limit: 2, cursor: "c2" },
    ]);
  });

  it("searches everything when given no body", async () => {
    const { fetch, bodies } = scriptedFetch(json(200, { data: [], nextCursor: null }));
    const cdp = new Cdp({ fetch });

    expect(await ids(cdp.customers.search())).toEqual([]);
    expect(bodies).toEqual([{}]);
  });

  it("gives one page with .page()", async () => {
    const { fetch, requests } = threePages();
    const cdp = new Cdp({ fetch });

    const page = await cdp.customers.list({ limit: 2 }).page();

    expect(page.data.map((item) => item.id)).toEqual(["cus_1", "cus_2"]);
    expect(page.nextCursor).toBe("c1");
    expect(requests).toHaveLength(1);
  });

  it("continues from a cursor the caller kept", async () => {
    const { fetch, requests } = scriptedFetch(json(200, { data: [customer("cus_3")], nextCursor: null }));
    const cdp = new Cdp({ fetch });

    await cdp.customers.list({ cursor: "c1" }).page();

    expect(new URL(requests[0]!.url).searchParams.get("cursor")).toBe("c1");
  });

  it("stops fetching when the caller stops", async () => {
    const { fetch, requests } = threePages();
    const cdp = new Cdp({ fetch });

    expect((await cdp.customers.list().toArray({ max: 3 })).map((item) => item.id)).toEqual(["cus_1", "cus_2", "cus_3"]);
    expect(requests).toHaveLength(2);

    const again = threePages();
    for await (const item of new Cdp({ fetch: again.fetch }).customers.list()) {
      if (item.id === "cus_2") break;
    }
    expect(again.requests).toHaveLength(1);
  });

  it("walks pages with .pages()", async () => {
    const { fetch } = threePages();
    const sizes: number[] = [];
    for await (const page of new Cdp({ fetch }).customers.list().pages()) sizes.push(page.data.length);
    expect(sizes).toEqual([2, 2, 1]);
  });

  it("sends nothing until used", () => {
    const { fetch, requests } = threePages();
    const list = new Cdp({ fetch }).customers.list();
    expect(list).toBeInstanceOf(PagedList);
    expect(requests).toHaveLength(0);
  });

  it("pages keys and the audit log too", async () => {
    const keys = scriptedFetch(
      json(200, { data: [{ id: "key_1" }], nextCursor: "k" }),
      json(200, { data: [{ id: "key_2" }], nextCursor: null }),
    );
    expect(await ids(new Cdp({ fetch: keys.fetch }).keys.list())).toEqual(["key_1", "key_2"]);
    expect(new URL(keys.requests[1]!.url).pathname).toBe("/v1/keys");

    const audit = scriptedFetch(
      json(200, { data: [{ id: "aud_1" }], nextCursor: "a" }),
      json(200, { data: [{ id: "aud_2" }], nextCursor: null }),
    );
    expect(await ids(new Cdp({ fetch: audit.fetch }).audit.list({ action: "customers.delete" }))).toEqual(["aud_1", "aud_2"]);
    expect(Object.fromEntries(new URL(audit.requests[1]!.url).searchParams)).toEqual({ action: "customers.delete", cursor: "a" });
  });

  it("gives each page of a POST list its own Idempotency-Key", async () => {
    const { fetch, requests } = threePages();
    const cdp = new Cdp({ fetch });

    await cdp.customers.search({}, { idempotencyKey: "search-1" }).toArray();

    const keys = requests.map((request) => request.headers.get("idempotency-key"));
    expect(keys[0]).toBe("search-1");
    expect(new Set(keys).size).toBe(3);
  });
});
