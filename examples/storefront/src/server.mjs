// The storefront example: a small shop using @cdp/browser, served beside the reference backend.
//   node examples/storefront/src/server.mjs        (= npx -y pnpm@10 start at the repository's root)
// Environment: PORT (shop, default 3000), API_PORT (backend, default 4000), HOST (default 127.0.0.1).
//
// The shop's pages track with the workspace's write key, which is public. The customer card page
// reads the backend with the admin key, which stays in this process: the page asks this server
// (/api/card), which asks the backend. No secret key ever reaches a browser.
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { createServer } from "node:http";
import { fileURLToPath } from "node:url";
import { createBackend } from "@cdp/backend";
import { Cdp } from "@cdp/sdk";
import { build } from "esbuild";

const clientDir = fileURLToPath(new URL("./client/", import.meta.url));

/**
 * Starts the backend and the shop. Resolves to `{ url, apiUrl, backend, cdp, close }`.
 * `shopHostname` and `apiHostname` are the names a browser uses (tests map *.shop.test to 127.0.0.1,
 * so that shop and API are two origins of one top-level domain); both default to `host`.
 */
export async function startStorefront(options = {}) {
  const { port = 3000, apiPort = 4000, host = "127.0.0.1", shopHostname = host, apiHostname = host, log = () => {} } = options;
  const scripts = await bundleClient();
  const backend = createBackend();
  const { url: backendUrl } = await backend.listen({ port: apiPort, host });
  const apiUrl = `http://${apiHostname}:${new URL(backendUrl).port}`;
  const cdp = new Cdp({ baseUrl: backendUrl, apiKey: backend.adminKey });
  const newsletter = await cdp.lists.create({
    name: "Newsletter",
    channel: "email",
    kind: "marketing",
    description: "News from the shop, monthly",
  });
  const accounts = new Map(); // email → { userId, email, firstName, lastName }

  const config = JSON.stringify({ apiUrl, writeKey: backend.writeKey }).replaceAll("<", "\\u003c");
  const page = async (name) =>
    (await readFile(`${clientDir}${name}`, "utf8")).replace("<!--config-->", `<script>window.shopConfig = ${config};</script>`);

  const api = {
    "POST /api/sign-up": async (body) => {
      const email = String(body.email ?? "")
        .trim()
        .toLowerCase();
      if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(email)) return [400, { error: "Enter a valid email address." }];
      if (accounts.has(email)) return [409, { error: "There is an account for that email already: sign in." }];
      const account = { userId: `shop-${accounts.size + 1}`, email, firstName: clean(body.firstName), lastName: clean(body.lastName) };
      // The shop's own record of the account, on the profile the browser's identify() joins.
      const { customer } = await cdp.customers.create({
        email,
        ...(account.firstName ? { firstName: account.firstName } : {}),
        ...(account.lastName ? { lastName: account.lastName } : {}),
        identifiers: [{ type: "userId", value: account.userId }],
        onConflict: "merge",
      });
      if (body.newsletter === true) await cdp.subscriptions.subscribe(customer.id, newsletter.id, { value: email, method: "web_form" });
      accounts.set(email, account);
      log(`sign-up: ${account.userId}`);
      return [201, account];
    },
    "POST /api/sign-in": async (body) => {
      const account = accounts.get(
        String(body.email ?? "")
          .trim()
          .toLowerCase(),
      );
      return account ? [200, account] : [404, { error: "No account for that email: sign up first." }];
    },
    "GET /api/customers": async () => {
      const { data } = await cdp.customers.list({ limit: 20 }).page();
      return [200, { data: data.map(({ id, email, firstName, lastName, createdAt }) => ({ id, email, firstName, lastName, createdAt })) }];
    },
    "GET /api/card": async (_, query) => {
      const customer = await findCustomer(cdp, query.get("customer") ?? "");
      if (!customer) return [404, { error: "No customer with that id, email or user id." }];
      const [identities, consents, subscriptions, timeline, purchases, changelog, events] = await Promise.all([
        cdp.customers.identities(customer.id),
        cdp.consents.get(customer.id),
        cdp.subscriptions.list(customer.id),
        cdp.customers.timeline(customer.id),
        cdp.customers.purchases(customer.id, { period: "month" }),
        cdp.customers.changelog(customer.id).toArray({ max: 50 }),
        cdp.events.list({ customerId: customer.id, limit: 20 }).page(),
      ]);
      return [200, { customer, identities, consents, subscriptions, timeline, purchases, changelog, events: events.data }];
    },
  };

  const server = createServer(async (request, response) => {
    const url = new URL(request.url ?? "/", "http://shop");
    try {
      const route = api[`${request.method} ${url.pathname}`];
      if (route) {
        const body = request.method === "POST" ? JSON.parse((await readBody(request)) || "{}") : {};
        const [status, answer] = await route(body, url.searchParams);
        return send(response, status, "application/json", JSON.stringify(answer));
      }
      if (request.method !== "GET") return send(response, 405, "text/plain", "Method not allowed");
      if (scripts[url.pathname]) return send(response, 200, "text/javascript; charset=utf-8", scripts[url.pathname]);
      if (url.pathname === "/style.css")
        return send(response, 200, "text/css; charset=utf-8", await readFile(`${clientDir}style.css`, "utf8"));
      if (url.pathname === "/favicon.ico") return send(response, 204, "text/plain", "");
      if (url.pathname === "/card") return send(response, 200, "text/html; charset=utf-8", await page("card.html"));
      // Every other path is a page of the single-page shop.
      return send(response, 200, "text/html; charset=utf-8", await page("index.html"));
    } catch (error) {
      log(`error: ${error instanceof Error ? error.message : String(error)}`);
      return send(response, 500, "application/json", JSON.stringify({ error: "Something went wrong on the shop's server." }));
    }
  });
  await new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => resolve(undefined));
  });
  const url = `http://${shopHostname}:${server.address().port}`;
  return {
    url,
    apiUrl,
    backend,
    cdp,
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(() => resolve(undefined)));
      await backend.close();
    },
  };
}

/** A customer by `cus_…` id, email or the shop's user id. */
async function findCustomer(cdp, key) {
  const value = key.trim();
  if (!value) return undefined;
  const attempt = (promise) => promise.catch(() => undefined);
  if (value.startsWith("cus_")) return attempt(cdp.customers.get(value));
  return attempt(cdp.customers.lookup({ type: value.includes("@") ? "email" : "userId", value }));
}

/** The shop's two scripts, bundled from src/client with @cdp/browser as the README imports it. */
async function bundleClient() {
  const browserDist = fileURLToPath(new URL("../../../packages/browser/dist/index.js", import.meta.url));
  if (!existsSync(browserDist)) throw new Error(`${browserDist} is missing: run the build first (npx -y pnpm@10 build).`);
  const result = await build({
    entryPoints: { shop: `${clientDir}shop.js`, card: `${clientDir}card.js` },
    bundle: true,
    format: "esm",
    platform: "browser",
    target: "es2022",
    minify: true,
    write: false,
    outdir: "/",
    logLevel: "silent",
  });
  return Object.fromEntries(result.outputFiles.map((file) => [file.path, file.text]));
}

function clean(value) {
  return typeof value === "string" && value.trim() !== "" ? value.trim().slice(0, 100) : undefined;
}

async function readBody(request) {
  const chunks = [];
  let size = 0;
  for await (const chunk of request) {
    size += chunk.length;
    if (size > 64 * 1024) throw new Error("body too large");
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString("utf8");
}

function send(response, status, type, body) {
  response.writeHead(status, { "content-type": type, "cache-control": "no-store" }).end(body);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const port = Number(process.env.PORT ?? 3000);
  const apiPort = Number(process.env.API_PORT ?? 4000);
  try {
    const shop = await startStorefront({
      port,
      apiPort,
      host: process.env.HOST ?? "127.0.0.1",
      log: (line) => console.error(`[shop] ${line}`),
    });
    console.log(`The shop is open: ${shop.url}`);
    console.log(`  customer cards: ${shop.url}/card`);
    console.log(`  reference backend: ${shop.apiUrl} (in memory: everything is gone when this stops)`);
    console.log("Stop with Ctrl+C.");
    const stop = () => shop.close().then(() => process.exit(0));
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
  } catch (error) {
    if (error?.code === "EADDRINUSE") {
      console.error(`Port ${error.port} is busy. Pick others: PORT=3100 API_PORT=4100 npx -y pnpm@10 start`);
    } else {
      console.error(error instanceof Error ? error.message : error);
    }
    process.exit(1);
  }
}
