// The @cdp/sdk browser budget (DESIGN.md §10): a back-office page that creates, gets and lists
// customers, bundled with its dependencies by esbuild (minified, ESM, browser), gzip -9: ≤ 20 KiB.
// Two ways to write that page are measured:
//   modular  ApiClient + Customers: only the customer routes' schemas come along. The budget.
//   full     new Cdp(): every resource, so every route's schemas. Printed for information.
//   node bench/sdk-size.mjs        prints the figures (needs the build: pnpm build)
// test/sdk-size.test.ts guards the budget in `pnpm test`.
import { gzipSync } from "node:zlib";
import { build } from "esbuild";

export const sdkBudgetBytes = 20 * 1024;

const calls = (customers) => `
const { customer } = await ${customers}.create({ email: "ann@example.com", firstName: "Ann" });
console.log(await ${customers}.get(customer.id));
for await (const match of ${customers}.list({ q: "ann" })) console.log(match.id);
`;

/** The pages measured, each creating, getting and listing customers. */
export const sdkEntries = {
  modular: {
    title: "modular: ApiClient + Customers (the budget)",
    code: `
import { ApiClient, Customers } from "@cdp/sdk";
const customers = new Customers(new ApiClient({ apiKey: "sk_test", baseUrl: "https://cdp.example.com" }));
${calls("customers")}`,
  },
  full: {
    title: "full client: new Cdp() (information, no budget)",
    code: `
import { Cdp } from "@cdp/sdk";
const cdp = new Cdp({ apiKey: "sk_test", baseUrl: "https://cdp.example.com" });
${calls("cdp.customers")}`,
  },
};

/** Bundles one entry (`modular` or `full`) and answers its sizes (minified bytes per package included) and its code. */
export async function measureSdkSize(name = "modular") {
  const result = await build({
    stdin: { contents: sdkEntries[name].code, resolveDir: new URL("../packages/sdk/", import.meta.url).pathname, loader: "js" },
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
  return { minified: code.length, gzip: gzipSync(code, { level: 9 }).length, byPackage, text: result.outputFiles[0].text };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log("@cdp/sdk in a browser bundle (create + get + list customers), esbuild --minify, gzip -9");
  for (const name of Object.keys(sdkEntries)) {
    const { minified, gzip, byPackage } = await measureSdkSize(name);
    const verdict = name === "modular" ? ` (budget ${sdkBudgetBytes} B): ${gzip <= sdkBudgetBytes ? "PASS" : "FAIL"}` : "";
    console.log(`\n${sdkEntries[name].title}`);
    for (const [pkg, bytes] of Object.entries(byPackage).sort((a, b) => b[1] - a[1]))
      console.log(`  ${pkg.padEnd(16)} ${String(bytes).padStart(7)} B minified`);
    console.log(`  total            ${String(minified).padStart(7)} B minified, ${gzip} B gzip${verdict}`);
  }
}
