/**
 * `close()` leaves nothing behind: a process that tracks, closes and does nothing else must exit by
 * itself, against a working backend and against one that never answers. Runs the built package
 * (`pnpm build` first), as a user's process would.
 */
import { spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
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
function runChild(
  host: string,
  count: number,
  closeTimeout: number,
  env: Record<string, string> = {},
): Promise<{ code: number | null; output: string; exited: boolean }> {
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
    const child = spawn(process.execPath, ["--input-type=module", "-e", script], {
      stdio: ["ignore", "pipe", "pipe"],
      env: { ...process.env, ...env },
    });
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

  it("over https, to a server whose certificate the process trusts (NODE_EXTRA_CA_CERTS): delivers everything", {
    timeout: 40_000,
  }, async () => {
    // A self-signed certificate for 127.0.0.1 and localhost, made for this test only (fixtures/).
    const cert = fileURLToPath(new URL("./fixtures/tls-cert.pem", import.meta.url));
    const key = fileURLToPath(new URL("./fixtures/tls-key.pem", import.meta.url));
    server = await faultServer(backend, () => "pass", undefined, { cert: readFileSync(cert, "utf8"), key: readFileSync(key, "utf8") });
    expect(server.url).toMatch(/^https:/);
    const run = await runChild(server.url, 200, 10_000, { NODE_EXTRA_CA_CERTS: cert });
    expect(run, run.output).toMatchObject({ exited: true, code: 0 });
    expect(JSON.parse(run.output)).toEqual({ undelivered: 0, dropped: [] });
    expect(server.log.every((entry) => entry.fault === "pass")).toBe(true);
    const events = await new Cdp({ fetch: backend.fetch, apiKey: backend.adminKey }).events.list({ limit: 1000 }).toArray();
    expect(events).toHaveLength(200);
  });

  it("over https, to a server whose certificate the process does not trust: nothing is sent, every message reported", {
    timeout: 40_000,
  }, async () => {
    const cert = readFileSync(new URL("./fixtures/tls-cert.pem", import.meta.url), "utf8");
    const key = readFileSync(new URL("./fixtures/tls-key.pem", import.meta.url), "utf8");
    server = await faultServer(backend, () => "pass", undefined, { cert, key });
    const run = await runChild(server.url, 20, 1_000);
    expect(run, run.output).toMatchObject({ exited: true, code: 0 });
    expect(JSON.parse(run.output)).toMatchObject({ undelivered: 20 });
    expect(server.log).toEqual([]);
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
