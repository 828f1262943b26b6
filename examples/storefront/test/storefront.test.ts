// The storefront end to end, in real Chromium: the shop on http://www.shop.test:<port>, the backend on
// http://api.shop.test:<port> (two origins of one top-level domain). Each test gets its own shop and
// backend. Tests read the backend (through @cdp/sdk with the admin key), the browser's cookies and
// storage, never the tracker's internals; they wait on the backend's state, never on time.
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { launchChromium } from "../../../test/support/chromium.js";
// @ts-expect-error: the example's server is plain JavaScript
import { startStorefront } from "../src/server.mjs";

interface Shop {
  url: string;
  apiUrl: string;
  cdp: import("@cdp/sdk").Cdp;
  close(): Promise<void>;
}

const poll = { timeout: 60_000, interval: 250 };
let browser: Browser;
const open: Array<{ shop: Shop; context: BrowserContext }> = [];

beforeAll(async () => {
  browser = await launchChromium();
}, 120_000);
afterEach(async () => {
  for (const { shop, context } of open.splice(0)) {
    await context.close().catch(() => {});
    await shop.close();
  }
});
afterAll(async () => {
  await browser?.close();
});

async function visit(): Promise<{ shop: Shop; context: BrowserContext; page: Page }> {
  const shop = (await startStorefront({ port: 0, apiPort: 0, shopHostname: "www.shop.test", apiHostname: "api.shop.test" })) as Shop;
  const context = await browser.newContext();
  open.push({ shop, context });
  const page = await context.newPage();
  await page.goto(`${shop.url}/`);
  return { shop, context, page };
}

async function accept(page: Page) {
  await page.getByRole("button", { name: "Accept" }).click();
}

async function anonymousIdOf(context: BrowserContext): Promise<string> {
  const cookie = (await context.cookies()).find((entry) => entry.name === "cdp_anonymous_id");
  if (!cookie) throw new Error("no anonymous-id cookie");
  return cookie.value;
}

async function eventsOf(shop: Shop, type: "anonymousId" | "userId" | "email", value: string) {
  const customer = await shop.cdp.customers.lookup({ type, value }).catch(() => undefined);
  return customer ? shop.cdp.events.list({ customerId: customer.id }).toArray() : [];
}

async function addToCart(page: Page, name: string) {
  await page.getByRole("link", { name }).click();
  await page.getByRole("button", { name: "Add to cart" }).click();
  await expect.poll(() => page.locator("#added").isVisible(), poll).toBe(true);
}

/** The UTC ISO week of a time, as the backend's timeline names it ("2026-W48"). */
function isoWeek(iso: string): string {
  const date = new Date(iso);
  const day = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate()));
  day.setUTCDate(day.getUTCDate() + 4 - (day.getUTCDay() || 7));
  const yearStart = Date.UTC(day.getUTCFullYear(), 0, 1);
  const week = Math.ceil(((day.getTime() - yearStart) / 86_400_000 + 1) / 7);
  return `${day.getUTCFullYear()}-W${String(week).padStart(2, "0")}`;
}

describe("storefront in Chromium", { timeout: 180_000 }, () => {
  it("1. accept consent, browse anonymously, sign in: the anonymous page views and cart events are on the signed-in profile", async () => {
    const { shop, context, page } = await visit();
    await accept(page);
    await addToCart(page, "Linen shirt");
    await page.getByRole("link", { name: "Shop" }).click();
    await addToCart(page, "Wool scarf");
    const anonymousId = await anonymousIdOf(context);
    await expect
      .poll(async () => (await eventsOf(shop, "anonymousId", anonymousId)).filter((e) => e.type === "Product Added").length, poll)
      .toBe(2);
    const anonymous = await eventsOf(shop, "anonymousId", anonymousId);
    const anonymousIds = anonymous.map((event) => event.id).sort();

    await page.getByRole("link", { name: "Sign in" }).click();
    const signUp = page.locator("#sign-up");
    await signUp.getByLabel("Email").fill("ada@example.com");
    await signUp.getByLabel("First name").fill("Ada");
    await signUp.getByRole("button", { name: "Sign up" }).click();
    await expect.poll(() => page.locator("h1").textContent(), poll).toBe("Hello Ada");

    await expect.poll(async () => (await eventsOf(shop, "email", "ada@example.com")).map((e) => e.type), poll).toContain("Signed Up");
    const profile = await shop.cdp.customers.lookup({ type: "userId", value: "shop-1" });
    expect(profile).toMatchObject({ email: "ada@example.com", firstName: "Ada" });
    expect((await shop.cdp.customers.lookup({ type: "anonymousId", value: anonymousId })).id).toBe(profile.id);
    const events = await shop.cdp.events.list({ customerId: profile.id }).toArray();
    // Every event recorded while anonymous is now the signed-in customer's.
    expect(events.map((event) => event.id)).toEqual(expect.arrayContaining(anonymousIds));
    const types = events.map((event) => event.type);
    expect(types.filter((type) => type === "Page Viewed").length).toBeGreaterThanOrEqual(5);
    expect(types.filter((type) => type === "Product Added")).toHaveLength(2);
    expect(types).toEqual(
      expect.arrayContaining(["Product Viewed", "Product List Viewed", "Segment Consent Preference Updated", "Signed Up"]),
    );
  });

  it("2. refuse consent: nothing is sent and no cookie is set", async () => {
    const { shop, context, page } = await visit();
    const apiRequests: string[] = [];
    context.on("request", (request) => {
      if (request.url().startsWith(shop.apiUrl)) apiRequests.push(`${request.method()} ${request.url()}`);
    });
    await page.getByRole("button", { name: "Refuse" }).click();
    await addToCart(page, "Chinos");
    await page.getByRole("link", { name: "Cart (1)" }).click();
    await page.getByRole("link", { name: "Check out" }).click();
    await page.getByLabel("Email").fill("refuser@example.com");
    await page.getByRole("button", { name: "Place order" }).click();
    await expect.poll(() => page.locator("#order-id").isVisible(), poll).toBe(true);
    await page.reload();
    expect(await context.cookies()).toEqual([]);
    expect(await page.evaluate(() => localStorage.length)).toBe(0);
    await page.goto("about:blank"); // pagehide: whatever a tracker held would go now

    // A second visitor who accepts: once their events are in, anything the first had sent would be too.
    const other = await browser.newContext();
    open.push({ shop: { ...shop, close: async () => {} }, context: other });
    const second = await other.newPage();
    await second.goto(`${shop.url}/`);
    await accept(second);
    const anonymousId = await anonymousIdOf(other);
    await expect.poll(async () => (await eventsOf(shop, "anonymousId", anonymousId)).length, poll).toBeGreaterThanOrEqual(3);
    expect(apiRequests).toEqual([]);
    const all = await shop.cdp.events.list().toArray();
    expect(all.filter((event) => event.type === "Order Completed" || event.type === "Product Added")).toEqual([]);
    expect(await shop.cdp.customers.lookup({ type: "email", value: "refuser@example.com" }).catch((error) => error.status)).toBe(404);
  });

  it("3. go offline, add to cart, reload, come back online: the events arrive, each exactly once", async () => {
    const { shop, context, page } = await visit();
    await accept(page);
    const anonymousId = await anonymousIdOf(context);
    await expect.poll(async () => (await eventsOf(shop, "anonymousId", anonymousId)).map((e) => e.type), poll).toContain("Page Viewed");

    await context.route(`${shop.apiUrl}/**`, (route) => route.abort("internetdisconnected"));
    await addToCart(page, "Oxford shirt");
    await page.reload();
    await expect.poll(() => page.locator("h1").textContent(), poll).toBe("Oxford shirt");
    await context.unroute(`${shop.apiUrl}/**`);

    // Page views: the home page, the product page (a single-page navigation) and the reload.
    const expected = { "Page Viewed": 3, "Product Viewed": 2, "Product Added": 1 };
    await expect
      .poll(async () => {
        const types = (await eventsOf(shop, "anonymousId", anonymousId)).map((event) => event.type);
        return Object.fromEntries(Object.keys(expected).map((type) => [type, types.filter((t) => t === type).length]));
      }, poll)
      .toEqual(expected);
    const events = await eventsOf(shop, "anonymousId", anonymousId);
    expect(new Set(events.map((event) => event.messageId)).size).toBe(events.length);
    const added = events.find((event) => event.type === "Product Added");
    expect(added?.properties).toMatchObject({ product_id: "oxford-shirt", price: 59, currency: "EUR" });
  });

  it("4. check out and navigate away at once: Order Completed arrives (unload delivery)", async () => {
    const { shop, context, page } = await visit();
    await accept(page);
    await addToCart(page, "Canvas tote");
    await page.getByRole("link", { name: "Cart (1)" }).click();
    await page.getByRole("link", { name: "Check out" }).click();
    await page.getByLabel("Email").fill("grace@example.com");
    await page.getByRole("button", { name: "Place order" }).click();
    await page.goto("about:blank");
    const anonymousId = await anonymousIdOf(context);
    await expect.poll(async () => (await eventsOf(shop, "anonymousId", anonymousId)).map((e) => e.type), poll).toContain("Order Completed");
    const orders = (await eventsOf(shop, "email", "grace@example.com")).filter((event) => event.type === "Order Completed");
    expect(orders).toHaveLength(1);
    expect(orders[0]?.properties).toMatchObject({ total: "19.90", currency: "EUR" });
  });

  it("5. the customer card shows the order in the right week and category", async () => {
    const { shop, page } = await visit();
    await accept(page);
    await page.getByRole("link", { name: "Sign in" }).click();
    const signUp = page.locator("#sign-up");
    await signUp.getByLabel("Email").fill("linus@example.com");
    await signUp.getByLabel("First name").fill("Linus");
    await signUp.getByLabel("Send me the newsletter").check();
    await signUp.getByRole("button", { name: "Sign up" }).click();
    await expect.poll(() => page.locator("h1").textContent(), poll).toBe("Hello Linus");
    await page.getByRole("link", { name: "Shop" }).click();
    await addToCart(page, "Linen shirt");
    await page.getByRole("link", { name: "Cart (1)" }).click();
    await page.getByRole("link", { name: "Check out" }).click();
    await page.getByRole("button", { name: "Place order" }).click();
    await expect.poll(() => page.locator("#order-id").isVisible(), poll).toBe(true);
    await expect.poll(async () => (await eventsOf(shop, "userId", "shop-1")).map((e) => e.type), poll).toContain("Order Completed");

    const events = await eventsOf(shop, "userId", "shop-1");
    const order = events.find((event) => event.type === "Order Completed");
    expect(order?.category).toBe("ecommerce");
    const week = isoWeek(order?.timestamp ?? "");
    const ecommerceThatWeek = events.filter((event) => event.category === "ecommerce" && isoWeek(event.timestamp) === week).length;

    await page
      .getByRole("link", { name: "Hello Linus" })
      .or(page.getByRole("link", { name: "Linus" }))
      .first()
      .click();
    await page.getByRole("link", { name: "Your customer card" }).click();
    await expect.poll(() => page.locator("#profile").isVisible(), poll).toBe(true);
    const cell = page.locator(`#timeline tr[data-week="${week}"] td[data-category="ecommerce"]`);
    expect(Number(await cell.textContent())).toBe(ecommerceThatWeek);
    const month = order?.timestamp.slice(0, 7) ?? "";
    await expect.poll(() => page.locator(`#purchases tr[data-month="${month}"] [data-orders]`).textContent(), poll).toBe("1");
    expect(await page.locator(`#purchases tr[data-month="${month}"] [data-revenue]`).textContent()).toBe("49.00 EUR");
    expect(await page.locator("#identifiers").textContent()).toContain("linus@example.com");
    expect(await page.locator("#consents").textContent()).toMatch(/profiling\s*granted/);
    expect(await page.locator("#subscriptions").textContent()).toMatch(/linus@example\.com\s*subscribed/);
    expect(await page.locator("#changelog").textContent()).toContain("created");
  });
});
