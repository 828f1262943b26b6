// The README's main command ends in `pnpm start`, which runs src/server.mjs: it must print the shop's
// URL, serve the shop there, and stop cleanly. Spawned with node, as DESIGN.md §5 asks of servers.
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

describe("npx -y pnpm@10 start (examples/storefront/src/server.mjs)", () => {
  it("prints the shop's URL, serves the shop and the card page there, and exits 0 on SIGTERM", async () => {
    const server = spawn(process.execPath, [fileURLToPath(new URL("../src/server.mjs", import.meta.url))], {
      env: { ...process.env, PORT: "0", API_PORT: "0" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    server.stderr.on("data", (chunk) => {
      stderr += chunk;
    });
    const exited = new Promise<number | null>((resolve) => server.once("exit", (code) => resolve(code)));
    const url = await new Promise<string>((resolve, reject) => {
      server.stdout.on("data", (chunk) => {
        stdout += chunk;
        const match = stdout.match(/The shop is open: (http:\/\/\S+)/);
        if (match?.[1]) resolve(match[1]);
      });
      void exited.then((code) => reject(new Error(`the server exited with ${code}: ${stderr}`)));
    });
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const shop = await fetch(`${url}/product/linen-shirt`);
    expect(shop.status).toBe(200);
    const html = await shop.text();
    expect(html).toContain('<script type="module" src="/shop.js"></script>');
    expect(html).toContain('"writeKey":"wk_');
    expect(html).not.toContain("sk_"); // no secret key in a page
    expect((await fetch(`${url}/shop.js`)).status).toBe(200);
    expect(await (await fetch(`${url}/card`)).text()).toContain("Customer card");
    expect(await (await fetch(`${url}/api/customers`)).json()).toEqual({ data: [] });
    server.kill("SIGTERM");
    expect(await exited).toBe(0);
  }, 60_000);
});
