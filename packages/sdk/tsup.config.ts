import { defineConfig } from "tsup";

export default defineConfig({
  entry: { index: "src/index.ts", tracking: "src/tracking/index.ts", webhooks: "src/webhooks/index.ts" },
  format: ["esm"],
  dts: true,
  sourcemap: true,
  clean: true,
  target: "es2022",
});
