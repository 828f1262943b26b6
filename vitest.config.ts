import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

const src = (pkg: string, entry = "index") => fileURLToPath(new URL(`./packages/${pkg}/src/${entry}.ts`, import.meta.url));

export default defineConfig({
  resolve: {
    // Tests run against the sources; the packaging check (scripts/check-packages.mjs) covers the built files.
    alias: [
      { find: /^@cdp\/contract$/, replacement: src("contract") },
      { find: /^@cdp\/sdk\/tracking$/, replacement: src("sdk", "tracking/index") },
      { find: /^@cdp\/sdk\/webhooks$/, replacement: src("sdk", "webhooks/index") },
      { find: /^@cdp\/sdk$/, replacement: src("sdk") },
      { find: /^@cdp\/node$/, replacement: src("node") },
      { find: /^@cdp\/browser$/, replacement: src("browser") },
      { find: /^@cdp\/shopify$/, replacement: src("shopify") },
      { find: /^@cdp\/woocommerce$/, replacement: src("woocommerce") },
      { find: /^@cdp\/backend\/msw$/, replacement: src("backend", "msw") },
      { find: /^@cdp\/backend$/, replacement: src("backend") },
    ],
  },
  test: {
    include: ["packages/*/test/**/*.test.ts", "examples/*/test/**/*.test.ts", "bench/**/*.test.ts", "test/**/*.test.ts"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
