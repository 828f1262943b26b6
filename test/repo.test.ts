// Repository conventions (DESIGN.md §9), checked on the files as they are: no build, no network.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("../", import.meta.url));

interface Manifest {
  name: string;
  version: string;
  private?: boolean;
  type?: string;
  exports?: unknown;
  files?: unknown;
  engines?: { node?: string };
}

function readJson<T>(path: string): T {
  return JSON.parse(readFileSync(path, "utf8")) as T;
}

const rootManifest = readJson<Manifest>(join(root, "package.json"));
const packages = readdirSync(join(root, "packages"), { withFileTypes: true })
  .filter((entry) => entry.isDirectory() && existsSync(join(root, "packages", entry.name, "package.json")))
  .map((entry) => {
    const dir = join(root, "packages", entry.name);
    return { folder: entry.name, dir, manifest: readJson<Manifest>(join(dir, "package.json")) };
  });
const published = packages.filter((pkg) => !pkg.manifest.private);

/** Test files of the workspace (vitest's include globs), node_modules and build output aside. */
function testFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    if (entry.name === "node_modules" || entry.name === "dist") return [];
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return testFiles(path);
    return /\.(test|spec)\.[cm]?[jt]sx?$/.test(entry.name) ? [path] : [];
  });
}

describe("packages", () => {
  it("exist", () => {
    expect(published.length).toBeGreaterThan(0);
  });

  describe.each(packages.map((pkg) => [pkg.folder, pkg] as const))("packages/%s", (folder, { dir, manifest }) => {
    it(`is named @cdp/${folder}`, () => {
      expect(manifest.name).toBe(`@cdp/${folder}`);
    });

    it("has a README.md", () => {
      expect(existsSync(join(dir, "README.md"))).toBe(true);
    });

    it('is ESM-only: "type": "module"', () => {
      expect(manifest.type).toBe("module");
    });

    it("has an exports map whose entries are exactly { types, default }, in that order", () => {
      expect(manifest.exports, "exports").toBeTypeOf("object");
      const entries = Object.entries((manifest.exports ?? {}) as Record<string, unknown>);
      expect(entries.length).toBeGreaterThan(0);
      expect(Object.keys(manifest.exports as object), "a root entry").toContain(".");
      for (const [subpath, target] of entries) {
        if (subpath === "./package.json") continue;
        expect(subpath, "subpaths start with ./").toMatch(/^\.(\/|$)/);
        // `import` alone cannot be matched by require(); `types` must come first for TypeScript.
        expect(target, `exports["${subpath}"]`).toBeTypeOf("object");
        expect(Object.keys(target as object), `exports["${subpath}"] conditions`).toEqual(["types", "default"]);
        for (const [condition, file] of Object.entries(target as Record<string, unknown>)) {
          expect(file, `exports["${subpath}"].${condition}`).toMatch(/^\.\/.+/);
        }
      }
    });

    it("lists its published files", () => {
      expect(Array.isArray(manifest.files) && manifest.files.length > 0, '"files" is a non-empty array').toBe(true);
    });

    it("declares the root's engines.node", () => {
      expect(manifest.engines?.node).toBeTypeOf("string");
      expect(manifest.engines?.node).toBe(rootManifest.engines?.node);
    });
  });

  it("are versioned together (one version for every published package)", () => {
    const versions = Object.fromEntries(published.map((pkg) => [pkg.manifest.name, pkg.manifest.version]));
    expect(new Set(Object.values(versions)).size, JSON.stringify(versions)).toBe(1);
  });

  it("are all in the API reference (typedoc.json entryPoints)", () => {
    const { entryPoints } = readJson<{ entryPoints: string[] }>(join(root, "typedoc.json"));
    const documented = entryPoints.map((entry) => entry.replace(/^\.\//, "").replace(/\/$/, ""));
    for (const pkg of published) expect(documented, pkg.manifest.name).toContain(`packages/${pkg.folder}`);
  });
});

describe("tests", () => {
  const files = ["packages", "examples", "bench", "test"].flatMap((dir) => testFiles(join(root, dir)));

  it("are found", () => {
    expect(files.length).toBeGreaterThan(0);
  });

  it("are neither focused nor skipped (.only, .skip, .skipIf, .runIf, .todo)", () => {
    const modifiers = ["only", "skip", "skipIf", "runIf", "todo"].join("|");
    const apis = ["describe", "suite", "it", "test", "bench"].join("|");
    const focusedOrSkipped = new RegExp(
      `\\b(?:${apis})(?:\\.\\w+)*\\.(?:${modifiers})\\b|\\b(?:ctx|context)\\.skip\\(|\\b[fx](?:it|describe|test)\\(`,
    );
    const offenders = files.flatMap((file) =>
      readFileSync(file, "utf8")
        .split("\n")
        .flatMap((line, index) => (focusedOrSkipped.test(line) ? [`${relative(root, file)}:${index + 1}: ${line.trim()}`] : [])),
    );
    expect(offenders).toEqual([]);
  });
});
