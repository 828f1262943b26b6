import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { describe, expect, it } from "vitest";

// `@cdp/sdk/tracking` is what the browser tracker ships: ky and zod (the client's) must stay out of it.
const entry = fileURLToPath(new URL("../src/tracking/index.ts", import.meta.url));

describe("@cdp/sdk/tracking bundled for a browser", () => {
  it("carries neither ky nor zod, and touches no global at import time", async () => {
    const result = await build({
      entryPoints: [entry],
      bundle: true,
      minify: true,
      format: "esm",
      platform: "browser",
      write: false,
      metafile: true,
      logLevel: "silent",
    });
    const inputs = Object.keys(result.metafile.inputs);
    expect(inputs.filter((input) => /node_modules|packages\/contract/.test(input))).toEqual([]);
    const text = result.outputFiles[0]?.text ?? "";
    expect(text).not.toMatch(/\bky\b|zod/);
    // Importing it with no fetch, crypto or timers defined must not throw (an edge runtime's cold start).
    const module = `data:text/javascript;base64,${Buffer.from(text).toString("base64")}`;
    const saved = { fetch: globalThis.fetch, crypto: globalThis.crypto };
    try {
      Object.defineProperty(globalThis, "fetch", { value: undefined, configurable: true, writable: true });
      Object.defineProperty(globalThis, "crypto", { value: undefined, configurable: true, writable: true });
      const tracking = (await import(/* @vite-ignore */ module)) as Record<string, unknown>;
      expect(tracking.createTracker).toBeTypeOf("function");
      expect(tracking.anonymousIdCookie).toBe("cdp_anonymous_id");
    } finally {
      Object.defineProperty(globalThis, "fetch", { value: saved.fetch, configurable: true, writable: true });
      Object.defineProperty(globalThis, "crypto", { value: saved.crypto, configurable: true, writable: true });
    }
  });
});
