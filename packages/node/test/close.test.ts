/**
 * `close()` leaves nothing behind: a process that tracks, closes and does nothing else must exit by
 * itself, against a working backend and against one that never answers. Runs the built package
 * (`pnpm build` first), as a user's process would.
 */
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { type Backend, createBackend } from "@cdp/backend";
import { Cdp } from "@cdp/sdk";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type FaultServer, faultServer } from "./fault-server.js";

const entry = new URL("../dist/index.js", import.meta.url);

let backend: Backend;
let server: FaultServer;

beforeEach(() => {
  backend = createBackend();
});
afterEach(async () => {
  await server.close();
});

/** Runs a script that tracks `count` events and closes; resolves with its exit code and what it printed, or "did not exit". */
function runChild(host: string, count: number, closeTimeout: number): Promise<{ code: number | null; output: string; exited: boolean }> {
  if (!existsSync(entry)) throw new Error(`${fileURLToPath(entry)} is missing: run the build first (npx pnpm@10 build)`);
  const script = `
    import { createNodeTracker } from ${JSON.stringify(entry.href)};
    const tracker = createNodeTracker({ writeKey: ${JSON.stringify(backend.writeKey)}, host: ${JSON.stringify(host)} });
    const dropped = [];
    tracker.on("dropped", (event) => dropped.push(event.reason + ":" + event.messages.length));
    for (let n = 0; n < ${count}; n++) tracker.track({ userId: "u-" + (n % 5), event: "Closing Time", properties: { n } });
    const { undelivered } = await tracker.close({ timeout: ${closeTimeout} });
    console.log(JSON.stringify({ undelivered: undelivered.length, dropped }));
  `;
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ["--input-type=module", "-e", script], { stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (chunk) => {
      output += chunk;
    });
    child.stderr.on("data", (chunk) => {
      output += chunk;
    });
    // A liveness bound, not a timing assertion: a process that has not exited by then never will.
    const killer = setTimeout(() => {
      child.kill("SIGKILL");
      resolve({ code: null, output, exited: false });
    }, 25_000);
    child.on("exit", (code) => {
      clearTimeout(killer);
      resolve({ code, output, exited: true });
    });
  });
}

describe("close() in a child process", () => {
  it("delivers everything, and the process exits by itself", { timeout: 40_000 }, async () => {
    server = await faultServer(backend, () => "pass");
    const run = await runChild(server.url, 500, 10_000);
    expect(run, run.output).toMatchObject({ exited: true, code: 0 });
    expect(JSON.parse(run.output)).toEqual({ undelivered: 0, dropped: [] });
    const events = await new Cdp({ fetch: backend.fetch, apiKey: backend.adminKey }).events.list({ limit: 1000 }).toArray();
    expect(events).toHaveLength(500);
  });

  it("against a server that never answers, returns at its bound, reports the rest, and the process exits by itself", {
    timeout: 40_000,
  }, async () => {
    server = await faultServer(backend, () => "hang");
    const run = await runChild(server.url, 50, 500);
    expect(run, run.output).toMatchObject({ exited: true, code: 0 });
    expect(JSON.parse(run.output)).toEqual({ undelivered: 50, dropped: ["closed:50"] });
  });
});
