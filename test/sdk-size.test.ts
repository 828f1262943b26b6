import { existsSync } from "node:fs";
import { describe, expect, it } from "vitest";
// @ts-expect-error: a plain .mjs script without types
import { measureSdkSize, sdkBudgetBytes } from "../bench/sdk-size.mjs";

describe("@cdp/sdk browser budget (DESIGN.md §10)", () => {
  it("create + get + list customers bundle to at most 20 KiB gzip with their dependencies", async () => {
    if (!existsSync(new URL("../packages/sdk/dist/index.js", import.meta.url))) throw new Error("run the build first (pnpm build)");
    const { gzip } = (await measureSdkSize()) as { gzip: number };
    console.log(`@cdp/sdk client bundle: ${gzip} B gzip (budget ${sdkBudgetBytes} B)`);
    expect(gzip).toBeLessThanOrEqual(sdkBudgetBytes);
  });
});
