import { readFile } from "node:fs/promises";
import { defineConfig } from "tsup";

/**
 * Marks every zod call as pure (`/* @__PURE__ *\/ z.object(…)`) so that bundlers drop the schemas an
 * app never uses: the SDK's browser budget (DESIGN.md §10) depends on it. Bundlers cannot know that
 * zod's constructors have no side effects, and writing the comment by hand on every schema would
 * bury the contract under annotations.
 */
const pureZodCalls = {
  name: "pure-zod-calls",
  setup(build: {
    onLoad: (options: { filter: RegExp }, callback: (args: { path: string }) => Promise<{ contents: string; loader: "ts" }>) => void;
  }) {
    build.onLoad({ filter: /[\\/]src[\\/].*\.ts$/ }, async ({ path }) => ({
      contents: (await readFile(path, "utf8")).replace(
        /(?<![\w.$])(z\s*\.\w+(\.\w+)?\(|Object\.keys\(|page\(|defineRoute\()/g,
        "/* @__PURE__ */ $1",
      ),
      loader: "ts",
    }));
  },
};

export default defineConfig({
  entry: ["src/index.ts"],
  format: ["esm"],
  dts: true,
  sourcemap: true,
  clean: true,
  target: "es2022",
  esbuildPlugins: [pureZodCalls],
});
