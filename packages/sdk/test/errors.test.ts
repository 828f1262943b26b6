import {
  AuthenticationError,
  Cdp,
  CdpError,
  ConflictError,
  ConnectionError,
  NotFoundError,
  PermissionError,
  RateLimitError,
  ServerError,
  TimeoutError,
  ValidationError,
} from "@cdp/sdk";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { apiError, dropped, json, scriptedFetch } from "./fake-fetch.js";

beforeEach(() => {
  // Full jitter draws the backoff from [0, delay): 0 keeps the retries instant.
  vi.spyOn(Math, "random").mockReturnValue(0);
});
afterEach(() => {
  vi.restoreAllMocks();
});

async function failure(promise: Promise<unknown>): Promise<CdpError> {
  const error = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(CdpError);
  return error as CdpError;
}

describe("answers become typed errors", () => {
  const cases = [
    [400, "invalid_request", "validation_failed", ValidationError],
    [401, "authentication", "unauthenticated", AuthenticationError],
    [403, "permission", "forbidden", PermissionError],
    [404, "not_found", "not_found", NotFoundError],
    [409, "conflict", "identifier_conflict", ConflictError],
    [413, "invalid_request", "payload_too_large", ValidationError],
    [422, "invalid_request", "unknown_property", ValidationError],
    [429, "rate_limit", "rate_limited", RateLimitError],
    [500, "server", "internal", ServerError],
  ] as const;

  it.each(cases)("%i %s → %s", async (status, type, code, Class) => {
    const { fetch } = scriptedFetch(apiError(status, type, code, { requestId: "req_42" }));
    const cdp = new Cdp({ fetch, maxRetries: 0 });

    const error = await failure(cdp.customers.get("cus_1"));

    expect(error).toBeInstanceOf(Class);
    expect(error.status).toBe(status);
    expect(error.type).toBe(type);
    expect(error.code).toBe(code);
    expect(error.requestId).toBe("req_42");
    expect(error.message).toContain(`${code} happened`);
  });

  it("carries the backend's issues into the message", async () => {
    const issues = [{ path: "body.properties.tier", message: "not defined in this workspace" }];
    const { fetch } = scriptedFetch(apiError(422, "invalid_request", "unknown_property", { issues }));
    const cdp = new Cdp({ fetch });

    const error = await failure(cdp.customers.create({ properties: { tier: "gold" } }));

    expect(error).toBeInstanceOf(ValidationError);
    expect(error.issues).toEqual(issues);
    expect(error.message).toContain("body.properties.tier: not defined in this workspace");
  });

  it("reads Retry-After into RateLimitError.retryAfter", async () => {
    const { fetch } = scriptedFetch(apiError(429, "rate_limit", "rate_limited", {}));
    const limited = scriptedFetch(
      new Response(JSON.stringify({ error: { type: "rate_limit", code: "rate_limited", message: "slow down", requestId: "req_9" } }), {
        status: 429,
        headers: { "retry-after": "7" },
      }),
    );
    const cdp = new Cdp({ fetch: limited.fetch, maxRetries: 0 });

    const error = await failure(cdp.customers.list().page());

    expect(error).toBeInstanceOf(RateLimitError);
    expect((error as RateLimitError).retryAfter).toBe(7);
    expect(error.requestId).toBe("req_9");
    expect(await failure(new Cdp({ fetch, maxRetries: 0 }).customers.list().page())).toHaveProperty("retryAfter", undefined);
  });

  it("makes sense of an answer that is not JSON", async () => {
    const { fetch } = scriptedFetch(
      new Response("<html>Bad Gateway</html>", { status: 502, statusText: "Bad Gateway", headers: { "cdp-request-id": "req_edge" } }),
    );
    const cdp = new Cdp({ fetch, maxRetries: 0 });

    const error = await failure(cdp.customers.get("cus_1"));

    expect(error).toBeInstanceOf(ServerError);
    expect(error.status).toBe(502);
    expect(error.code).toBe("http_502");
    expect(error.requestId).toBe("req_edge");
    expect(error.message).toContain("HTTP 502");
  });

  it("takes the request id from the Cdp-Request-Id header when the body lacks one", async () => {
    const { fetch } = scriptedFetch(
      json(404, { error: { type: "not_found", code: "not_found", message: "No such customer." } }, { "cdp-request-id": "req_h" }),
    );
    const cdp = new Cdp({ fetch });

    const error = await failure(cdp.customers.get("cus_404"));

    expect(error).toBeInstanceOf(NotFoundError);
    expect(error.requestId).toBe("req_h");
  });

  it("maps the token route's OAuth errors (RFC 6749 §5.2)", async () => {
    const { fetch } = scriptedFetch(
      json(401, { error: "invalid_client", error_description: "Unknown client or wrong secret." }),
      json(400, { error: "unsupported_grant_type" }),
    );
    const cdp = new Cdp({ fetch });

    const refused = await failure(cdp.auth.token({ clientId: "key_1", clientSecret: "wrong" }));
    expect(refused).toBeInstanceOf(AuthenticationError);
    expect(refused.code).toBe("invalid_client");
    expect(refused.message).toBe("Unknown client or wrong secret.");

    const malformed = await failure(cdp.auth.token({ grant_type: "password" }));
    expect(malformed).toBeInstanceOf(ValidationError);
    expect(malformed.code).toBe("unsupported_grant_type");
  });

  it("raises ConnectionError when every attempt loses the connection", async () => {
    const { fetch, requests } = scriptedFetch(dropped(), dropped(), dropped());
    const cdp = new Cdp({ fetch });

    const error = await failure(cdp.customers.get("cus_1"));

    expect(error).toBeInstanceOf(ConnectionError);
    expect(error.status).toBeUndefined();
    expect(error.code).toBe("connection_failed");
    expect(error.message).toContain("3 attempts");
    expect(requests).toHaveLength(3);
  });

  it("raises CdpError invalid_response for a success that is not JSON", async () => {
    const { fetch } = scriptedFetch(new Response("OK", { status: 200 }));
    const cdp = new Cdp({ fetch });

    const error = await failure(cdp.auth.me());

    expect(error.constructor).toBe(CdpError);
    expect(error.code).toBe("invalid_response");
    expect(error.status).toBe(200);
  });

  it("builds errors from status alone", () => {
    expect(CdpError.from(503, "")).toBeInstanceOf(ServerError);
    expect(CdpError.from(408, "")).toBeInstanceOf(TimeoutError);
    expect(CdpError.from(415, null)).toMatchObject({ code: "unsupported_media_type", type: "invalid_request" });
    expect(CdpError.from(418, "short and stout")).toMatchObject({ name: "CdpError", code: "http_418", type: undefined });
  });
});

describe("a caller's abort", () => {
  it("rejects with the signal's reason and is not retried", async () => {
    const controller = new AbortController();
    const { fetch, requests } = scriptedFetch((request) => {
      controller.abort();
      return Promise.reject(request.signal.reason);
    });
    const cdp = new Cdp({ fetch });

    const error = await cdp.customers.get("cus_1", undefined, { signal: controller.signal }).catch((reason: unknown) => reason);

    expect(error).toBe(controller.signal.reason);
    expect((error as Error).name).toBe("AbortError");
    expect(requests).toHaveLength(1);
  });
});
