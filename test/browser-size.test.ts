import { existsSync } from "node:fs";
import { describe, expect, it } from "vitest";
// @ts-expect-error: a plain .mjs script without types
import { browserBudgetBytes, measureBrowserSize } from "../bench/browser-size.mjs";

type Measure = (entry: "cdp") => Promise<{ gzip: number; minified: number }>;
const measure = measureBrowserSize as Measure;

describe("@cdp/browser budget (DESIGN.md §10)", () => {
  it("init + track + identify + page of the main entry bundles to at most 6,144 bytes gzip -9 (esbuild, minified, ESM)", async () => {
    if (!existsSync(new URL("../packages/browser/dist/index.js", import.meta.url))) throw new Error("run the build first (pnpm build)");
    const { gzip, minified } = await measure("cdp");
    console.log(`@cdp/browser bundle: ${minified} B minified, ${gzip} B gzip (budget ${browserBudgetBytes} B)`);
    expect(browserBudgetBytes).toBe(6_144);
    expect(gzip).toBeLessThanOrEqual(browserBudgetBytes);
  });
});
