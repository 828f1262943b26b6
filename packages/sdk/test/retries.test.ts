import { Cdp, ConflictError, ServerError, TimeoutError, ValidationError } from "@cdp/sdk";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { apiError, customer, dropped, hang, json, scriptedFetch } from "./fake-fetch.js";

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const created = () => json(201, { customer: customer("cus_1"), outcome: "created" });

beforeEach(() => {
  // Full jitter draws the backoff from [0, delay): 0 keeps the retries instant.
  vi.spyOn(Math, "random").mockReturnValue(0);
});
afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
  vi.unstubAllGlobals();
});

describe("retries", () => {
  it("survives a 503 and a dropped connection, with one Idempotency-Key for the whole call", async () => {
    const { fetch, requests, bodies } = scriptedFetch(apiError(503, "server", "internal"), dropped(), created());
    const cdp = new Cdp({ fetch });

    const result = await cdp.customers.create({ email: "ada@example.com" });

    expect(result.customer.id).toBe("cus_1");
    expect(requests).toHaveLength(3);
    const keys = requests.map((request) => request.headers.get("idempotency-key"));
    expect(keys[0]).toMatch(uuid);
    expect(new Set(keys)).toEqual(new Set([keys[0]]));
    expect(bodies).toEqual(Array(3).fill({ email: "ada@example.com" }));
  });

  it("uses the caller's idempotency key", async () => {
    const { fetch, requests } = scriptedFetch(dropped(), created());
    const cdp = new Cdp({ fetch });

    await cdp.customers.create({ email: "ada@example.com" }, { idempotencyKey: "order-1001" });

    expect(requests.map((request) => request.headers.get("idempotency-key"))).toEqual(["order-1001", "order-1001"]);
  });

  it("gives every call its own key, on writes only", async () => {
    const { fetch, requests } = scriptedFetch(
      created(),
      created(),
      json(200, customer("cus_1")),
      json(200, customer("cus_1")),
      json(200, { id: "cus_1", deleted: true }),
    );
    const cdp = new Cdp({ fetch });

    await cdp.customers.create({ email: "a@example.com" });
    await cdp.customers.create({ email: "b@example.com" });
    await cdp.customers.get("cus_1");
    await cdp.customers.update("cus_1", { firstName: "Ada" });
    await cdp.customers.delete("cus_1", { reason: "asked to" });

    const [first, second, get, update, remove] = requests.map((request) => request.headers.get("idempotency-key"));
    expect(first).not.toBe(second);
    expect(get).toBeNull();
    expect(update).toMatch(uuid);
    expect(remove).toMatch(uuid);
  });

  it("gives up after maxRetries and reports the last answer", async () => {
    const { fetch, requests } = scriptedFetch(
      apiError(503, "server", "internal"),
      apiError(502, "server", "internal"),
      apiError(500, "server", "internal", { requestId: "req_last" }),
    );
    const cdp = new Cdp({ fetch });

    const error = await cdp.customers.get("cus_1").catch((reason: unknown) => reason);

    expect(error).toBeInstanceOf(ServerError);
    expect(error).toMatchObject({ status: 500, requestId: "req_last" });
    expect(requests).toHaveLength(3);
  });

  it("does not retry with maxRetries: 0", async () => {
    const { fetch, requests } = scriptedFetch(apiError(503, "server", "internal"));
    const cdp = new Cdp({ fetch, maxRetries: 0 });

    await expect(cdp.customers.get("cus_1")).rejects.toBeInstanceOf(ServerError);
    expect(requests).toHaveLength(1);
  });

  it.each([
    [413, "payload_too_large"],
    [400, "validation_failed"],
    [422, "blocked_identifier"],
  ])("never retries a %i", async (status, code) => {
    const { fetch, requests } = scriptedFetch(apiError(status, "invalid_request", code), created());
    const cdp = new Cdp({ fetch });

    await expect(cdp.customers.create({ email: "ada@example.com" })).rejects.toBeInstanceOf(ValidationError);
    expect(requests).toHaveLength(1);
  });

  it("retries a 409 idempotency_in_progress, not other conflicts", async () => {
    const inProgress = scriptedFetch(apiError(409, "conflict", "idempotency_in_progress"), created());
    const result = await new Cdp({ fetch: inProgress.fetch }).customers.create({ email: "ada@example.com" });
    expect(result.outcome).toBe("created");
    expect(inProgress.requests).toHaveLength(2);
    expect(inProgress.requests[1]!.headers.get("idempotency-key")).toBe(inProgress.requests[0]!.headers.get("idempotency-key"));

    const conflict = scriptedFetch(apiError(409, "conflict", "identifier_conflict"), created());
    const error = await new Cdp({ fetch: conflict.fetch }).customers
      .create({ email: "ada@example.com" })
      .catch((reason: unknown) => reason);
    expect(error).toBeInstanceOf(ConflictError);
    expect(error).toHaveProperty("code", "identifier_conflict");
    expect(conflict.requests).toHaveLength(1);
  });

  it("waits as long as Retry-After says", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    const { fetch, requests } = scriptedFetch(
      json(429, { error: { type: "rate_limit", code: "rate_limited", message: "slow down", requestId: "req_1" } }, { "retry-after": "2" }),
      json(200, customer("cus_1")),
    );
    const cdp = new Cdp({ fetch });

    const pending = cdp.customers.get("cus_1");
    await vi.advanceTimersByTimeAsync(1_999);
    expect(requests).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(requests).toHaveLength(2);
    await expect(pending).resolves.toMatchObject({ id: "cus_1" });
  });
});

describe("timeouts", () => {
  it("retries an attempt that timed out, keeping its Idempotency-Key", async () => {
    const { fetch, requests } = scriptedFetch(hang, created());
    const cdp = new Cdp({ fetch, timeout: 20 });

    const result = await cdp.customers.create({ email: "ada@example.com" });

    expect(result.customer.id).toBe("cus_1");
    expect(requests).toHaveLength(2);
    expect(requests[1]!.headers.get("idempotency-key")).toBe(requests[0]!.headers.get("idempotency-key"));
  });

  it("raises TimeoutError when every attempt times out", async () => {
    const { fetch, requests } = scriptedFetch(hang, hang, hang);
    const cdp = new Cdp({ fetch });

    const error = await cdp.customers.get("cus_1", undefined, { timeout: 10 }).catch((reason: unknown) => reason);

    expect(error).toBeInstanceOf(TimeoutError);
    expect(error).toMatchObject({ status: undefined, code: "timeout", type: "timeout" });
    expect((error as Error).message).toContain("3 attempts");
    expect(requests).toHaveLength(3);
  });
});
