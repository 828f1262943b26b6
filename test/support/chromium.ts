// Debian's chromium driven by playwright-core (DESIGN.md §9): one browser per test file, a fresh
// context (cookies, localStorage) per test. *.shop.test resolves to 127.0.0.1, so a page on
// www.shop.test and an API on api.shop.test are two origins of one top-level domain.
import { existsSync } from "node:fs";
import { type Browser, type BrowserContext, chromium } from "playwright-core";

/** The chromium to run: CHROMIUM_PATH, else Debian's. Throws at once, with what to do, when there is none. */
export function chromiumPath(
  candidates: string[] = [process.env.CHROMIUM_PATH, "/usr/bin/chromium", "/usr/bin/chromium-browser"].filter(
    (path): path is string => !!path,
  ),
): string {
  const found = candidates.find((path) => existsSync(path));
  if (!found) {
    throw new Error(
      `The browser tests need Chromium and found none (looked at ${candidates.join(", ")}). ` +
        "On Debian: apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends chromium " +
        "(.ci/run does this), or set CHROMIUM_PATH to a Chromium binary.",
    );
  }
  return found;
}

/** Starts headless Chromium with the flags of DESIGN.md §9 and a temporary profile of its own. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath(),
    headless: true,
    timeout: 60_000,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--disable-sync",
      "--disable-background-networking",
      "--disable-component-update",
      "--no-first-run",
      "--host-resolver-rules=MAP *.shop.test 127.0.0.1",
    ],
  });
}

/** The requests a context makes to an origin, with their method, content type and body. */
export interface SeenRequest {
  method: string;
  url: string;
  contentType: string | undefined;
  body: string;
}

/** Records every request of `context` whose URL starts with `origin` (the network, as a test sees it). */
export function watchRequests(context: BrowserContext, origin: string): SeenRequest[] {
  const seen: SeenRequest[] = [];
  context.on("request", (request) => {
    if (!request.url().startsWith(origin)) return;
    seen.push({
      method: request.method(),
      url: request.url(),
      contentType: request.headers()["content-type"],
      body: request.postData() ?? "",
    });
  });
  return seen;
}
