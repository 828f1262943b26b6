// A page on http://www.shop.test:<port> that starts @cdp/browser (bundled from its sources by esbuild)
// with the options a test gives, and a reference backend on http://api.shop.test:<port>: two origins of
// one top-level domain. Tests read the backend (through the SDK with the admin key), the network and
// the browser's cookies and storage, never the tracker's internals.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";
import { type Backend, createBackend } from "@cdp/backend";
import { Cdp } from "@cdp/sdk";
import { build } from "esbuild";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { launchChromium } from "../../../test/support/chromium.js";

const packageRoot = fileURLToPath(new URL("../", import.meta.url));

export interface Harness {
  backend: Backend;
  cdp: Cdp;
  browser: Browser;
  /** The page's origin, e.g. http://www.shop.test:41234. */
  shop: string;
  /** The API's origin, e.g. http://api.shop.test:41235. */
  api: string;
  /** Every request the API received since the last `open()`, as the server saw it. */
  received: ReceivedRequest[];
  /** A fresh context (no cookies, empty storage) whose pages start a tracker with `options` (merged over writeKey and host). */
  open(options?: Record<string, unknown>): Promise<{ context: BrowserContext; page: Page }>;
  close(): Promise<void>;
}

/** A request as the API's server received it. */
export interface ReceivedRequest {
  method: string;
  path: string;
  contentType: string | undefined;
  authorization: string | undefined;
  body: string;
}

export async function startHarness(): Promise<Harness> {
  const bundle = await build({
    entryPoints: [`${packageRoot}src/index.ts`],
    bundle: true,
    format: "esm",
    platform: "browser",
    target: "es2022",
    write: false,
    alias: { "@cdp/sdk/tracking": fileURLToPath(new URL("../../sdk/src/tracking/index.ts", import.meta.url)) },
  });
  const tracker = bundle.outputFiles[0]?.text ?? "";
  const html = (title: string) => `<!doctype html><html><head><meta charset="utf-8"><title>${title}</title></head><body>
<a id="next" href="/next">next</a>
<script type="module">
import * as browser from "/tracker.js";
window.cdpBrowser = browser;
window.cdp = browser.createBrowserTracker(window.cdpOptions);
</script></body></html>`;
  const server = createServer((request, response) => {
    if (request.url === "/tracker.js") {
      response.writeHead(200, { "content-type": "text/javascript" }).end(tracker);
      return;
    }
    response.writeHead(200, { "content-type": "text/html; charset=utf-8" }).end(html(`Page ${request.url}`));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const backend = createBackend();
  // The API: the backend's fetch behind a server that records what arrives (a keepalive request sent
  // while a page unloads is invisible to the page's own network events).
  const received: ReceivedRequest[] = [];
  const apiServer = createServer(async (request, response) => {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString("utf8");
    received.push({
      method: request.method ?? "GET",
      path: request.url ?? "/",
      contentType: request.headers["content-type"],
      authorization: request.headers.authorization,
      body,
    });
    const answer = await backend.fetch(
      new Request(`http://api.shop.test${request.url}`, {
        method: request.method,
        headers: request.headers as Record<string, string>,
        ...(request.method === "GET" || request.method === "HEAD" ? {} : { body }),
      }),
    );
    response.writeHead(answer.status, Object.fromEntries(answer.headers));
    response.end(Buffer.from(await answer.arrayBuffer()));
  });
  await new Promise<void>((resolve) => apiServer.listen(0, "127.0.0.1", resolve));
  const shop = `http://www.shop.test:${(server.address() as AddressInfo).port}`;
  const api = `http://api.shop.test:${(apiServer.address() as AddressInfo).port}`;
  const browser = await launchChromium();
  const contexts: BrowserContext[] = [];
  return {
    backend,
    cdp: new Cdp({ fetch: backend.fetch, apiKey: backend.adminKey }),
    browser,
    shop,
    api,
    received,
    async open(options = {}) {
      received.length = 0;
      const context = await browser.newContext();
      contexts.push(context);
      await context.addInitScript(
        (given) => {
          (window as unknown as { cdpOptions: unknown }).cdpOptions = given;
        },
        { writeKey: backend.writeKey, host: api, ...options },
      );
      const page = await context.newPage();
      return { context, page };
    },
    async close() {
      for (const context of contexts) await context.close().catch(() => {});
      await browser.close();
      await new Promise<void>((resolve) => closeServer(server, resolve));
      await new Promise<void>((resolve) => closeServer(apiServer, resolve));
    },
  };
}

function closeServer(server: Server, done: () => void): void {
  server.closeAllConnections();
  server.close(() => done());
}

/** Runs `call` on the page's tracker (window.cdp): `await track(page, (cdp) => cdp.track("Signed Up"))`. */
export function onTracker(page: Page, call: string): Promise<unknown> {
  return page.evaluate(`(async () => { const cdp = window.cdp; return ${call}; })()`);
}

/** The page's localStorage, as key → value. */
export function localStorageOf(page: Page): Promise<Record<string, string>> {
  return page.evaluate(() => ({ ...localStorage }));
}
