import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";

/** The scripted tour the README names beside the storefront: `pnpm demo` (spawned with node, as DESIGN §5 asks). */
describe("pnpm demo", () => {
  it("walks the tour over HTTP against a `cdp serve` of its own, and exits 0", async () => {
    const script = fileURLToPath(new URL("../scripts/demo.mjs", import.meta.url));
    const { stdout } = await promisify(execFile)(process.execPath, [script], { timeout: 60_000 });
    expect(stdout).toContain("started the reference backend");
    expect(stdout).toContain('"pending"');
    expect(stdout).toContain('"reason":"objection"');
    expect(stdout).toContain("customers.delete");
    expect(stdout).toMatch(/Done\. Every call above went over HTTP/);
  }, 90_000);
});
