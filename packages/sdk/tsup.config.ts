import { defineConfig } from "tsup";

export default defineConfig({
  entry: { index: "src/index.ts", tracking: "src/tracking/index.ts" },
  format: ["esm"],
  dts: true,
  sourcemap: true,
  clean: true,
  target: "es2022",
});
