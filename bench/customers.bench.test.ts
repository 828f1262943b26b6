import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

// Runs the customer search bench at 1% scale so it cannot rot; its timings are never asserted.
const script = fileURLToPath(new URL("./customers.bench.mjs", import.meta.url));
const backendEntry = fileURLToPath(new URL("../packages/backend/dist/index.js", import.meta.url));
const kinds = ["common term", "two terms", "quoted email", "nested any + range", "ids named", "page 3 by cursor"];

describe("customers bench --quick", () => {
  it("creates the customers, runs every query kind with checked answers and exits 0", { timeout: 120_000 }, () => {
    if (!existsSync(backendEntry)) {
      throw new Error(`${backendEntry} is missing: run the build first (npx pnpm@10 build), the bench runs against the built backend.`);
    }
    const run = spawnSync(process.execPath, [script, "--quick"], { encoding: "utf8", timeout: 110_000 });
    const output = `${run.stdout}\n${run.stderr}`;
    expect(run.status, output).toBe(0);
    for (const kind of kinds) {
      const escaped = kind.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
      expect(run.stdout, `no table row for ${kind}`).toMatch(new RegExp(`^${escaped}\\s+\\d+\\s+\\d+\\.\\d+\\s+\\d+\\.\\d+`, "m"));
    }
    expect(run.stdout).toMatch(/^creates: 1,000 customers in .* customers\/s/m);
    expect(run.stdout).toMatch(/peak RSS \d+ MiB/);
    expect(run.stdout).toContain("answers: all checked, OK");
  });
});
