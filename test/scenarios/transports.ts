import { type Backend, createBackend, manualClock } from "@cdp/backend";
import { mswHandlers } from "@cdp/backend/msw";
import { Cdp, type CdpOptions } from "@cdp/sdk";
import { setupServer } from "msw/node";

/** One way of reaching the backend: in-process fetch, msw interception, or real HTTP on an ephemeral port. */
export interface Transport {
  name: string;
  start(backend: Backend): Promise<(options: CdpOptions) => Cdp>;
  stop(): Promise<void>;
}

const mswServer = setupServer();
let mswListening = false;

export const transports: Transport[] = [
  {
    name: "in-process fetch",
    start: async (backend) => (options) => new Cdp({ fetch: backend.fetch, ...options }),
    stop: async () => {},
  },
  {
    name: "msw setupServer",
    start: async (backend) => {
      if (!mswListening) {
        mswServer.listen({ onUnhandledRequest: "error" });
        mswListening = true;
      }
      mswServer.resetHandlers(...mswHandlers(backend, { baseUrl: "https://cdp.test" }));
      // No fetch option: the SDK looks globalThis.fetch up per request, which msw patches.
      return (options) => new Cdp({ baseUrl: "https://cdp.test", ...options });
    },
    stop: async () => {
      // Close after each test: a listening msw would intercept the other transports' requests.
      mswServer.close();
      mswListening = false;
    },
  },
  (() => {
    let running: Backend | undefined;
    return {
      name: "real HTTP",
      start: async (backend: Backend) => {
        running = backend;
        const { url } = await backend.listen({ port: 0 });
        return (options: CdpOptions) => new Cdp({ baseUrl: url, ...options });
      },
      stop: async () => {
        await running?.close();
        running = undefined;
      },
    };
  })(),
];

export function closeMsw(): void {
  if (mswListening) mswServer.close();
  mswListening = false;
}

/** A backend with a manual clock, and an admin client reaching it through the transport. */
/** What the backends of the current test reported to their error log: a test ends with none. */
export const loggedErrors: unknown[] = [];

export async function setup(transport: Transport, start = "2026-05-01T09:00:00Z") {
  const clock = manualClock(start);
  const backend = createBackend({ clock, seed: 7, logError: (error) => loggedErrors.push(error) });
  const client = await transport.start(backend);
  const cdp = client({ apiKey: backend.adminKey, maxRetries: 0 });
  return { backend, clock, client, cdp };
}
