import type { AddressInfo } from "node:net";
import type { PhoneParser } from "@cdp/contract";
import { serve } from "@hono/node-server";
import { parsePhoneNumberFromString } from "libphonenumber-js/min";
import { type Clock, systemClock } from "./clock.js";
import { bootstrap } from "./domain/access.js";
import type { Domain } from "./domain/context.js";
import { createApp } from "./http/app.js";
import { inProcessRequest } from "./http/body.js";
import { createIdSource } from "./ids.js";
import { createMemoryStore } from "./store/memory/index.js";
import type { Store } from "./store/store.js";

export { type Clock, type ManualClock, manualClock, systemClock } from "./clock.js";
export { createMemoryStore } from "./store/memory/index.js";
export type { CustomerQuery, TextQuery } from "./store/query.js";
export type {
  AuditRecord,
  ChangelogRecord,
  ConsentRecordRecord,
  CustomerRecord,
  EventRecord,
  EventTypeRecord,
  ExtendedPropertyRecord,
  FieldWrite,
  IdempotencyRecord,
  IdentifierRecord,
  IdentityChangeRecord,
  KeyRecord,
  ListRecord,
  OrganizationRecord,
  PrivacyRequestRecord,
  PurposeRecord,
  SettingsRecord,
  SubscriptionRecord,
  SuppressionRecord,
  TokenRecord,
  WorkspaceRecord,
} from "./store/records.js";
export type { AuditFilter, EventQuery, Store } from "./store/store.js";

export interface BackendOptions<C extends Clock = Clock> {
  /** Where time comes from; pass `manualClock(…)` for stable tests. Default: the system clock. */
  clock?: C;
  /**
   * Seeds secrets and ids. The keys (and every secret made after them, in order) are the same on every
   * run whatever the clock; the ids only with a manual clock too, as a ULID holds its time. Tests only:
   * seeded secrets are guessable.
   */
  seed?: number;
  /** Default: a fresh in-memory store. */
  store?: Store;
  /** Name of the seeded organization. */
  organizationName?: string;
  /** Where unexpected errors are reported (default: console.error). Never receives request bodies. */
  logError?: (error: unknown, requestId: string) => void;
  /** Check every answer against the contract's response schema. Default true. */
  validateResponses?: boolean;
}

export interface ListenOptions {
  port?: number;
  host?: string;
}

export interface Backend<C extends Clock = Clock> {
  /** The backend as a fetch handler: `new Cdp({ fetch: backend.fetch, … })`. Bound; pass it detached. */
  fetch: (input: Request | string | URL, init?: RequestInit) => Promise<Response>;
  /** Serves over HTTP on Node; resolves once listening. */
  listen(options?: ListenOptions): Promise<{ url: string }>;
  /** Stops the HTTP server, if any. */
  close(): Promise<void>;
  /** A secret key with the admin role, bound to the seeded workspace. */
  adminKey: string;
  /** A write key for the seeded workspace (tracking only). */
  writeKey: string;
  workspaceId: string;
  organizationId: string;
  /** The clock in use: the manual clock you passed (with `set` and `advance`), or the system clock. */
  clock: C;
  store: Store;
}

/** Parses a phone number to E.164 with libphonenumber-js; numbers must carry their country code. */
export const parsePhone: PhoneParser = (value) => {
  const parsed = parsePhoneNumberFromString(value);
  return parsed?.isValid() ? parsed.number : undefined;
};

/**
 * The reference backend: the whole API over an in-memory store, served in-process (`fetch`),
 * behind msw (`@cdp/backend/msw`) or over HTTP (`listen`).
 *
 * @example
 * const backend = createBackend();
 * const cdp = new Cdp({ fetch: backend.fetch, apiKey: backend.adminKey });
 */
export function createBackend<C extends Clock = Clock>(options: BackendOptions<C> = {}): Backend<C> {
  const clock = (options.clock ?? systemClock) as C;
  const store = options.store ?? createMemoryStore();
  const domain: Domain = { store, clock, ids: createIdSource(clock, options.seed), parsePhone };
  const seeded = bootstrap(domain, options.organizationName);
  const app = createApp(domain, {
    ...(options.validateResponses === undefined ? {} : { validateResponses: options.validateResponses }),
    ...(options.logError ? { logError: options.logError } : {}),
  });
  let server: ReturnType<typeof serve> | undefined;

  const fetch = async (input: Request | string | URL, init?: RequestInit): Promise<Response> => {
    await seeded.ready;
    // A path alone ("/v1/customers") is taken as relative to a local origin, as a browser's fetch would.
    const target = typeof input === "string" && input.startsWith("/") ? `http://localhost${input}` : input;
    const request = target instanceof Request && init === undefined ? target : inProcessRequest(target, init);
    return app.fetch(request);
  };

  return {
    fetch,
    listen: ({ port = 0, host = "127.0.0.1" } = {}) =>
      new Promise((resolve, reject) => {
        if (server) return reject(new Error("already listening"));
        const started = serve({ fetch: (request: Request) => fetch(request), port, hostname: host }, (info: AddressInfo) => {
          const shownHost = info.address.includes(":") ? `[${info.address}]` : info.address;
          resolve({ url: `http://${shownHost}:${info.port}` });
        });
        started.once("error", (error) => {
          server = undefined;
          reject(error);
        });
        server = started;
      }),
    close: () =>
      new Promise((resolve) => {
        const running = server;
        server = undefined;
        if (!running) return resolve();
        if ("closeAllConnections" in running) (running as { closeAllConnections(): void }).closeAllConnections();
        running.close(() => resolve());
      }),
    get adminKey() {
      return seeded.value.adminKey;
    },
    get writeKey() {
      return seeded.value.writeKey;
    },
    get workspaceId() {
      return seeded.value.workspaceId;
    },
    get organizationId() {
      return seeded.value.organizationId;
    },
    clock,
    store,
  };
}
