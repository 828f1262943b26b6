// @cdp/browser in Node, with no DOM globals: importing it touches no `window`, and a tracker made
// during a server render does nothing and throws nothing.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";

describe("@cdp/browser outside a browser", () => {
  it("imports with no window, document, localStorage or navigator", async () => {
    expect(typeof (globalThis as { window?: unknown }).window).toBe("undefined");
    expect(typeof (globalThis as { document?: unknown }).document).toBe("undefined");
    const browser = await import("../src/index.js");
    expect(browser.createBrowserTracker).toBeTypeOf("function");
    expect(browser.storageKeys).toEqual({
      anonymousId: "cdp_anonymous_id",
      userId: "cdp_user_id",
      traits: "cdp_traits",
      consent: "cdp_consent",
      queue: "cdp_queue",
    });
  });

  it("gives a server render a tracker that does nothing and never throws", async () => {
    const { createBrowserTracker } = await import("../src/index.js");
    const tracker = createBrowserTracker({ writeKey: "wk_test", consent: { required: true } });
    expect(tracker.track("Product Viewed", { product_id: "p-1" })).toBeUndefined();
    expect(tracker.identify("u-1", { email: "a@example.com" })).toBeUndefined();
    expect(tracker.page()).toBeUndefined();
    expect(tracker.group("g-1")).toBeUndefined();
    expect(tracker.alias("u-1")).toBeUndefined();
    tracker.reset();
    tracker.consent.update({ profiling: true });
    await expect(tracker.flush()).resolves.toBeUndefined();
    expect(tracker.anonymousId).toBeUndefined();
    expect(tracker.consent.status).toBe("pending");
    tracker.on("dropped", () => {})();
  });

  it("writes the package's version into context.library", async () => {
    const { version } = await import("../src/index.js");
    const manifest = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as { version: string };
    expect(version).toBe(manifest.version);
  });
});
