// The @cdp/browser budget (DESIGN.md §10): the main entry as the README imports it, with init +
// track + identify + page, bundled by esbuild (minified, ESM, browser) with its dependencies, gzip -9:
// ≤ 6,144 bytes. Segment's analytics-next and RudderStack's analytics-js are built the same way for
// comparison (devDependencies of the workspace root).
//   node bench/browser-size.mjs           prints the figures (needs the build: pnpm build)
// test/browser-size.test.ts guards the budget in `pnpm test` with measureBrowserSize().
import { gzipSync } from "node:zlib";
import { build } from "esbuild";

export const browserBudgetBytes = 6 * 1024;

/** The pages measured: each starts a tracker and sends a track, an identify and a page. */
export const browserEntries = {
  cdp: {
    title: "@cdp/browser (the budget)",
    code: `
import { createBrowserTracker } from "@cdp/browser";
const cdp = createBrowserTracker({ writeKey: "wk_test", host: "https://cdp.example.com", consent: { required: true } });
cdp.track("Product Added", { product_id: "p-1", price: 20 });
cdp.identify("u-42", { email: "ann@example.com" });
cdp.page();`,
  },
  segment: {
    title: "@segment/analytics-next (AnalyticsBrowser.load)",
    code: `
import { AnalyticsBrowser } from "@segment/analytics-next";
const analytics = AnalyticsBrowser.load({ writeKey: "wk_test" });
analytics.track("Product Added", { product_id: "p-1", price: 20 });
analytics.identify("u-42", { email: "ann@example.com" });
analytics.page();`,
  },
  rudderstack: {
    title: "@rudderstack/analytics-js (RudderAnalytics.load)",
    code: `
import { RudderAnalytics } from "@rudderstack/analytics-js";
const analytics = new RudderAnalytics();
analytics.load("wk_test", "https://cdp.example.com");
analytics.track("Product Added", { product_id: "p-1", price: 20 });
analytics.identify("u-42", { email: "ann@example.com" });
analytics.page();`,
  },
};

const root = new URL("../", import.meta.url).pathname;

/** Bundles one entry and answers its sizes: minified bytes, gzip -9 bytes, minified bytes per package. */
export async function measureBrowserSize(name = "cdp", { splitting = true } = {}) {
  const result = await build({
    stdin: { contents: browserEntries[name].code, resolveDir: `${root}packages/browser/`, loader: "js" },
    bundle: true,
    minify: true,
    format: "esm",
    platform: "browser",
    target: "es2022",
    write: false,
    metafile: true,
    logLevel: "silent",
    // With splitting, dynamic imports (Segment's plugins) become chunks and the entry chunk is what a page loads first;
    // without it, they are inlined into one file.
    splitting,
    outdir: "/tmp/cdp-browser-size",
    alias: name === "cdp" ? { "@cdp/browser": `${root}packages/browser/dist/index.js` } : {},
    nodePaths: [`${root}node_modules`],
  });
  const entry = result.outputFiles.find(
    (file) => Object.values(result.metafile.outputs).find((output) => output.entryPoint) && file.path.endsWith("stdin.js"),
  );
  const all = result.outputFiles.filter((file) => file.path.endsWith(".js"));
  const byPackage = {};
  for (const output of Object.values(result.metafile.outputs)) {
    for (const [path, { bytesInOutput }] of Object.entries(output.inputs)) {
      const pkg = path.match(/.*node_modules\/((@[^/]+\/)?[^/]+)/)?.[1] ?? path.match(/packages\/([^/]+)/)?.[1] ?? "entry";
      byPackage[pkg] = (byPackage[pkg] ?? 0) + bytesInOutput;
    }
  }
  const code = (entry ?? all[0]).contents;
  const allCode = Buffer.concat(all.map((file) => file.contents));
  return {
    minified: code.length,
    gzip: gzipSync(code, { level: 9 }).length,
    chunks: all.length,
    allMinified: allCode.length,
    allGzip: all.reduce((sum, file) => sum + gzipSync(file.contents, { level: 9 }).length, 0),
    byPackage,
    text: (entry ?? all[0]).text,
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(
    "Browser trackers, init + track + identify + page: esbuild --bundle --minify --format=esm --platform=browser --target=es2022 (--splitting), gzip -9",
  );
  for (const name of Object.keys(browserEntries)) {
    let size;
    try {
      size = await measureBrowserSize(name);
    } catch (error) {
      console.log(`\n${browserEntries[name].title}: cannot be built here (${error.message.split("\n")[0]})`);
      continue;
    }
    const verdict = name === "cdp" ? ` (budget ${browserBudgetBytes} B): ${size.gzip <= browserBudgetBytes ? "PASS" : "FAIL"}` : "";
    console.log(`\n${browserEntries[name].title}`);
    for (const [pkg, bytes] of Object.entries(size.byPackage)
      .sort((a, b) => b[1] - a[1])
      .slice(0, 6))
      console.log(`  ${pkg.padEnd(36)} ${String(bytes).padStart(7)} B minified`);
    console.log(`  entry chunk       ${String(size.minified).padStart(7)} B minified, ${size.gzip} B gzip${verdict}`);
    if (size.chunks > 1) {
      console.log(
        `  all ${size.chunks} chunks     ${String(size.allMinified).padStart(7)} B minified, ${size.allGzip} B gzip (the entry and the chunks it loads on demand, each gzipped)`,
      );
      const single = await measureBrowserSize(name, { splitting: false });
      console.log(
        `  one file          ${String(single.minified).padStart(7)} B minified, ${single.gzip} B gzip (no splitting: the chunks inlined)`,
      );
    }
  }
}
