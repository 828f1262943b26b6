import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { createBackend } from "@cdp/backend";
import { Cdp, ServerError } from "@cdp/sdk";
import { afterEach, describe, expect, it } from "vitest";

/**
 * A real HTTP server in front of the backend that misbehaves on purpose: attempt 1 answers 503,
 * attempt 2 reaches the backend (which commits the write) and then the socket is destroyed before
 * any answer, attempt 3 goes through.
 */
async function flakyServer(backend: ReturnType<typeof createBackend>, script: Array<"503" | "commit-then-drop" | "pass">) {
  const seen: Array<{ method: string; idempotencyKey: string | undefined }> = [];
  const server = createServer(async (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    seen.push({ method: req.method ?? "", idempotencyKey: req.headers["idempotency-key"] as string | undefined });
    const step = script[seen.length - 1] ?? "pass";
    if (step === "503") {
      res.writeHead(503, { "content-type": "application/json", "retry-after": "0" });
      res.end(JSON.stringify({ error: { type: "server", code: "unavailable", message: "try again", requestId: "req_proxy" } }));
      return;
    }
    const headers = new Headers();
    for (const [name, value] of Object.entries(req.headers)) if (typeof value === "string") headers.set(name, value);
    const answer = await backend.fetch(`http://backend${req.url}`, {
      method: req.method ?? "GET",
      headers,
      ...(chunks.length ? { body: Buffer.concat(chunks) } : {}),
    });
    if (step === "commit-then-drop") {
      req.socket.destroy();
      return;
    }
    res.writeHead(answer.status, Object.fromEntries(answer.headers));
    res.end(Buffer.from(await answer.arrayBuffer()));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, seen, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

describe("retries over real HTTP", () => {
  it("503, then a connection dropped after the backend committed, yields exactly one customer", async () => {
    const backend = createBackend();
    const proxy = await flakyServer(backend, ["503", "commit-then-drop", "pass"]);
    closers.push(proxy.close);
    const cdp = new Cdp({ baseUrl: proxy.url, apiKey: backend.adminKey, maxRetries: 2 });

    const { customer, outcome } = await cdp.customers.create({ email: "once@example.com", firstName: "Once" });

    expect(outcome).toBe("created");
    expect(proxy.seen).toHaveLength(3);
    const keys = new Set(proxy.seen.map((attempt) => attempt.idempotencyKey));
    expect(keys.size).toBe(1);
    expect([...keys][0]).toMatch(/\S{16,}/);

    const admin = new Cdp({ fetch: backend.fetch, apiKey: backend.adminKey });
    const everyone = await admin.customers.list().toArray();
    expect(everyone.map((match) => match.id)).toEqual([customer.id]);
    expect((await admin.audit.list({ action: "customers.create" }).page()).data).toHaveLength(1);
  });

  it("gives up after maxRetries with the last answer's error", async () => {
    const backend = createBackend();
    const proxy = await flakyServer(backend, ["503", "503", "503"]);
    closers.push(proxy.close);
    const cdp = new Cdp({ baseUrl: proxy.url, apiKey: backend.adminKey, maxRetries: 2 });
    const error = await cdp.customers.create({ email: "never@example.com" }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ServerError);
    expect(error).toMatchObject({ status: 503 });
    expect(proxy.seen).toHaveLength(3);
    expect(await new Cdp({ fetch: backend.fetch, apiKey: backend.adminKey }).customers.list().toArray()).toEqual([]);
  });
});
