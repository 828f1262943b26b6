// Node tracker benchmark (DESIGN.md §10): @cdp/node against @segment/analytics-node, in the same run
// and against the same local sink, each with its defaults. Each client runs in a child process of its
// own (so its peak RSS is its own), sends N tracks, then closes (flushes); the sink, in this process,
// counts requests, messages, duplicates and losses by messageId.
//   node --max-old-space-size=16384 bench/node-tracker.bench.mjs    full: 50,000 tracks, burst and yielding producer
//   node bench/node-tracker.bench.mjs --quick                        1%: 500 tracks (what `pnpm test` runs)
//   node bench/node-tracker.bench.mjs --events 200000 --runs 3       any scale, best of several runs
//   node bench/node-tracker.bench.mjs --scenario burst --profile DIR  one scenario; a CPU profile of each client in DIR
// Scenarios: `burst` calls track N times in one synchronous loop; `yield` awaits setImmediate after
// each call (a server handling requests). events/s = N / (first call → close() resolved).
// Budget: ≥ 5× Segment's events/s at ≤ 1/5 of its peak RSS, zero loss. Timing never fails the run;
// loss or duplicates of @cdp/node do (exit 1).
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { createServer } from "node:http";
import { cpus, loadavg } from "node:os";
import { fileURLToPath, pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { mib, positiveInt } from "./support.mjs";

const { values: args } = parseArgs({
  options: {
    quick: { type: "boolean", default: false },
    events: { type: "string" },
    runs: { type: "string", default: "1" },
    scenario: { type: "string" },
    profile: { type: "string" },
    // child mode (internal)
    child: { type: "string" },
    url: { type: "string" },
    "write-key": { type: "string", default: "wk_bench" },
  },
});

const nodeEntry = fileURLToPath(new URL("../packages/node/dist/index.js", import.meta.url));

if (args.child) await runClient(args.child, args.scenario, Number(args.events), args.url);
else await main();

// ---------------------------------------------------------------------------------------------
// The parent: the sink and the table.

async function main() {
  if (!existsSync(nodeEntry)) {
    console.error(`${nodeEntry} is missing: run the build first (npx -y pnpm@10 build).`);
    process.exit(1);
  }
  const quick = args.quick;
  const events = args.events ? positiveInt(args.events, "events") : quick ? 500 : 50_000;
  const runs = positiveInt(args.runs, "runs");
  const scenarios = args.scenario ? [args.scenario] : ["burst", "yield"];
  const clients = ["cdp", "segment"];
  const sink = await startSink();
  console.log(
    `node tracker bench: ${events.toLocaleString("en-US")} tracks per run, ${runs} run(s) per client and scenario, Node ${process.version}, ${cpus().length} CPUs, load ${loadavg()[0].toFixed(2)}`,
  );
  console.log("each client with its defaults, in its own process, against the same local sink (200 { accepted, rejected: [] })\n");

  const results = [];
  for (const scenario of scenarios) {
    for (let run = 1; run <= runs; run++) {
      for (const client of clients) {
        sink.reset();
        const report = await child(client, scenario, events, sink.url);
        const seen = sink.snapshot();
        results.push({ client, scenario, run, ...report, ...seen, lost: events - seen.unique, duplicates: seen.messages - seen.unique });
      }
    }
  }
  await sink.close();

  // Best run per client and scenario (highest events/s), as the figures to compare.
  const best = new Map();
  for (const result of results) {
    const key = `${result.client} ${result.scenario}`;
    if (!best.has(key) || best.get(key).eventsPerSecond < result.eventsPerSecond) best.set(key, result);
  }
  const rows = [["client", "scenario", "events/s", "elapsed s", "peak RSS", "requests", "received", "lost", "duplicates", "errors"]];
  for (const result of results) {
    rows.push([
      result.client === "cdp" ? "@cdp/node" : "@segment/analytics-node",
      `${result.scenario}${runs > 1 ? ` #${result.run}` : ""}`,
      Math.round(result.eventsPerSecond).toLocaleString("en-US"),
      (result.elapsedMs / 1000).toFixed(2),
      mib(result.peakRss),
      result.requests.toLocaleString("en-US"),
      result.unique.toLocaleString("en-US"),
      result.lost.toLocaleString("en-US"),
      result.duplicates.toLocaleString("en-US"),
      String(result.errors),
    ]);
  }
  printTable(rows);
  console.log("");

  let wrong = false;
  for (const scenario of scenarios) {
    const ours = best.get(`cdp ${scenario}`);
    const theirs = best.get(`segment ${scenario}`);
    const speed = ours.eventsPerSecond / theirs.eventsPerSecond;
    const memory = ours.peakRss / theirs.peakRss;
    const pass = speed >= 5 && memory <= 0.2 && ours.lost === 0;
    console.log(
      `${scenario}: @cdp/node ${speed.toFixed(1)}× Segment's events/s at ${(memory * 100).toFixed(0)}% of its peak RSS, loss ${ours.lost}, duplicates ${ours.duplicates}` +
        (quick ? "" : ` — budget (≥ 5×, ≤ 20%, zero loss): ${pass ? "PASS" : "FAIL"}`),
    );
    if (results.some((result) => result.client === "cdp" && (result.lost !== 0 || result.duplicates !== 0 || result.undelivered !== 0)))
      wrong = true;
  }
  console.log(wrong ? "answers: @cdp/node lost or doubled events, WRONG" : "answers: @cdp/node delivered every event exactly once, OK");
  process.exit(wrong ? 1 : 0);
}

/** A /v1/batch sink over node:http that counts messages by messageId. */
async function startSink() {
  let seen = new Set();
  let requests = 0;
  let messages = 0;
  const server = createServer((request, response) => {
    const chunks = [];
    request.on("data", (chunk) => chunks.push(chunk));
    request.on("end", () => {
      requests++;
      let batch = [];
      try {
        batch = JSON.parse(Buffer.concat(chunks).toString("utf8")).batch ?? [];
      } catch {
        response.writeHead(400, { "content-type": "application/json" }).end('{"error":{"code":"invalid_json"}}');
        return;
      }
      for (const message of batch) {
        messages++;
        seen.add(message.messageId);
      }
      response.writeHead(200, { "content-type": "application/json" }).end(`{"accepted":${batch.length},"rejected":[]}`);
    });
  });
  server.keepAliveTimeout = 5_000;
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    reset() {
      seen = new Set();
      requests = 0;
      messages = 0;
    },
    snapshot: () => ({ requests, messages, unique: seen.size }),
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(resolve);
      }),
  };
}

function child(client, scenario, events, url) {
  return new Promise((resolve, reject) => {
    const script = fileURLToPath(import.meta.url);
    const proc = spawn(
      process.execPath,
      [
        ...(args.profile ? ["--cpu-prof", `--cpu-prof-dir=${args.profile}`] : []),
        script,
        "--child",
        client,
        "--scenario",
        scenario,
        "--events",
        String(events),
        "--url",
        url,
      ],
      { stdio: ["ignore", "pipe", "inherit"] },
    );
    let output = "";
    proc.stdout.on("data", (chunk) => {
      output += chunk;
    });
    proc.on("exit", (code) => {
      const line = output.trim().split("\n").at(-1);
      if (code !== 0 || !line) return reject(new Error(`${client} ${scenario} exited ${code}: ${output}`));
      resolve(JSON.parse(line));
    });
  });
}

function printTable(rows) {
  const widths = rows[0].map((_, column) => Math.max(...rows.map((row) => row[column].length)));
  rows.forEach((row, index) => {
    console.log(row.map((cell, column) => (column < 2 ? cell.padEnd(widths[column]) : cell.padStart(widths[column]))).join("  "));
    if (index === 0) console.log(widths.map((width) => "-".repeat(width)).join("  "));
  });
}

// ---------------------------------------------------------------------------------------------
// A child: one client, one scenario. Prints one JSON line.

async function runClient(client, scenario, events, url) {
  const track = client === "cdp" ? await cdpClient(url) : await segmentClient(url);
  const message = (n) => ({
    userId: `user-${n % 1000}`,
    event: "Product Viewed",
    properties: {
      product_id: `p-${n % 5000}`,
      sku: `SKU-${n % 5000}`,
      name: "Linen shirt",
      price: 39.9,
      currency: "EUR",
      position: n % 24,
    },
  });
  const started = performance.now();
  if (scenario === "burst") {
    for (let n = 0; n < events; n++) track.send(message(n));
  } else {
    for (let n = 0; n < events; n++) {
      track.send(message(n));
      await new Promise((resolve) => setImmediate(resolve));
    }
  }
  const undelivered = await track.close();
  const elapsedMs = performance.now() - started;
  const peakRss = process.resourceUsage().maxRSS * 1024;
  console.log(JSON.stringify({ elapsedMs, eventsPerSecond: events / (elapsedMs / 1000), peakRss, undelivered, errors: track.errors() }));
}

async function cdpClient(url) {
  const { createNodeTracker } = await import(pathToFileURL(nodeEntry).href);
  const tracker = createNodeTracker({ writeKey: args["write-key"], host: url });
  let errors = 0;
  tracker.on("dropped", (event) => {
    errors += event.messages.length;
  });
  return {
    send: (message) => tracker.track(message),
    close: async () => (await tracker.close({ timeout: 300_000 })).undelivered.length,
    errors: () => errors,
  };
}

async function segmentClient(url) {
  const { Analytics } = await import("@segment/analytics-node");
  const analytics = new Analytics({ writeKey: args["write-key"], host: url, path: "/v1/batch" });
  let errors = 0;
  analytics.on("error", () => {
    errors++;
  });
  return {
    send: (message) => analytics.track(message),
    close: async () => {
      await analytics.closeAndFlush({ timeout: 300_000 });
      return 0;
    },
    errors: () => errors,
  };
}
