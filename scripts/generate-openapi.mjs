// Writes docs/openapi.json from the built contract (packages/contract/dist), versioned as @cdp/contract.
// The dist is rebuilt first when it is missing or older than the sources, so the document is never stale.
// packages/contract/test/openapi.test.ts fails when the checked-in file differs from what this writes.
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = fileURLToPath(new URL("../", import.meta.url));
const contractDir = join(root, "packages", "contract");
const entry = join(contractDir, "dist", "index.js");
const target = join(root, "docs", "openapi.json");

function newestSource(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestSource(path) : statSync(path).mtimeMs);
  }
  return newest;
}

if (!existsSync(entry) || statSync(entry).mtimeMs < newestSource(join(contractDir, "src"))) {
  console.log("building @cdp/contract (dist is missing or older than src)");
  const tsupManifest = createRequire(import.meta.url).resolve("tsup/package.json");
  const tsup = join(dirname(tsupManifest), JSON.parse(readFileSync(tsupManifest, "utf8")).bin.tsup);
  const build = spawnSync(process.execPath, [tsup], { cwd: contractDir, stdio: ["ignore", "inherit", "inherit"] });
  if (build.status !== 0) {
    console.error("building @cdp/contract failed");
    process.exit(1);
  }
}

const { version } = JSON.parse(readFileSync(join(contractDir, "package.json"), "utf8"));
const { buildOpenApiDocument } = await import(pathToFileURL(entry).href);
writeFileSync(target, `${JSON.stringify(buildOpenApiDocument({ version }), null, 2)}\n`);
console.log(`wrote docs/openapi.json (version ${version})`);
