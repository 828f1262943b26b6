/**
 * The Node tracker over real HTTP, with faults injected by a local server in front of the
 * reference backend: 503s for a while, 429 with Retry-After, connections dropped after the backend
 * committed, answers slower than the tracker's timeout. Every event must arrive exactly once,
 * counted at the backend through the admin API.
 */
import { type Backend, createBackend } from "@cdp/backend";
import { createNodeTracker, type DroppedEvent, type NodeTracker } from "@cdp/node";
import { Cdp } from "@cdp/sdk";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type Fault, type FaultServer, faultServer } from "./fault-server.js";

let backend: Backend;
let cdp: Cdp;
let server: FaultServer | undefined;
let tracker: NodeTracker | undefined;

beforeEach(() => {
  backend = createBackend();
  cdp = new Cdp({ fetch: backend.fetch, apiKey: backend.adminKey });
});

afterEach(async () => {
  await tracker?.close({ timeout: 1_000 });
  await server?.close();
  tracker = undefined;
  server = undefined;
});

/** Each event's messageId as often as the backend holds it. */
async function eventCounts(): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  for await (const event of cdp.events.list({ limit: 1000 })) counts.set(event.messageId, (counts.get(event.messageId) ?? 0) + 1);
  return counts;
}

function watch(t: NodeTracker) {
  const dropped: DroppedEvent[] = [];
  let delivered = 0;
  let retried = 0;
  t.on("dropped", (event) => dropped.push(event));
  t.on("delivered", (event) => {
    delivered += event.messageIds.length;
  });
  t.on("error", (event) => {
    if (event.retrying) retried++;
  });
  return {
    dropped,
    get delivered() {
      return delivered;
    },
    get retried() {
      return retried;
    },
  };
}

/** Sends `count` tracks of a few users through a fault server, then checks the backend holds each exactly once. */
async function deliverThrough(plan: (requestNumber: number) => Fault, count: number, options: { timeout?: number; slowMs?: number } = {}) {
  server = await faultServer(backend, plan, options.slowMs);
  tracker = createNodeTracker({ writeKey: backend.writeKey, host: server.url, timeout: options.timeout ?? 5_000 });
  const seen = watch(tracker);
  const sent = Array.from({ length: count }, (_, n) =>
    tracker!.track({ userId: `user-${n % 7}`, event: "Product Viewed", properties: { product_id: `p-${n}` } }),
  );
  await tracker.flush();
  const counts = await eventCounts();
  expect(seen.dropped).toEqual([]);
  expect(seen.delivered).toBe(count);
  expect(sent.filter((id) => counts.get(id) !== 1)).toEqual([]);
  expect(counts.size).toBe(count);
  return { seen, log: server.log };
}

describe("createNodeTracker over HTTP with injected faults", () => {
  it("503s for a while: retried with backoff, every event once", async () => {
    const { seen, log } = await deliverThrough((n) => (n <= 3 ? "503" : "pass"), 300);
    expect(log.slice(0, 3).map((entry) => entry.fault)).toEqual(["503", "503", "503"]);
    expect(seen.retried).toBeGreaterThanOrEqual(3);
  });

  it("429 with Retry-After: waited out, every event once", async () => {
    const { seen, log } = await deliverThrough((n) => (n <= 2 ? "429" : "pass"), 200);
    expect(log.filter((entry) => entry.fault === "429")).toHaveLength(2);
    expect(seen.retried).toBe(2);
  });

  it("connections dropped after the backend committed: resent, and counted once by messageId", async () => {
    const { log } = await deliverThrough((n) => (n % 3 === 1 ? "drop" : "pass"), 300);
    const committedTwice = log.filter((entry) => entry.fault === "drop").flatMap((entry) => entry.messageIds);
    expect(committedTwice.length).toBeGreaterThan(0);
  });

  it("answers slower than the timeout: retried, and counted once", async () => {
    const { log } = await deliverThrough((n) => (n <= 2 ? "slow" : "pass"), 100, { timeout: 300, slowMs: 1_000 });
    expect(log.filter((entry) => entry.fault === "slow")).toHaveLength(2);
  });

  it("all the faults mixed, with a producer that yields", async () => {
    const faults: Fault[] = ["503", "pass", "drop", "429", "pass", "slow", "503", "pass"];
    server = await faultServer(backend, (n) => (n <= 16 ? (faults[n % faults.length] as Fault) : "pass"), 800);
    tracker = createNodeTracker({ writeKey: backend.writeKey, host: server.url, timeout: 400, flushInterval: 50 });
    const seen = watch(tracker);
    const sent: string[] = [];
    for (let n = 0; n < 400; n++) {
      sent.push(tracker.track({ anonymousId: `anon-${n % 11}`, event: "Page Scrolled", properties: { n } }));
      if (n % 25 === 0) await new Promise((resolve) => setImmediate(resolve));
    }
    const { undelivered } = await tracker.close({ timeout: 60_000 });
    expect(undelivered).toEqual([]);
    expect(seen.dropped).toEqual([]);
    const counts = await eventCounts();
    expect(sent.filter((id) => counts.get(id) !== 1)).toEqual([]);
    expect(counts.size).toBe(400);
  });
});

describe("createNodeTracker defaults", () => {
  it("a burst of 50,000 calls: zero loss, each event once, batches within the body limit", { timeout: 120_000 }, async () => {
    const bodies: number[] = [];
    server = await faultServer(backend, () => "pass");
    tracker = createNodeTracker({ writeKey: backend.writeKey, host: server.url });
    const seen = watch(tracker);
    const sent: string[] = [];
    for (let n = 0; n < 50_000; n++) sent.push(tracker.track({ userId: `user-${n % 100}`, event: "Product Viewed", properties: { n } }));
    expect(tracker.size).toBe(50_000);
    await tracker.flush();
    for (const entry of server.log) bodies.push(entry.messageIds.length);
    expect(seen.dropped).toEqual([]);
    expect(seen.delivered).toBe(50_000);
    const counts = await eventCounts();
    expect(counts.size).toBe(50_000);
    expect(sent.filter((id) => counts.get(id) !== 1)).toEqual([]);
    // Batches of 480 KiB: far fewer requests than messages.
    expect(bodies.length).toBeLessThan(100);
  });

  it("sends the write key as the HTTP Basic user name, to <host>/v1/batch", async () => {
    const requests: Request[] = [];
    const t = createNodeTracker({
      writeKey: backend.writeKey,
      host: "https://cdp.example.com/v1/",
      fetch: (input, init) => {
        requests.push(new Request(input, init));
        return backend.fetch(input, init);
      },
    });
    t.identify({ userId: "u-1", traits: { email: "ann@example.com" } });
    await t.close();
    expect(requests.map((request) => [request.url, request.headers.get("authorization")])).toEqual([
      ["https://cdp.example.com/v1/batch", `Basic ${btoa(`${backend.writeKey}:`)}`],
    ]);
    const message = ((await requests[0]!.json()) as { batch: Array<{ context: unknown }> }).batch[0];
    expect(message?.context).toMatchObject({ library: { name: "@cdp/node", version: expect.any(String) } });
    expect((await cdp.customers.lookup({ type: "userId", value: "u-1" })).email).toBe("ann@example.com");
  });

  it("reports what the backend rejects as dropped, never retried", async () => {
    const t = createNodeTracker({ writeKey: backend.writeKey, fetch: backend.fetch });
    const seen = watch(t);
    const good = t.track({ userId: "u-1", event: "Fine" });
    t.track({ userId: "u-1", event: "x".repeat(300) }); // the contract allows 200 characters
    await t.close();
    expect(seen.dropped.map((event) => [event.reason, event.code])).toEqual([["rejected", "validation_failed"]]);
    expect([...(await eventCounts()).keys()]).toEqual([good]);
  });
});

describe("close()", () => {
  it("against a stuck server returns at its bound and reports what it could not deliver", async () => {
    server = await faultServer(backend, () => "hang");
    tracker = createNodeTracker({ writeKey: backend.writeKey, host: server.url, flushAt: 5 });
    const seen = watch(tracker);
    const sent = Array.from({ length: 12 }, (_, n) => tracker!.track({ userId: "u", event: "Stuck", properties: { n } }));
    const { undelivered } = await tracker.close({ timeout: 300 });
    expect(undelivered.map((message) => message.messageId).sort()).toEqual([...sent].sort());
    expect(seen.dropped.map((event) => [event.reason, event.messages.length])).toEqual([["closed", 12]]);
  });
});
