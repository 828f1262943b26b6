import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type Backend, createBackend } from "../src/index.js";

/** Answers over real HTTP (`backend.listen`) carry the same headers as answers in-process. */
let backend: Backend;
let url: string;

beforeEach(async () => {
  backend = createBackend({ seed: 5 });
  ({ url } = await backend.listen({ port: 0 }));
});

afterEach(async () => {
  await backend.close();
});

const admin = () => ({ authorization: `Bearer ${backend.adminKey}` });

describe("answers over HTTP", () => {
  it("a JSON answer and its idempotent replay are application/json with the request id and CORS headers", async () => {
    const send = () =>
      fetch(`${url}/v1/customers`, {
        method: "POST",
        headers: { ...admin(), "content-type": "application/json", "idempotency-key": "k-1" },
        body: JSON.stringify({ email: "ann@example.com" }),
      });
    for (const response of [await send(), await send()]) {
      expect(response.headers.get("content-type")).toBe("application/json; charset=utf-8");
      expect(response.headers.get("access-control-allow-origin")).toBe("*");
      expect(response.headers.get("cdp-request-id")).toMatch(/^req_/);
      expect(await response.json()).toMatchObject({ customer: { email: "ann@example.com" } });
    }
  });

  it("a HEAD answer has the GET answer's headers and no body", async () => {
    const get = await fetch(`${url}/v1/customers`, { headers: admin() });
    const head = await fetch(`${url}/v1/customers`, { method: "HEAD", headers: admin() });
    expect(head.status).toBe(get.status);
    expect(head.headers.get("content-type")).toBe(get.headers.get("content-type"));
    expect(head.headers.get("access-control-allow-origin")).toBe("*");
    expect(head.headers.get("cdp-request-id")).toMatch(/^req_/);
    expect(await head.text()).toBe("");
    await get.text();
  });

  it("an error answer is JSON with its code", async () => {
    const response = await fetch(`${url}/v1/customers/cus_01ARZ3NDEKTSV4RRFFQ69G5FAV`, { headers: admin() });
    expect(response.status).toBe(404);
    expect(response.headers.get("content-type")).toBe("application/json; charset=utf-8");
    expect(await response.json()).toMatchObject({ error: { code: "not_found" } });
  });
});
