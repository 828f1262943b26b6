// The scripted tour: starts `cdp serve` (or uses --url/--key), then walks through the SDK and prints what it did.
//   pnpm demo                         start a backend of its own on a free port
//   pnpm demo --url http://127.0.0.1:4000 --key sk_…   use a running `cdp serve`
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";

const root = new URL("../", import.meta.url);
const sdkEntry = fileURLToPath(new URL("packages/sdk/dist/index.js", root));
const cliBin = fileURLToPath(new URL("packages/cli/dist/bin.js", root));
for (const file of [sdkEntry, cliBin]) {
  if (!existsSync(file)) {
    console.error(`${file} is missing: run the build first (npx pnpm@10 build).`);
    process.exit(1);
  }
}
const { Cdp, CdpError } = await import(sdkEntry);
const { values } = parseArgs({ options: { url: { type: "string" }, key: { type: "string" } } });

let server;
let url = values.url;
let apiKey = values.key;
if (!url || !apiKey) {
  server = spawn(process.execPath, [cliBin, "serve", "--port", "0", "--json"], { stdio: ["ignore", "pipe", "inherit"] });
  const line = await new Promise((resolve, reject) => {
    let out = "";
    server.stdout.on("data", (chunk) => {
      out += chunk;
      if (out.includes("\n")) resolve(out.slice(0, out.indexOf("\n")));
    });
    server.once("exit", (code) => reject(new Error(`cdp serve exited with ${code}`)));
  });
  ({ url, adminKey: apiKey } = JSON.parse(line));
  console.log(`▸ started the reference backend: cdp serve --json → ${url}\n`);
}

const step = (title) => console.log(`\n▸ ${title}`);
const show = (value) => console.log(`  ${JSON.stringify(value)}`);
const cdp = new Cdp({ baseUrl: url, apiKey });

try {
  step("Who am I? cdp.auth.me()");
  const me = await cdp.auth.me();
  show({ role: me.role, workspaceId: me.workspaceId });

  step('Define an extended property: cdp.properties.define({ name: "loyaltyTier", type: "enum", … })');
  show(
    await cdp.properties.define({
      name: "loyaltyTier",
      type: "enum",
      enum: ["bronze", "silver", "gold"],
      description: "Loyalty programme tier",
    }),
  );

  step("Create customers: cdp.customers.create(…)");
  const people = [
    {
      email: "Ann.Lee@Example.com",
      firstName: "Ann",
      lastName: "Lee",
      phone: "+49 151 23456789",
      properties: { loyaltyTier: "gold" },
      tags: ["vip"],
    },
    {
      email: "bob@example.com",
      firstName: "Bob",
      lastName: "Lee",
      address: { city: "Berlin", country: "DE" },
      properties: { loyaltyTier: "silver" },
    },
    { identifiers: [{ type: "userId", value: "shop-1003" }], firstName: "Cleo", lastName: "Park", company: "Example GmbH" },
  ];
  const ids = [];
  for (const person of people) {
    const { customer, outcome } = await cdp.customers.create(person);
    ids.push(customer.id);
    show({ outcome, id: customer.id, email: customer.email, phone: customer.phone, name: `${customer.firstName} ${customer.lastName}` });
  }

  step('The same email again, with onConflict: "merge" (the sync rule) updates Ann instead of failing');
  const synced = await cdp.customers.create({ email: "ann.lee@example.com", jobTitle: "Buyer", tags: ["newsletter"], onConflict: "merge" });
  show({ outcome: synced.outcome, id: synced.customer.id, jobTitle: synced.customer.jobTitle, tags: synced.customer.tags });

  step('Look up by identifier, normalised first: cdp.customers.lookup({ type: "email", value: " ANN.LEE@example.com " })');
  show((await cdp.customers.lookup({ type: "email", value: " ANN.LEE@example.com " })).id);

  step('Full text: cdp.customers.list({ q: "lee" }) — terms are prefixes, case-insensitive');
  for await (const customer of cdp.customers.list({ q: "lee", fields: "firstName,lastName" })) show(customer);

  step('A quoted phrase equals a whole value: cdp.customers.list({ q: "\\"bob@example.com\\"" })');
  show((await cdp.customers.list({ q: '"bob@example.com"', fields: "email" }).page()).data);

  step("Advanced search: silver or gold members in Berlin or with the vip tag");
  const found = await cdp.customers
    .search({
      match: "all",
      conditions: [
        { field: "properties.loyaltyTier", op: "in", value: ["silver", "gold"] },
        {
          match: "any",
          conditions: [
            { field: "address.city", op: "eq", value: "Berlin" },
            { field: "tags", op: "eq", value: "vip" },
          ],
        },
      ],
      fields: "firstName,properties",
    })
    .page();
  show(found.data);

  step('Update with a JSON merge patch: cdp.customers.update(id, { lastName: null, address: { city: "Hamburg" } })');
  const updated = await cdp.customers.update(ids[1], { lastName: null, address: { city: "Hamburg" } });
  show({ lastName: updated.lastName, address: updated.address });

  step("Bad input gets a clear error and changes nothing");
  for (const attempt of [
    () => cdp.customers.create({ email: "not-an-email" }),
    () => cdp.customers.create({ properties: { shoeSize: 42 } }),
    () => cdp.customers.create({ email: "bob@example.com" }),
    () => cdp.customers.update(ids[0], { email: "new@example.com" }),
  ]) {
    try {
      await attempt();
    } catch (error) {
      if (!(error instanceof CdpError)) throw error;
      show({ error: error.name, status: error.status, code: error.code, issues: error.issues });
    }
  }

  step('Consent is an append-only log: cdp.consents.record(id, { purpose: "marketing", decision: "granted", … })');
  await cdp.consents.record(ids[0], {
    purpose: "marketing",
    decision: "granted",
    source: "web_form",
    disclaimer: { version: "v1", approvedAt: "2026-01-01T00:00:00.000Z" },
    proof: { url: "https://shop.example/signup", ip: "203.0.113.7" },
  });
  const consents = await cdp.consents.get(ids[0]);
  show({ marketing: consents.purposes.find((purpose) => purpose.purpose === "marketing")?.state, consentMode: consents.consentMode });

  step("A double opt-in list: subscribe (pending), then confirm (subscribed)");
  const newsletter = await cdp.lists.create({ name: "Newsletter", channel: "email", kind: "marketing", doubleOptIn: true });
  show((await cdp.subscriptions.subscribe(ids[0], newsletter.id, { method: "web_form" })).state);
  show((await cdp.subscriptions.confirm(ids[0], newsletter.id)).state);

  step("An objection to marketing ends every marketing subscription");
  await cdp.consents.record(ids[0], { kind: "objection", purpose: "marketing", active: true });
  show((await cdp.subscriptions.list(ids[0])).data.map(({ listId, state, reason }) => ({ listId, state, reason })));

  step('Delete, with a reason: cdp.customers.delete(id, { reason: "Asked to be forgotten" })');
  show(await cdp.customers.delete(ids[2], { reason: "Asked to be forgotten" }));

  step("Every write is in the audit log: cdp.audit.list()");
  for (const entry of (await cdp.audit.list({ limit: 5 }).page()).data)
    show({ action: entry.action, target: entry.target, reason: entry.reason });

  console.log("\nDone. Every call above went over HTTP to the reference backend through @cdp/sdk.");
} finally {
  server?.kill("SIGTERM");
}
