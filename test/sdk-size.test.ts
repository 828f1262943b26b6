import { existsSync } from "node:fs";
import { describe, expect, it } from "vitest";
// @ts-expect-error: a plain .mjs script without types
import { measureSdkSize, sdkBudgetBytes } from "../bench/sdk-size.mjs";

type Measure = (entry: "modular" | "full") => Promise<{ gzip: number; text: string }>;
const measure = measureSdkSize as Measure;

describe("@cdp/sdk browser budget (DESIGN.md §10)", () => {
  it("a page with ApiClient + Customers (create, get, list) bundles to at most 20 KiB gzip with its dependencies", async () => {
    if (!existsSync(new URL("../packages/sdk/dist/index.js", import.meta.url))) throw new Error("run the build first (pnpm build)");
    const modular = await measure("modular");
    const full = await measure("full");
    console.log(
      `@cdp/sdk client bundle: modular ${modular.gzip} B gzip (budget ${sdkBudgetBytes} B); full new Cdp() ${full.gzip} B gzip (no budget)`,
    );
    expect(modular.gzip).toBeLessThanOrEqual(sdkBudgetBytes);
  });

  it("leaves the routes of the resources it does not use out of that page", async () => {
    if (!existsSync(new URL("../packages/sdk/dist/index.js", import.meta.url))) throw new Error("run the build first (pnpm build)");
    const { text } = await measure("modular");
    const paths = ["/events", "/event-types", "/identify", "/batch", "/keys", "/workspaces", "/properties", "/audit", "/oauth/token"];
    expect(paths.filter((path) => text.includes(`"${path}"`))).toEqual([]);
  });
});
