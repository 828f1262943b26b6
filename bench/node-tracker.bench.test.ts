import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

// Runs the Node tracker bench at 1% scale so it cannot rot; its timings are never asserted.
const script = fileURLToPath(new URL("./node-tracker.bench.mjs", import.meta.url));
const nodeEntry = fileURLToPath(new URL("../packages/node/dist/index.js", import.meta.url));

describe("node tracker bench --quick", () => {
  it("runs @cdp/node and @segment/analytics-node against one sink, checks @cdp/node lost and doubled nothing, exits 0", {
    timeout: 120_000,
  }, () => {
    if (!existsSync(nodeEntry)) throw new Error(`${nodeEntry} is missing: run the build first (npx pnpm@10 build).`);
    const run = spawnSync(process.execPath, [script, "--quick"], { encoding: "utf8", timeout: 110_000 });
    const output = `${run.stdout}\n${run.stderr}`;
    expect(run.status, output).toBe(0);
    expect(run.stdout).toMatch(/^node tracker bench: 500 tracks per run/m);
    for (const scenario of ["burst", "yield"]) {
      const ours = run.stdout.match(
        new RegExp(`^@cdp/node\\s+${scenario}\\s+[\\d,]+\\s+[\\d.]+\\s+\\d+ MiB\\s+[\\d,]+\\s+500\\s+0\\s+0\\s+0$`, "m"),
      );
      expect(ours, output).not.toBeNull();
      expect(run.stdout).toMatch(new RegExp(`^@segment/analytics-node\\s+${scenario}\\s+[\\d,]+`, "m"));
      expect(run.stdout).toMatch(
        new RegExp(`^${scenario}: @cdp/node [\\d.]+× Segment's events/s at \\d+% of its peak RSS, loss 0, duplicates 0$`, "m"),
      );
    }
    expect(run.stdout).toContain("answers: @cdp/node delivered every event exactly once, OK");
  });
});
