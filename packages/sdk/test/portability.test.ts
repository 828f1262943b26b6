import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const src = fileURLToPath(new URL("../src", import.meta.url));
const files = readdirSync(src, { recursive: true, encoding: "utf8" }).filter((file) => file.endsWith(".ts"));
/** The code without comments, which may mention anything. */
const code = (file: string) => readFileSync(join(src, file), "utf8").replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, "");

describe("the SDK runs in Node, browsers and edge runtimes", () => {
  it.each(files)("%s uses no Node built-ins and no browser globals", (file) => {
    const text = code(file);
    expect(text).not.toMatch(/from\s+"node:|require\(/);
    expect(text).not.toMatch(/\b(window|document|process|Buffer)\b/);
  });

  it("imports only the contract and ky", () => {
    const imports = files.flatMap((file) => [...code(file).matchAll(/from\s+"([^".][^"]*)"/g)].map((match) => match[1]));
    expect(new Set(imports)).toEqual(new Set(["@cdp/contract", "ky"]));
  });
});
