import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

// Runs the tracking bench at 1% scale so it cannot rot; its timings are never asserted.
const script = fileURLToPath(new URL("./tracking.bench.mjs", import.meta.url));
const backendEntry = fileURLToPath(new URL("../packages/backend/dist/index.js", import.meta.url));

describe("tracking bench --quick", () => {
  it("sends the batches, merges as planned, checks every profile and exits 0", { timeout: 120_000 }, () => {
    if (!existsSync(backendEntry)) {
      throw new Error(`${backendEntry} is missing: run the build first (npx pnpm@10 build), the bench runs against the built backend.`);
    }
    const run = spawnSync(process.execPath, [script, "--quick"], { encoding: "utf8", timeout: 110_000 });
    const output = `${run.stdout}\n${run.stderr}`;
    expect(run.status, output).toBe(0);
    expect(run.stdout).toMatch(
      /^sent: 10,000 messages in 100 batches: track [\d,]+, page [\d,]+, identify [\d,]+, alias [\d,]+; \d{3} B a message/m,
    );
    expect(run.stdout).toMatch(/^throughput: [\d,]+ messages\/s/m);
    expect(run.stdout).toMatch(/^batch latency: p50 \d+\.\d+ ms, p99 \d+\.\d+ ms/m);
    // Every planned merge happened (the changelogs say so), and they are at least 5% of the messages.
    const merges = run.stdout.match(
      /^merges: ([\d,]+) observed \(changelogs\), ([\d,]+) expected, (\d+\.\d)% of the messages; 1,000 live profiles for 1,000 identities/m,
    );
    expect(merges, output).not.toBeNull();
    expect(merges?.[1]).toBe(merges?.[2]);
    expect(Number(merges?.[3])).toBeGreaterThanOrEqual(5);
    expect(run.stdout).toMatch(/peak RSS \d+ MiB/);
    // The machine's floor (parse and serialise) is measured on the kept bodies, and set beside the budget.
    expect(run.stdout).toMatch(
      /^floor of this machine \(same process, after the send, 100 bodies, fastest of 3\): JSON\.parse of the bodies \d+\.\d\d µs a message, serialising each event's properties and context \d+\.\d\d µs: \d+\.\d\d of the 10\.00 µs/m,
    );
    expect(run.stdout).toMatch(/^CPU steal during the send \(\/proc\/stat, [^)]*\): (\d+\.\d%|unknown)$/m);
    expect(run.stdout).toContain("answers: all checked, OK");
  });
});
