// The @cdp/sdk browser budget (DESIGN.md §10): a back-office page that creates, gets and lists
// customers, bundled with its dependencies by esbuild (minified, ESM), gzip -9: ≤ 20 KiB.
//   node bench/sdk-size.mjs        prints the figures (needs the build: pnpm build)
// test/sdk-size.test.ts guards the budget in `pnpm test`.
import { gzipSync } from "node:zlib";
import { build } from "esbuild";

export const sdkBudgetBytes = 20 * 1024;

const entry = `
import { Cdp } from "@cdp/sdk";
const cdp = new Cdp({ apiKey: "sk_test", baseUrl: "https://cdp.example.com" });
const { customer } = await cdp.customers.create({ email: "ann@example.com", firstName: "Ann" });
console.log(await cdp.customers.get(customer.id));
for await (const match of cdp.customers.list({ q: "ann" })) console.log(match.id);
`;

export async function measureSdkSize() {
  const result = await build({
    stdin: { contents: entry, resolveDir: new URL("../packages/sdk/", import.meta.url).pathname, loader: "js" },
    bundle: true,
    minify: true,
    format: "esm",
    platform: "browser",
    target: "es2022",
    write: false,
    metafile: true,
    alias: { "@cdp/sdk": new URL("../packages/sdk/dist/index.js", import.meta.url).pathname },
  });
  const code = result.outputFiles[0].contents;
  const inputs = Object.values(result.metafile.outputs)[0].inputs;
  const byPackage = {};
  for (const [path, { bytesInOutput }] of Object.entries(inputs)) {
    const name = path.match(/.*node_modules\/((@[^/]+\/)?[^/]+)/)?.[1] ?? path.match(/packages\/([^/]+)/)?.[1] ?? "entry";
    byPackage[name] = (byPackage[name] ?? 0) + bytesInOutput;
  }
  return { minified: code.length, gzip: gzipSync(code, { level: 9 }).length, byPackage };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { minified, gzip, byPackage } = await measureSdkSize();
  console.log("@cdp/sdk in a browser bundle (create + get + list customers), esbuild --minify, gzip -9");
  for (const [name, bytes] of Object.entries(byPackage).sort((a, b) => b[1] - a[1]))
    console.log(`  ${name.padEnd(16)} ${String(bytes).padStart(7)} B minified`);
  console.log(
    `  total            ${String(minified).padStart(7)} B minified, ${gzip} B gzip (budget ${sdkBudgetBytes} B): ${gzip <= sdkBudgetBytes ? "PASS" : "FAIL"}`,
  );
}
