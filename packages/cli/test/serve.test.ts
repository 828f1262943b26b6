import { type ChildProcess, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { createServer } from "node:net";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";

const bin = fileURLToPath(new URL("../dist/bin.js", import.meta.url));
const children: ChildProcess[] = [];

/** Spawns the built bin with node (never through pnpm, which prints a banner on stdout). */
function cdp(args: string[]) {
  if (!existsSync(bin)) throw new Error(`${bin} is missing: run the build first (pnpm build)`);
  const child = spawn(process.execPath, [bin, ...args], { stdio: ["ignore", "pipe", "pipe"] });
  children.push(child);
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk) => {
    stdout += chunk;
  });
  child.stderr.on("data", (chunk) => {
    stderr += chunk;
  });
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  const firstLine = new Promise<string>((resolve, reject) => {
    child.stdout.on("data", () => {
      if (stdout.includes("\n")) resolve(stdout.slice(0, stdout.indexOf("\n")));
    });
    child.once("exit", (code) => reject(new Error(`exited ${code} before printing a line; stderr: ${stderr}`)));
  });
  // Not every test waits for a line; a process that exits first must not be an unhandled rejection.
  firstLine.catch(() => {});
  return { child, exited, firstLine, output: () => ({ stdout, stderr }) };
}

afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill("SIGKILL");
});

describe("cdp serve", () => {
  it("--json prints one line with the origin and keys, serves the API, and exits 0 on SIGTERM", async () => {
    const run = cdp(["serve", "--port", "0", "--json"]);
    const line = JSON.parse(await run.firstLine) as { url: string; workspaceId: string; adminKey: string; writeKey: string };
    expect(Object.keys(line).sort()).toEqual(["adminKey", "url", "workspaceId", "writeKey"]);
    expect(line.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(line.workspaceId).toMatch(/^ws_/);

    const created = await fetch(`${line.url}/v1/customers`, {
      method: "POST",
      headers: { authorization: `Bearer ${line.adminKey}`, "content-type": "application/json" },
      body: JSON.stringify({ email: "cli@example.com" }),
    });
    expect(created.status).toBe(201);
    const me = await fetch(`${line.url}/v1/auth/me`, { headers: { authorization: `Bearer ${line.writeKey}` } });
    expect(me.status).toBe(403);

    run.child.kill("SIGTERM");
    expect(await run.exited).toBe(0);
    expect(run.output().stdout).toBe(`${JSON.stringify(line)}\n`);
  });

  it("exits 1 with a clear message when the port is busy", async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, "127.0.0.1", resolve));
    const port = (blocker.address() as { port: number }).port;
    try {
      const run = cdp(["serve", "--port", String(port), "--json"]);
      expect(await run.exited).toBe(1);
      expect(run.output().stdout).toBe("");
      expect(run.output().stderr).toContain(`port ${port}`);
      expect(run.output().stderr).toContain("already in use");
    } finally {
      blocker.close();
    }
  });

  it("refuses a bad port and unknown options", async () => {
    const bad = cdp(["serve", "--port", "http"]);
    expect(await bad.exited).toBe(1);
    expect(bad.output().stderr).toContain("--port");
    const unknown = cdp(["serve", "--nope"]);
    expect(await unknown.exited).toBe(1);
    expect(unknown.output().stderr).toContain("--nope");
  });

  it("prints the human form without --json", async () => {
    const run = cdp(["serve", "--port", "0", "--seed", "7"]);
    await run.firstLine;
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(run.output().stdout).toMatch(/admin key\s+sk_/);
    run.child.kill("SIGINT");
    expect(await run.exited).toBe(0);
  });
});
