// Tracking benchmark (DESIGN.md §10): N Segment messages over N/10 identities, sent in-process through
// `backend.fetch` as `/v1/batch` bodies of 100 messages (~700 B each, track / page / identify / alias
// with a browser's context), write key as HTTP Basic user name, validation on, with identity
// resolution and ≥ 5% of the messages merging two profiles. Then every answer is checked through the
// admin API.
//   node --max-old-space-size=16384 bench/tracking.bench.mjs        full run: 1,000,000 messages, 100,000 identities
//   node bench/tracking.bench.mjs --quick                            1% scale, no budget verdict (what `pnpm test` runs)
//   node bench/tracking.bench.mjs --messages 200000                  any scale (identities = messages / 10)
//   node bench/tracking.bench.mjs --profile tracking.cpuprofile       CPU profile of the send phase (open in Chrome DevTools)
//   node bench/tracking.bench.mjs --backend /tmp/other/index.js        another build of @cdp/backend, to compare
// Timing never fails the run; a wrong answer does (exit 1).
import { existsSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { fileURLToPath, pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { cpuTimes, memory, mib, mulberry32, positiveInt, sampleMemory, stealPercent, watchPhase } from "./support.mjs";

const { values: args } = parseArgs({
  options: {
    backend: { type: "string" },
    quick: { type: "boolean", default: false },
    messages: { type: "string" },
    "batch-size": { type: "string", default: "100" },
    concurrency: { type: "string", default: "1" },
    seed: { type: "string", default: "20261123" },
    profile: { type: "string" },
  },
});
// --backend <file>: another build of @cdp/backend (to compare a change before it lands).
const backendEntry = args.backend ?? fileURLToPath(new URL("../packages/backend/dist/index.js", import.meta.url));
if (!existsSync(backendEntry)) {
  console.error(`${backendEntry} is missing: run the build first (npx pnpm@10 build).`);
  process.exit(1);
}
const { createBackend } = await import(pathToFileURL(backendEntry).href);

const quick = args.quick;
const messagesPerIdentity = 10;
const requested = args.messages ? positiveInt(args.messages, "messages") : quick ? 10_000 : 1_000_000;
if (requested < 1_000) {
  console.error("--messages takes 1000 at least");
  process.exit(2);
}
const identityCount = Math.ceil(requested / messagesPerIdentity);
const messageCount = identityCount * messagesPerIdentity;
const batchSize = positiveInt(args["batch-size"], "batch-size");
const concurrency = positiveInt(args.concurrency, "concurrency");
const seed = positiveInt(args.seed, "seed");
const budget = 100_000;
/** Identities whose sessions interleave at any moment (each sends its 10 messages in order, mixed with the others'). */
const poolSize = Math.max(10, Math.min(2_000, Math.floor(identityCount / 4)));

// ---------------------------------------------------------------------------------------------
// Memory: the OS's own peak (getrusage maxRSS) plus periodic samples of rss and heap.

// ---------------------------------------------------------------------------------------------
// Deterministic identities. Each one is a person with 1 to 3 devices (anonymous ids); each script is
// 10 messages, sent in order but interleaved with other people's:
//   1 device  (40%): anonymous browsing, then identify (attach: userId and email join the profile).
//   2 devices (45%): browsing on both, identify on the first (attach), identify on the second: MERGE.
//     Of these, 30% sign up to the newsletter on the second device first (identify with anonymousId +
//     email): then the login on the first device, naming the email, is the MERGE.
//   3 devices (15%): browsing on all three, identify on the first, identify on the second (MERGE),
//     alias of the third (MERGE).
// So a person ends as one profile, holding its userId, its email and every anonymous id, with every
// event of its track and page messages, and the merges are sum(devices − 1) ≈ 7.5% of the messages.

const random = mulberry32(seed);
const pick = (list) => list[Math.floor(random() * list.length)];

/** A uuid-shaped string from two numbers (cheap, deterministic, unique per (a, b) for the sizes used). */
const hex = (value, width) => (value >>> 0).toString(16).padStart(width, "0").slice(-width);
const mix = (a, b) => {
  let h = Math.imul(a ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(b + 0x7f4a7c15, 0xc2b2ae35);
  h ^= h >>> 13;
  return Math.imul(h, 0x27d4eb2f) >>> 0;
};
const uuidOf = (a, b) =>
  `${hex(mix(a, b), 8)}-${hex(b, 4)}-4${hex(a >>> 16, 3)}-a${hex(mix(b, a), 3)}-${hex(a & 0xffff, 4)}${hex(mix(a + 1, b), 8)}`;
const anonymousIdOf = (person, device) => uuidOf(person, device + 1);
const userIdOf = (person) => `user-${String(person).padStart(7, "0")}`;

const firstNames = "James Mary John Patricia Robert Jennifer Michael Linda William Elizabeth David Barbara Zoë Søren José Ingrid".split(
  " ",
);
const lastNames = "Smith Johnson Williams Brown Jones Garcia Miller Davis Müller Dubois Rossi Nowak Tanaka Öztürk Jensen".split(" ");
const nameOf = (person) => ({
  first: firstNames[person % firstNames.length],
  last: lastNames[Math.floor(person / firstNames.length) % lastNames.length],
});
const emailOf = (person) => {
  const { first, last } = nameOf(person);
  const ascii = (text) => text.normalize("NFD").replace(/\p{M}/gu, "").replace(/ø/g, "o").toLowerCase();
  return `${ascii(first)}.${ascii(last)}.${person}@example.com`;
};

/** Devices per person, from a per-person draw (so the checks at the end know it without storing it). */
const devicesOf = (person) => {
  const draw = mix(person, seed) / 0x1_0000_0000;
  return draw < 0.4 ? 1 : draw < 0.85 ? 2 : 3;
};
const newsletterFirst = (person) => devicesOf(person) === 2 && mix(seed, person) / 0x1_0000_0000 < 0.3;

/** A step: [kind, device (-1: none), identified?] — kind t = track, p = page, i = identify, n = newsletter identify, a = alias. */
function scriptOf(person) {
  const devices = devicesOf(person);
  if (devices === 1) {
    return [
      ["p", 0, false],
      ["t", 0, false],
      ["p", 0, false],
      ["t", 0, false],
      ["i", 0, true],
      ["t", 0, true],
      ["t", 0, true],
      ["p", 0, true],
      ["t", 0, true],
      ["p", 0, true],
    ];
  }
  if (devices === 2 && newsletterFirst(person)) {
    return [
      ["p", 0, false],
      ["t", 0, false],
      ["n", 1, false],
      ["p", 1, false],
      ["i", 0, true], // names the email the newsletter profile holds: merge
      ["t", 0, true],
      ["i", 1, true],
      ["t", 1, true],
      ["p", 1, true],
      ["t", 0, true],
    ];
  }
  if (devices === 2) {
    return [
      ["p", 0, false],
      ["t", 0, false],
      ["p", 1, false],
      ["t", 1, false],
      ["i", 0, true],
      ["t", 0, true],
      ["i", 1, true], // the second device's profile joins the user's: merge
      ["t", 1, true],
      ["p", 1, true],
      ["t", 0, true],
    ];
  }
  return [
    ["p", 0, false],
    ["p", 1, false],
    ["p", 2, false],
    ["t", 2, false],
    ["i", 0, true],
    ["i", 1, true], // merge
    ["t", 1, true],
    ["a", 2, true], // alias of the third device: merge
    ["t", 2, true],
    ["p", 0, true],
  ];
}
const eventsOf = (person) => scriptOf(person).filter(([kind]) => kind === "t" || kind === "p").length;

// ---------------------------------------------------------------------------------------------
// Messages as a browser's analytics.js sends them (through a server-side batcher): ~700 B each.

const products = [
  ["SKU-1042", "Merino Wool Sweater", "Apparel", "Northwind", "89.00"],
  ["SKU-2210", "Trail Running Shoes", "Footwear", "Contoso", "129.95"],
  ["SKU-3307", "Insulated Water Bottle", "Outdoor", "Fabrikam", "24.50"],
  ["SKU-4120", "Canvas Backpack", "Bags", "Northwind", "64.00"],
  ["SKU-5581", "Wireless Earbuds", "Electronics", "Litware", "149.00"],
  ["SKU-6034", "Linen Shirt", "Apparel", "Contoso", "49.90"],
];
const userAgents = [
  "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36",
  "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1",
  "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_6) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.0 Safari/605.1.15",
];
const trackEvents = ["Product Viewed", "Product Added", "Checkout Started", "Order Completed", "Products Searched"];
const origin = "https://shop.example.com";
const start = Date.parse("2026-11-01T00:00:00.000Z");
let sequence = 0;

function contextOf(person, device, path, title) {
  return {
    library: { name: "analytics.js", version: "next-1.72.0" },
    page: { path, referrer: device === 0 ? "https://www.google.com/" : "", title, url: `${origin}${path}` },
    userAgent: userAgents[(person + device) % userAgents.length],
    locale: "en-US",
    ip: `203.0.${person % 250}.${(device * 37) % 250}`,
  };
}

function messageOf(person, [kind, device, identified]) {
  const n = sequence++;
  const product = products[(person + n) % products.length];
  const path = `/products/${product[0].toLowerCase()}`;
  const timestamp = new Date(start + n * 1_000).toISOString();
  const base = {
    messageId: `ajs-next-${uuidOf(n, person)}`,
    timestamp,
    ...(identified ? { userId: userIdOf(person) } : {}),
    ...(device >= 0 && kind !== "a" ? { anonymousId: anonymousIdOf(person, device) } : {}),
  };
  const context = contextOf(person, device, path, `${product[1]} | Shop`);
  if (kind === "p") {
    return {
      type: "page",
      ...base,
      name: product[1],
      properties: { path, title: context.page.title, url: context.page.url },
      context,
    };
  }
  if (kind === "t") {
    const event = pick(trackEvents);
    const [sku, name, category, brand, price] = product;
    const properties =
      event === "Order Completed"
        ? { order_id: `ord-${n}`, total: price, currency: "EUR", products: [{ product_id: sku, name, price, quantity: 1 }] }
        : event === "Products Searched"
          ? { query: name.split(" ")[0].toLowerCase() }
          : { product_id: sku, name, category, brand, price, currency: "EUR" };
    return { type: "track", ...base, event, properties, context };
  }
  if (kind === "a") {
    return {
      type: "alias",
      messageId: base.messageId,
      timestamp,
      previousId: anonymousIdOf(person, device),
      userId: userIdOf(person),
      context,
    };
  }
  const { first, last } = nameOf(person);
  const traits =
    kind === "n"
      ? { email: emailOf(person), newsletter: true }
      : { email: emailOf(person), firstName: first, lastName: last, plan: person % 7 === 0 ? "pro" : "free" };
  return { type: "identify", ...base, traits, context };
}

// The schedule: a pool of people whose sessions interleave; the next message comes from a random one.
const pool = [];
let nextPerson = 0;
const enter = () => pool.push({ person: nextPerson, script: scriptOf(nextPerson++), step: 0 });
while (pool.length < poolSize && nextPerson < identityCount) enter();
const counts = { track: 0, page: 0, identify: 0, alias: 0, bytes: 0 };
function nextBatch() {
  const batch = [];
  while (batch.length < batchSize && pool.length > 0) {
    const slot = Math.floor(random() * pool.length);
    const session = pool[slot];
    const message = messageOf(session.person, session.script[session.step++]);
    counts[message.type]++;
    batch.push(message);
    if (session.step === session.script.length) {
      if (nextPerson < identityCount) pool[slot] = { person: nextPerson, script: scriptOf(nextPerson++), step: 0 };
      else pool.splice(slot, 1);
    }
  }
  return batch;
}

// ---------------------------------------------------------------------------------------------
// Requests go through backend.fetch: routing, auth, body limits, validation, identity resolution.

const backend = createBackend({ seed });
const baseUrl = "http://cdp.test";
const writeKeyAuth = `Basic ${btoa(`${backend.writeKey}:`)}`;
const adminAuth = `Bearer ${backend.adminKey}`;
const problems = [];
let wrongAnswers = 0;
const check = (ok, message) => {
  if (!ok && wrongAnswers++ < 20) problems.push(message);
  return ok;
};
const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? 0;

async function admin(path) {
  const response = await backend.fetch(`${baseUrl}${path}`, { headers: { authorization: adminAuth } });
  return { status: response.status, json: await response.json() };
}

const expectedMerges = (() => {
  let merges = 0;
  for (let person = 0; person < identityCount; person++) merges += devicesOf(person) - 1;
  return merges;
})();

const loadAtStart = loadavg()[0];
console.log(
  `tracking bench: ${messageCount.toLocaleString("en-US")} messages over ${identityCount.toLocaleString("en-US")} identities, ` +
    `/v1/batch of ${batchSize}, ${concurrency} in flight, ${poolSize.toLocaleString("en-US")} sessions interleaved, Node ${process.version}, ` +
    `${cpus().length} CPUs, ${quick ? "quick mode (no budget verdict)" : `budget ≥ ${budget.toLocaleString("en-US")} messages/s`}`,
);

// ---------------------------------------------------------------------------------------------
// Send. Each batch's body is built before its clock starts: the time is the backend's (routing to
// the answer read), the client's JSON.stringify is not in it.

const phase = await watchPhase(args.profile);
const gcPauses = phase.gcPauses;

const batchCount = Math.ceil(messageCount / batchSize);
const latencies = new Float64Array(batchCount);
let batchesSent = 0;
let busyMs = 0;
let accepted = 0;
/** About 200 of the bodies, kept to time this machine's floor after the send (see `floorOf`). */
const floorBodies = [];
const floorEvery = Math.max(1, Math.floor(batchCount / 200));
const cpuAtStart = cpuTimes();
const sendStart = performance.now();
async function sender() {
  for (;;) {
    const batch = nextBatch();
    if (batch.length === 0) return;
    const index = batchesSent++;
    const body = JSON.stringify({ batch, sentAt: new Date(start + sequence * 1_000).toISOString() });
    counts.bytes += Buffer.byteLength(body);
    if (index % floorEvery === 0) floorBodies.push(body);
    const started = performance.now();
    const response = await backend.fetch(`${baseUrl}/v1/batch`, {
      method: "POST",
      headers: { authorization: writeKeyAuth, "content-type": "application/json" },
      body,
    });
    const answer = await response.json();
    const elapsed = performance.now() - started;
    latencies[index] = elapsed;
    busyMs += elapsed;
    if (
      check(
        response.status === 200 && answer.accepted === batch.length && answer.rejected.length === 0,
        `batch #${index} answered ${response.status}: ${JSON.stringify(answer).slice(0, 500)}`,
      )
    ) {
      accepted += answer.accepted;
    }
    if (index % 50 === 0) {
      sampleMemory();
      // A turn of the event loop (untimed), as a server gets between requests: GC entries and timers are delivered.
      await new Promise((resolve) => setImmediate(resolve));
    }
  }
}
await Promise.all(Array.from({ length: concurrency }, sender));
const wallSeconds = (performance.now() - sendStart) / 1000;
const stealDuringSend = stealPercent(cpuAtStart, cpuTimes());
await new Promise((resolve) => setTimeout(resolve, 20));
const loadAfterSend = loadavg()[0];
if (await phase.stop()) console.log(`CPU profile of the send phase written to ${args.profile}`);
sampleMemory();
const heapAfterSend = process.memoryUsage().heapUsed;

/**
 * The floor this machine sets, measured in the same process after the send (the heap holds what the
 * send stored, as it did during the send): the two steps no design of the backend avoids, `JSON.parse`
 * of a body and serialising each event's properties and context once to keep them. Budget figures
 * from different machines compare through it. The fastest of three passes over the kept bodies.
 */
function floorOf(bodies) {
  let best = { parse: Number.POSITIVE_INFINITY, serialise: Number.POSITIVE_INFINITY };
  for (let pass = 0; pass < 3; pass++) {
    let parseMs = 0;
    let serialiseMs = 0;
    let messages = 0;
    let length = 0;
    for (const body of bodies) {
      const parsing = performance.now();
      const parsed = JSON.parse(body);
      const serialising = performance.now();
      for (const message of parsed.batch) length += JSON.stringify([message.properties ?? message.traits, message.context]).length;
      serialiseMs += performance.now() - serialising;
      parseMs += serialising - parsing;
      messages += parsed.batch.length;
    }
    check(length > 0, "the floor serialised nothing");
    const parse = (parseMs * 1000) / messages;
    const serialise = (serialiseMs * 1000) / messages;
    if (parse + serialise < best.parse + best.serialise) best = { parse, serialise };
  }
  return best;
}
const floor = floorOf(floorBodies);

// ---------------------------------------------------------------------------------------------
// Check, through the admin API: one live profile per person, holding exactly its identifiers and all
// of its events; the merges counted from the changelogs.

const checkStart = performance.now();
check(accepted === messageCount, `accepted ${accepted} of ${messageCount} messages`);
const byUserId = new Map();
let listed = 0;
{
  let cursor = null;
  do {
    const page = await admin(
      `/v1/customers?limit=1000&fields=identifiers,status,firstName${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`,
    );
    if (!check(page.status === 200, `customer list answered ${page.status}: ${JSON.stringify(page.json).slice(0, 300)}`)) break;
    for (const customer of page.json.data) {
      listed++;
      const userIds = customer.identifiers.filter((identifier) => identifier.type === "userId");
      if (
        check(userIds.length === 1, `${customer.id} holds ${userIds.length} userIds: ${JSON.stringify(customer.identifiers).slice(0, 300)}`)
      ) {
        byUserId.set(userIds[0].value, customer);
      }
    }
    cursor = page.json.nextCursor;
  } while (cursor);
}
check(listed === identityCount, `${listed} live profiles, expected one per identity: ${identityCount}`);

let eventsFound = 0;
let mergesFound = 0;
for (let person = 0; person < identityCount; person++) {
  const customer = byUserId.get(userIdOf(person));
  if (!check(customer !== undefined, `no live profile holds ${userIdOf(person)}`)) continue;
  const held = new Set(customer.identifiers.map(({ type, value }) => `${type}:${value}`));
  const expected = [`userId:${userIdOf(person)}`, `email:${emailOf(person)}`];
  for (let device = 0; device < devicesOf(person); device++) expected.push(`anonymousId:${anonymousIdOf(person, device)}`);
  check(
    held.size === expected.length && expected.every((key) => held.has(key)),
    `${customer.id} (${userIdOf(person)}) holds ${[...held].join(", ")}; expected ${expected.join(", ")}`,
  );
  const events = await admin(`/v1/events?customerId=${customer.id}&limit=1000`);
  eventsFound += events.json.data?.length ?? 0;
  check(
    events.status === 200 && events.json.data.length === eventsOf(person),
    `${customer.id} (${userIdOf(person)}) has ${events.json.data?.length} events, expected ${eventsOf(person)}`,
  );
  const changelog = await admin(`/v1/customers/${customer.id}/changelog?limit=1000`);
  const merges = changelog.json.data?.filter((entry) => entry.kind === "merged").length ?? 0;
  mergesFound += merges;
  check(
    changelog.status === 200 && merges === devicesOf(person) - 1,
    `${customer.id} (${userIdOf(person)}) has ${merges} merges, expected ${devicesOf(person) - 1}`,
  );
}
check(
  eventsFound === counts.track + counts.page,
  `${eventsFound} events in all, expected ${counts.track + counts.page} (track + page messages)`,
);

// A sample of 100 people, as a user would look them up: by userId, by email, by each device.
const sampleRandom = mulberry32(seed + 1);
for (let i = 0; i < 100; i++) {
  const person = Math.floor(sampleRandom() * identityCount);
  const byUser = await admin(`/v1/customers/lookup?type=userId&value=${userIdOf(person)}`);
  if (!check(byUser.status === 200 && byUser.json.status === "active", `lookup ${userIdOf(person)} answered ${byUser.status}`)) continue;
  check(byUser.json.email === emailOf(person), `${userIdOf(person)}'s profile has email ${byUser.json.email}, expected ${emailOf(person)}`);
  check(byUser.json.firstName === nameOf(person).first, `${userIdOf(person)}'s profile has firstName ${byUser.json.firstName}`);
  const byEmail = await admin(`/v1/customers/lookup?type=email&value=${encodeURIComponent(emailOf(person))}`);
  check(byEmail.json.id === byUser.json.id, `lookup of ${emailOf(person)} answered ${byEmail.json.id}, not ${byUser.json.id}`);
  for (let device = 0; device < devicesOf(person); device++) {
    const byDevice = await admin(`/v1/customers/lookup?type=anonymousId&value=${anonymousIdOf(person, device)}`);
    check(
      byDevice.json.id === byUser.json.id,
      `lookup of ${userIdOf(person)}'s device ${device} answered ${byDevice.json.id}, not ${byUser.json.id}`,
    );
  }
}
const checkSeconds = (performance.now() - checkStart) / 1000;
sampleMemory();
const osPeakRss = process.resourceUsage().maxRSS * 1024;

// ---------------------------------------------------------------------------------------------
// Report.

const fixed = (value, digits = 2) => value.toFixed(digits);
const whole = (value) => Math.round(value).toLocaleString("en-US");
const perSecond = messageCount / (busyMs / 1000);
latencies.sort();
const gcTotal = gcPauses.reduce((sum, pause) => sum + pause, 0);
console.log("");
console.log(
  `sent: ${whole(messageCount)} messages in ${whole(batchCount)} batches: track ${whole(counts.track)}, page ${whole(counts.page)}, ` +
    `identify ${whole(counts.identify)}, alias ${whole(counts.alias)}; ${whole(counts.bytes / messageCount)} B a message on average ` +
    `(${fixed(counts.bytes / batchCount / 1024, 1)} KiB a body)`,
);
console.log(
  `throughput: ${whole(perSecond)} messages/s (backend time ${fixed(busyMs / 1000, 1)} s; wall ${fixed(wallSeconds, 1)} s with building the bodies)`,
);
console.log(
  `batch latency: p50 ${fixed(percentile(latencies, 50))} ms, p99 ${fixed(percentile(latencies, 99))} ms, max ${fixed(latencies[latencies.length - 1] ?? 0)} ms`,
);
console.log(
  `merges: ${whole(mergesFound)} observed (changelogs), ${whole(expectedMerges)} expected, ${fixed((100 * mergesFound) / messageCount, 1)}% of the messages; ` +
    `${whole(listed)} live profiles for ${whole(identityCount)} identities`,
);
console.log(
  `GC during the send: ${gcPauses.length} pauses, ${fixed(gcTotal, 0)} ms in all, longest ${fixed(Math.max(0, ...gcPauses))} ms; ` +
    `load average (1 min) ${fixed(loadAtStart)} at the start, ${fixed(loadAfterSend)} after the send`,
);
console.log(
  `memory: heap used after the send ${mib(heapAfterSend)}, peak heap used (sampled) ${mib(memory.peakHeap)}, ` +
    `peak RSS ${mib(Math.max(memory.peakRss, osPeakRss))} (sampled ${mib(memory.peakRss)}, OS maxRSS ${mib(osPeakRss)})`,
);
const allowed = 1e6 / budget;
console.log(
  `floor of this machine (same process, after the send, ${whole(floorBodies.length)} bodies, fastest of 3): JSON.parse of the bodies ` +
    `${fixed(floor.parse)} µs a message, serialising each event's properties and context ${fixed(floor.serialise)} µs: ` +
    `${fixed(floor.parse + floor.serialise)} of the ${fixed(allowed)} µs a message that ${whole(budget)} messages/s allows; ` +
    `the backend took ${fixed((busyMs * 1000) / messageCount)} µs a message, ${fixed((busyMs * 1000) / messageCount / (floor.parse + floor.serialise), 1)} times the floor`,
);
console.log(
  `CPU steal during the send (/proc/stat, time the VM's host gave to other guests): ${stealDuringSend === undefined ? "unknown" : `${fixed(stealDuringSend, 1)}%`}`,
);
console.log(`checks: ${whole(identityCount)} profiles, their events and changelogs, 100 sampled lookups, in ${fixed(checkSeconds, 1)} s`);

if (wrongAnswers > 0) {
  console.error(`\nFAILED: ${wrongAnswers} wrong answer(s)${wrongAnswers > problems.length ? `, the first ${problems.length}` : ""}:`);
  for (const problem of problems) console.error(`  - ${problem}`);
  process.exit(1);
}
if (!quick) {
  const scaleNote = messageCount === 1_000_000 ? "" : " (the budget is set at 1,000,000 messages over 100,000 identities)";
  console.log(
    perSecond >= budget
      ? `budget: PASS, ${whole(perSecond)} ≥ ${whole(budget)} messages/s${scaleNote}`
      : `budget: FAIL, ${whole(perSecond)} < ${whole(budget)} messages/s${scaleNote} (timing never fails the run)`,
  );
}
console.log("answers: all checked, OK");
await backend.close();
