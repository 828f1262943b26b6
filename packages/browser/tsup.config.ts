import { defineConfig } from "tsup";

export default defineConfig({
  entry: ["src/index.ts"],
  format: ["esm"],
  dts: true,
  sourcemap: true,
  clean: true,
  target: "es2022",
  // The tracking core is bundled in, and the private members of its queue get short names, as Preact
  // does with its own: a page's bundler cannot know they are private, and the 6 KB budget counts them.
  // Only names that no public shape of @cdp/browser, no message and no built-in (Set#add, Map#size …)
  // uses may be listed: every property of that name in the bundle is renamed. The Chromium tests run
  // the sources; the storefront's end-to-end tests run this build.
  noExternal: [/^@cdp\/sdk/],
  esbuildOptions(options) {
    options.mangleProps = new RegExp(`^(${mangled.join("|")})$`);
  },
});

const mangled = [
  "transport",
  "storage",
  "json",
  "bytes",
  "closed",
  "drop",
  "stop",
  "ready",
  "hidden",
  "options",
  "events",
  "listeners",
  "enqueue",
  "pending",
  "head",
  "waiting",
  "inFlight",
  "unsettled",
  "nextSeq",
  "draining",
  "pumpScheduled",
  "saveScheduled",
  "flushTimer",
  "pausedUntil",
  "pauseTimer",
  "waiters",
  "stopped",
  "closing",
  "schedulePump",
  "pump",
  "cut",
  "answered",
  "failed",
  "retryLater",
  "settle",
  "armPauseTimer",
  "scheduleSave",
  "rateLimited",
  "remaining",
  "mark",
  "seq",
];
