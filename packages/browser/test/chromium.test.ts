// @cdp/browser in real Chromium (Debian's, through playwright-core), against the reference backend on
// another origin of the same top-level domain. No timing is asserted: tests wait on the backend's state.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Harness, localStorageOf, onTracker, startHarness } from "./harness.js";

let harness: Harness;
beforeAll(async () => {
  harness = await startHarness();
}, 120_000);
afterAll(async () => {
  await harness?.close();
});

const poll = { timeout: 60_000, interval: 200 };
const cookieName = "cdp_anonymous_id";

async function eventsOf(anonymousId: string) {
  const customer = await harness.cdp.customers.lookup({ type: "anonymousId", value: anonymousId }).catch(() => undefined);
  if (!customer) return [];
  return harness.cdp.events.list({ customerId: customer.id }).toArray();
}

async function profilingOf(customerId: string) {
  const { purposes } = await harness.cdp.consents.get(customerId);
  return purposes.find((entry) => entry.purpose === "profiling")?.state;
}

async function anonymousIdIn(context: import("playwright-core").BrowserContext): Promise<string> {
  const cookie = (await context.cookies()).find((entry) => entry.name === cookieName);
  if (!cookie) throw new Error("no anonymous-id cookie");
  return cookie.value;
}

describe("@cdp/browser in Chromium", { timeout: 120_000 }, () => {
  it("keeps the anonymous id in a first-party cookie on the top-level domain (SameSite=Lax, one year), mirrored in localStorage", async () => {
    const { context, page } = await harness.open();
    await page.goto(`${harness.shop}/`);
    await expect.poll(async () => (await context.cookies()).length, poll).toBeGreaterThan(0);
    const [cookie] = await context.cookies();
    expect(cookie).toMatchObject({ name: cookieName, domain: ".shop.test", path: "/", sameSite: "Lax", httpOnly: false });
    const year = 365 * 24 * 3600;
    expect(cookie?.expires).toBeGreaterThan(Date.now() / 1000 + year - 3600);
    expect(cookie?.expires).toBeLessThanOrEqual(Date.now() / 1000 + year + 60);
    expect(cookie?.value).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect((await localStorageOf(page)).cdp_anonymous_id).toBe(cookie?.value);

    // Another subdomain shares the id; when localStorage disagrees, the cookie wins.
    const other = await context.newPage();
    await other.goto(`${harness.shop.replace("www.", "blog.")}/`);
    await other.evaluate(() => localStorage.setItem("cdp_anonymous_id", "stale-id"));
    await other.reload();
    await expect.poll(() => onTracker(other, "cdp.anonymousId"), poll).toBe(cookie?.value);
    expect((await localStorageOf(other)).cdp_anonymous_id).toBe(cookie?.value);
  });

  it("sends page views (single-page navigations too), track, identify, group and alias to the backend", async () => {
    const { context, page } = await harness.open();
    await page.goto(`${harness.shop}/home?ref=1`);
    await page.evaluate(() => history.pushState({}, "", "/products/p-1"));
    await page.evaluate(() => history.replaceState({}, "", "/products/p-1#reviews")); // the same page: no view
    await onTracker(page, `cdp.track("Product Viewed", { product_id: "p-1" })`);
    await onTracker(page, `cdp.identify("u-browser-1", { email: "browser.one@example.com", firstName: "Bo" })`);
    await onTracker(page, `cdp.group("acme", { name: "Acme" })`);
    await onTracker(page, `cdp.alias("u-browser-1")`);
    const anonymousId = await anonymousIdIn(context);
    await expect
      .poll(async () => (await eventsOf(anonymousId)).map((event) => event.type).sort(), poll)
      .toEqual(["Page Viewed", "Page Viewed", "Product Viewed"]);
    const events = await eventsOf(anonymousId);
    const paths = events.filter((event) => event.type === "Page Viewed").map((event) => event.properties.path);
    expect(paths.sort()).toEqual(["/home", "/products/p-1"]);
    const spaView = events.find((event) => event.properties.path === "/products/p-1");
    expect(spaView?.properties).toMatchObject({ referrer: `${harness.shop}/home?ref=1`, url: `${harness.shop}/products/p-1` });
    expect(spaView?.context).toMatchObject({ library: { name: "@cdp/browser" }, page: { path: "/products/p-1" } });
    const customer = await harness.cdp.customers.lookup({ type: "userId", value: "u-browser-1" });
    expect(customer).toMatchObject({ email: "browser.one@example.com", firstName: "Bo" });
    expect((await harness.cdp.customers.lookup({ type: "anonymousId", value: anonymousId })).id).toBe(customer.id);
  });

  it("sends text/plain bodies with the write key in them: no preflight, no Authorization header", async () => {
    const { page } = await harness.open();
    await page.goto(`${harness.shop}/`);
    await onTracker(page, `cdp.track("Signed Up")`);
    await expect.poll(() => harness.received.length, poll).toBeGreaterThan(0);
    expect(harness.received.filter((request) => request.method !== "POST")).toEqual([]);
    const [post] = harness.received;
    expect(post).toMatchObject({ path: "/v1/batch", authorization: undefined });
    expect(post?.contentType).toMatch(/^text\/plain/);
    expect(JSON.parse(post?.body ?? "{}").writeKey).toBe(harness.backend.writeKey);
  });

  it("reset() on sign-out issues a new anonymous id and forgets the user", async () => {
    const { context, page } = await harness.open();
    await page.goto(`${harness.shop}/`);
    await onTracker(page, `cdp.identify("u-reset-1", { plan: "pro" })`);
    const before = await anonymousIdIn(context);
    expect(await localStorageOf(page)).toMatchObject({ cdp_user_id: "u-reset-1", cdp_traits: JSON.stringify({ plan: "pro" }) });
    await onTracker(page, "cdp.reset()");
    const after = await anonymousIdIn(context);
    expect(after).not.toBe(before);
    const stored = await localStorageOf(page);
    expect(stored.cdp_anonymous_id).toBe(after);
    expect(stored.cdp_user_id).toBeUndefined();
    expect(stored.cdp_traits).toBeUndefined();
    await onTracker(page, `cdp.track("Product Viewed", { product_id: "p-2" })`);
    await expect.poll(async () => (await eventsOf(after)).map((event) => event.type), poll).toContain("Product Viewed");
    const first = await harness.cdp.customers.lookup({ type: "userId", value: "u-reset-1" });
    const second = await harness.cdp.customers.lookup({ type: "anonymousId", value: after });
    expect(second.id).not.toBe(first.id);
  });

  it("with consent required: stores and sends nothing until granted, then sends what was buffered; a later denial is recorded and clears the ids", async () => {
    const { context, page } = await harness.open({ consent: { required: true } });
    const requests = harness.received;
    await page.goto(`${harness.shop}/`);
    await onTracker(page, `cdp.track("Product Viewed", { product_id: "p-3" })`);
    expect(await onTracker(page, "cdp.consent.status")).toBe("pending");
    await page.goto(`${harness.shop}/next`); // the buffer is in memory: what the first page buffered is gone
    await onTracker(page, `cdp.track("Product Added", { product_id: "p-3" })`);
    expect(await context.cookies()).toEqual([]);
    expect(await localStorageOf(page)).toEqual({});
    expect(requests).toEqual([]);

    await onTracker(page, "cdp.consent.update({ profiling: true })");
    expect(await onTracker(page, "cdp.consent.status")).toBe("granted");
    const anonymousId = await anonymousIdIn(context);
    await expect
      .poll(async () => (await eventsOf(anonymousId)).map((event) => event.type).sort(), poll)
      .toEqual(["Page Viewed", "Product Added", "Segment Consent Preference Updated"]);
    const customer = await harness.cdp.customers.lookup({ type: "anonymousId", value: anonymousId });
    expect(await profilingOf(customer.id)).toBe("granted");

    await onTracker(page, "cdp.consent.update({ profiling: false })");
    await expect.poll(() => profilingOf(customer.id), poll).toBe("denied");
    expect(await context.cookies()).toEqual([]);
    expect(await localStorageOf(page)).toEqual({});
    await onTracker(page, `cdp.track("Product Added", { product_id: "p-4" })`);
    await page.reload();
    expect(await onTracker(page, "cdp.consent.status")).toBe("pending");
    expect(await context.cookies()).toEqual([]);
  });

  it("a refusal with no earlier grant sends nothing and stores nothing", async () => {
    const { context, page } = await harness.open({ consent: { required: true } });
    const requests = harness.received;
    await page.goto(`${harness.shop}/`);
    await onTracker(page, `cdp.track("Product Viewed", { product_id: "p-5" })`);
    await onTracker(page, "cdp.consent.update({ profiling: false })");
    await onTracker(page, `cdp.track("Product Added", { product_id: "p-5" })`);
    await onTracker(page, "cdp.flush()");
    await page.goto("about:blank"); // pagehide: anything queued would go now
    expect(requests).toEqual([]);
    expect(await context.cookies()).toEqual([]);
    await page.goto(`${harness.shop}/`);
    expect(await localStorageOf(page)).toEqual({});
  });

  it("keeps what was queued while the API is unreachable across a reload, and sends each message once when it is back", async () => {
    const { context, page } = await harness.open();
    await page.goto(`${harness.shop}/`);
    const anonymousId = await anonymousIdIn(context);
    await expect.poll(async () => (await eventsOf(anonymousId)).length, poll).toBe(1); // the first page view
    await context.route(`${harness.api}/**`, (route) => route.abort("internetdisconnected"));
    await onTracker(page, `cdp.track("Product Added", { product_id: "p-6" })`);
    await onTracker(page, `cdp.track("Product Added", { product_id: "p-7" })`);
    await expect.poll(async () => (await localStorageOf(page)).cdp_queue ?? "", poll).toContain("p-7");
    await page.reload();
    await expect.poll(async () => (await localStorageOf(page)).cdp_queue ?? "", poll).toContain('"type":"page"');
    await context.unroute(`${harness.api}/**`);
    await expect.poll(async () => (await eventsOf(anonymousId)).length, poll).toBe(4);
    const events = await eventsOf(anonymousId);
    expect(events.map((event) => event.type).sort()).toEqual(["Page Viewed", "Page Viewed", "Product Added", "Product Added"]);
    expect(new Set(events.map((event) => event.messageId)).size).toBe(4);
    await expect.poll(async () => (await localStorageOf(page)).cdp_queue, poll).toBeUndefined();
  });

  it("delivers on pagehide with keepalive requests of at most 64 KiB in all; the rest waits for the next page", async () => {
    const { context, page } = await harness.open({ flushInterval: 600_000, flushAt: 1_000, pageViews: false });
    await page.goto(`${harness.shop}/`);
    // Ten messages of about 10 KB: more than one keepalive quota.
    await onTracker(page, `Array.from({ length: 10 }, (_, index) => cdp.track("Product Viewed", { index, note: "x".repeat(10_000) }))`);
    await page.goto("about:blank");
    await expect.poll(() => harness.received.length, poll).toBeGreaterThan(0);
    const requests = [...harness.received];
    const unloadBytes = requests.reduce((sum, request) => sum + Buffer.byteLength(request.body), 0);
    expect(unloadBytes).toBeLessThanOrEqual(64 * 1024);
    const sentAtUnload = requests.flatMap((request) => JSON.parse(request.body).batch as unknown[]).length;
    expect(sentAtUnload).toBeGreaterThan(0);
    expect(sentAtUnload).toBeLessThan(10);

    await page.goto(`${harness.shop}/`);
    await onTracker(page, "cdp.flush()");
    const anonymousId = await anonymousIdIn(context);
    await expect.poll(async () => (await eventsOf(anonymousId)).length, poll).toBe(10);
    const indexes = (await eventsOf(anonymousId)).map((event) => event.properties.index);
    expect(indexes.sort((a, b) => Number(a) - Number(b))).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it("keeps the newest messages within queueBytes, and the newest half again when localStorage is over its quota", async () => {
    const { context, page } = await harness.open({ pageViews: false, queueBytes: 6_000 });
    const errors: string[] = [];
    page.on("pageerror", (error) => errors.push(error.message));
    await context.addInitScript(() => {
      // A storage quota of 4,000 characters for the queue.
      const setItem = Storage.prototype.setItem;
      Storage.prototype.setItem = function (key: string, value: string) {
        if (key === "cdp_queue" && value.length > 4_000) throw new DOMException("quota", "QuotaExceededError");
        setItem.call(this, key, value);
      };
    });
    await context.route(`${harness.api}/**`, (route) => route.abort("internetdisconnected"));
    await page.goto(`${harness.shop}/`);
    await onTracker(page, `Array.from({ length: 12 }, (_, index) => cdp.track("Product Viewed", { index, note: "x".repeat(600) }))`);
    await expect.poll(async () => (await localStorageOf(page)).cdp_queue ?? "", poll).toContain('"index":11');
    const stored = JSON.parse((await localStorageOf(page)).cdp_queue ?? "[]") as Array<{ properties: { index: number } }>;
    expect(JSON.stringify(stored).length).toBeLessThanOrEqual(4_000);
    const indexes = stored.map((message) => message.properties.index);
    expect(indexes.length).toBeGreaterThan(0);
    expect(indexes).toEqual(Array.from({ length: indexes.length }, (_, offset) => 12 - indexes.length + offset)); // the newest, in order
    await context.unroute(`${harness.api}/**`);
    // What did not fit in storage is still in the page's memory: all twelve arrive.
    const anonymousId = await anonymousIdIn(context);
    await expect.poll(async () => (await eventsOf(anonymousId)).length, poll).toBe(12);
    expect(errors).toEqual([]);
  });

  it("sends a persisted message once however often it was stored, and never one older than queueTtl", async () => {
    const { context, page } = await harness.open({ pageViews: false, queueTtl: 3_600_000 });
    await page.goto(`${harness.shop}/`);
    const anonymousId = await anonymousIdIn(context);
    const message = (messageId: string, event: string, age: number) => ({
      type: "track",
      messageId,
      anonymousId,
      event,
      timestamp: new Date(Date.now() - age).toISOString(),
    });
    const queue = [
      message("m-fresh", "Product Viewed", 60_000),
      message("m-fresh", "Product Viewed", 60_000),
      message("m-stale", "Product Added", 2 * 3_600_000),
    ];
    await page.evaluate((stored) => localStorage.setItem("cdp_queue", JSON.stringify(stored)), queue);
    await page.reload();
    await onTracker(page, `cdp.track("Signed Up")`);
    await expect
      .poll(async () => (await eventsOf(anonymousId)).map((event) => event.type).sort(), poll)
      .toEqual(["Product Viewed", "Signed Up"]);
    await expect.poll(async () => (await localStorageOf(page)).cdp_queue, poll).toBeUndefined();
    expect((await eventsOf(anonymousId)).map((event) => event.type)).not.toContain("Product Added");
  });

  it("never throws into the page when storage is blocked or the network refuses every request", async () => {
    const { context, page } = await harness.open();
    const errors: string[] = [];
    page.on("pageerror", (error) => errors.push(error.message));
    await context.addInitScript(() => {
      Object.defineProperty(window, "localStorage", {
        get() {
          throw new DOMException("The operation is insecure.", "SecurityError");
        },
      });
    });
    await context.route(`${harness.api}/**`, (route) => route.abort("blockedbyclient"));
    await page.goto(`${harness.shop}/`);
    const ids = await onTracker(page, `[cdp.track("Product Viewed"), cdp.identify("u-blocked"), cdp.page(), cdp.track("")]`);
    expect(ids).toEqual([expect.any(String), expect.any(String), expect.any(String), undefined]);
    await onTracker(page, "cdp.reset()");
    await onTracker(page, "cdp.consent.update({ profiling: false })");
    expect(errors).toEqual([]);
  });
});
