import { createBackend } from "@cdp/backend";
import { mswHandlers } from "@cdp/backend/msw";
import { Cdp, ConflictError, NotFoundError } from "@cdp/sdk";
import { setupServer } from "msw/node";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

beforeEach(() => {
  // Full jitter draws the backoff from [0, delay): 0 keeps the retries instant.
  vi.spyOn(Math, "random").mockReturnValue(0);
});
afterEach(() => {
  vi.restoreAllMocks();
});

describe("against the reference backend", () => {
  it("runs the README's example", async () => {
    const backend = createBackend();
    const cdp = new Cdp({ fetch: backend.fetch, apiKey: backend.adminKey });

    const { customer, outcome } = await cdp.customers.create({ firstName: "Ada", email: "Ada@Example.com" });
    expect(outcome).toBe("created");
    expect(await cdp.customers.get(customer.id)).toMatchObject({ id: customer.id, email: "ada@example.com" });

    const found: string[] = [];
    for await (const match of cdp.customers.list({ q: "ada" })) found.push(match.id);
    expect(found).toEqual([customer.id]);

    const page = await cdp.customers.search({ conditions: [{ field: "email", op: "eq", value: "ada@example.com" }] }).page();
    expect(page.data.map((match) => match.id)).toEqual([customer.id]);

    await expect(cdp.customers.create({ email: "ada@example.com" })).rejects.toBeInstanceOf(ConflictError);
    await cdp.customers.delete(customer.id, { reason: "test data" });
    await expect(cdp.customers.get(customer.id)).rejects.toBeInstanceOf(NotFoundError);
  });

  it("pages through many customers", async () => {
    const backend = createBackend();
    const cdp = new Cdp({ fetch: backend.fetch, apiKey: backend.adminKey });
    for (let i = 0; i < 7; i++) await cdp.customers.create({ email: `shopper${i}@example.com`, tags: ["vip"] });

    expect(await cdp.customers.list({ limit: 3 }).toArray()).toHaveLength(7);
    expect(await cdp.customers.search({ conditions: [{ field: "tags", op: "eq", value: "vip" }], limit: 2 }).toArray()).toHaveLength(7);
  });

  it("creates once when the connection drops after the backend committed", async () => {
    const backend = createBackend();
    let dropNext = true;
    const flaky = async (request: Request) => {
      const response = await backend.fetch(request);
      if (dropNext) {
        dropNext = false;
        throw new TypeError("fetch failed: socket hang up");
      }
      return response;
    };
    const cdp = new Cdp({ fetch: flaky, apiKey: backend.adminKey });

    const { customer } = await cdp.customers.create({ email: "once@example.com" });

    const all = await cdp.customers.list({ q: "once@example.com" }).toArray();
    expect(all.map((match) => match.id)).toEqual([customer.id]);
  });

  it("finds msw's fetch when msw starts after the client was made", async () => {
    const backend = createBackend();
    const cdp = new Cdp({ baseUrl: "https://cdp.test", apiKey: backend.adminKey });
    const server = setupServer(...mswHandlers(backend, { baseUrl: "https://cdp.test" }));
    server.listen({ onUnhandledRequest: "error" });
    try {
      const { customer } = await cdp.customers.create({ email: "msw@example.com" });
      expect((await cdp.customers.get(customer.id)).id).toBe(customer.id);
    } finally {
      server.close();
    }
  });
});
