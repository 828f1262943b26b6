import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { describe, expect, it, vi } from "vitest";

/**
 * The examples in the READMEs and guides that run on their own (they build an in-memory backend
 * and need no server) are run here as written, so the docs cannot drift from the code.
 */
const root = new URL("../", import.meta.url);
const documents = [
  "README.md",
  ...readdirSync(new URL("packages/", root)).map((name) => `packages/${name}/README.md`),
  ...readdirSync(new URL("docs/", root))
    .filter((name) => name.endsWith(".md"))
    .map((name) => `docs/${name}`),
];

const runnable = (code: string) =>
  (code.includes("createBackend(") || /^import [^\n]+ from "@cdp\/contract";$/m.test(code)) &&
  !/\blisten\(|setupServer|from "vitest"|process\.env/.test(code) &&
  code.includes("import ");

const examples = documents.flatMap((document) => {
  let text: string;
  try {
    text = readFileSync(new URL(document, root), "utf8");
  } catch {
    return [];
  }
  return [...text.matchAll(/```ts\n([\s\S]*?)```/g)]
    .map((match, index) => ({ document, index, code: match[1] as string }))
    .filter((example) => runnable(example.code));
});

const scratch = new URL(".tmp/readme-examples/", root);

describe("runnable examples in the docs", () => {
  it("finds the README tour and the package examples", () => {
    expect(examples.map((example) => example.document)).toEqual(
      expect.arrayContaining(["README.md", "packages/sdk/README.md", "packages/backend/README.md", "packages/contract/README.md"]),
    );
  });

  it.each(examples.map((example) => [`${example.document} #${example.index + 1}`, example] as const))(
    "%s runs as written",
    async (_, example) => {
      rmSync(scratch, { recursive: true, force: true });
      mkdirSync(scratch, { recursive: true });
      const file = new URL(`${example.document.replace(/[^\w]+/g, "-")}-${example.index}.ts`, scratch);
      writeFileSync(file, `${example.code}\nexport {};\n`);
      const log = vi.spyOn(console, "log").mockImplementation(() => {});
      try {
        await import(/* @vite-ignore */ file.href);
      } finally {
        log.mockRestore();
      }
    },
  );
});
