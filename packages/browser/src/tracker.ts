import { createTracker, type QueueOptions, type TrackingEvents, type TrackingListener } from "@cdp/sdk/tracking";
import { queueStorage } from "./queue-storage.js";
import { attempt, clearIdentity, loadAnonymousId, read, readJson, remove, storageKeys, topLevelDomain, write } from "./storage.js";
import { pageTransport } from "./transport.js";
import { version } from "./version.js";

/** Options of {@link createBrowserTracker}. Only `writeKey` is required. */
export interface BrowserTrackerOptions extends Partial<Pick<QueueOptions, "flushAt" | "flushInterval" | "maxRetries">> {
  /** The workspace's write key (public: it can only send tracking messages). */
  writeKey: string;
  /** Where the API lives, without `/v1`. Default `http://localhost:4000`. */
  host?: string;
  /** Consent gating. Default: no consent needed until a denial. */
  consent?: ConsentOptions;
  /** A page view at start and on each change of URL by the History API (single-page apps). Default `true`. */
  pageViews?: boolean;
  /** The cookie's domain. Default: the top-level domain, found by the browser's own rules. */
  cookieDomain?: string;
  /** Characters the persisted queue may take in localStorage; the oldest messages go first. Default 512 KiB. */
  queueBytes?: number;
  /** Milliseconds a persisted message is kept for a later page load. Default 7 days. */
  queueTtl?: number;
  /** Merged under every message's own `context`. */
  context?: Record<string, unknown>;
}

/** How the tracker waits for consent. */
export interface ConsentOptions {
  /** Nothing is stored or sent before consent is granted. Default `false`: tracking runs until denied. */
  required?: boolean;
  /** The purposes tracking needs, all of them. Default `["profiling"]` (Consent Mode's `analytics_storage`). */
  categories?: string[];
  /** Calls made while consent is pending: kept in memory (up to 100) and sent once granted, or dropped. Default `"buffer"`. */
  beforeGrant?: "buffer" | "drop";
}

/** `granted`: tracking runs. `pending`: consent is required and not given yet. `denied`: a needed purpose was refused. */
export type ConsentStatus = "granted" | "pending" | "denied";

/** What a call may set on its message: a `timestamp`, a `messageId` (the backend deduplicates by it), more `context`. */
export interface CallOptions {
  context?: Record<string, unknown>;
  timestamp?: string;
  messageId?: string;
}

/** Properties or traits: a JSON object. */
export type Fields = Record<string, unknown>;
type MessageType = "track" | "identify" | "page" | "group" | "alias";

/**
 * The browser tracker. Each call returns the message's `messageId`, or `undefined` when the message
 * was buffered or dropped for want of consent (or could not be built). No call ever throws.
 */
export interface BrowserTracker {
  /** Records an event: `track("Product Added", { product_id: "p-1", price: 20 })`. */
  track(event: string, properties?: Fields, options?: CallOptions): string | undefined;
  /** Names the visitor and stores their traits: `identify("u-42", { email })`; `identify(undefined, { plan })` adds traits only. */
  identify(userId?: string | null, traits?: Fields, options?: CallOptions): string | undefined;
  /** Records a page view (`Page Viewed`) with `path`, `referrer`, `search`, `title` and `url`; automatic unless `pageViews: false`. */
  page(name?: string, properties?: Fields, options?: CallOptions): string | undefined;
  /** Associates the visitor with a group (a company, an account). */
  group(groupId: string, traits?: Fields, options?: CallOptions): string | undefined;
  /** Joins `previousId` (default: the current user or anonymous id) to `userId`. */
  alias(userId: string, previousId?: string, options?: CallOptions): string | undefined;
  /** On sign-out: forgets the user id and traits and starts a new anonymous id that never touches the previous profile. */
  reset(): void;
  /** Sends what is queued now; resolves once each message is delivered or dropped. */
  flush(): Promise<void>;
  /** The anonymous id, or `undefined` while tracking is not allowed. */
  readonly anonymousId: string | undefined;
  /** The user id given to `identify()`, if any. */
  readonly userId: string | undefined;
  readonly consent: {
    /** Where consent stands. */
    readonly status: ConsentStatus;
    /**
     * Records the visitor's choice (`{ profiling: true }`) through the tracking API, as
     * `Segment Consent Preference Updated` with `context.consent.categoryPreferences`. A grant
     * stores the ids and sends what was buffered. A denial after a grant is sent, then every
     * identifier the tracker stored is cleared; a refusal with no earlier grant sends nothing.
     */
    update(preferences: Record<string, boolean>): void;
  };
  /** Listens to 'delivered', 'dropped' or 'error'; returns a function that stops listening. */
  on<E extends keyof TrackingEvents>(event: E, listener: TrackingListener<E>): () => void;
}

/** The event a consent change is recorded as (a predefined type of the backend). */
export const consentEvent = "Segment Consent Preference Updated";

/**
 * A tracker for web pages. The anonymous id lives in a first-party cookie on the top-level domain
 * (`cdp_anonymous_id`, SameSite=Lax, one year), mirrored in localStorage; messages wait in a queue
 * persisted in localStorage and go out as `/v1/batch` requests with a `text/plain` body (no CORS
 * preflight), by keepalive `fetch`, so that a page being left still delivers (on `pagehide` and
 * `visibilitychange`, at most 64 KiB in flight). Failed requests are retried with backoff (≤ 8 s),
 * on the `online` event too. On a server (no `window`) it returns a tracker that does nothing.
 *
 * ```ts
 * const cdp = createBrowserTracker({ writeKey: "wk_…", host: "https://cdp.example.com", consent: { required: true } });
 * banner.onAccept = () => cdp.consent.update({ profiling: true });
 * cdp.track("Product Added", { product_id: "p-1", price: 20, currency: "EUR" });
 * ```
 */
export function createBrowserTracker(options: BrowserTrackerOptions): BrowserTracker {
  if (typeof window === "undefined" || typeof document === "undefined") return inert();
  const { writeKey, host = "http://localhost:4000", consent = {}, pageViews = true, cookieDomain, context, ...queue } = options;
  const categories = consent.categories ?? ["profiling"];
  const required = consent.required ?? false;
  let domain = cookieDomain;
  const cookieDomainNow = () => {
    domain ??= topLevelDomain(location.hostname);
    return domain;
  };
  let preferences = readJson<Record<string, boolean>>(storageKeys.consent) ?? {};
  const status = (): ConsentStatus =>
    categories.some((name) => preferences[name] === false)
      ? "denied"
      : !required || categories.every((name) => preferences[name] === true)
        ? "granted"
        : "pending";
  const allowed = () => status() === "granted";

  const transport = pageTransport(`${host.replace(/\/+$/, "").replace(/\/v1$/, "")}/v1/batch`, writeKey);
  const core = createTracker({
    flushInterval: 1_000,
    // A page retries for as long as it is open (backoff ≤ 8 s); the persisted queue's TTL bounds the rest.
    maxRetries: 2 ** 53,
    // One batch fits the keepalive quota, write key included.
    maxBatchBytes: 63 * 1024,
    ...queue,
    transport,
    storage: queueStorage(storageKeys.queue, options.queueBytes ?? 512 * 1024, options.queueTtl ?? 604_800_000, allowed),
    library: { name: "@cdp/browser", version },
    ...(context ? { context } : {}),
  });

  let anonymousId: string | undefined;
  let userId: string | undefined;
  let traits: Fields = {};
  let buffer: Array<[MessageType, Fields]> = [];
  const persist = () => {
    if (!allowed()) return;
    if (userId) write(storageKeys.userId, userId);
    if (Object.keys(traits).length > 0) write(storageKeys.traits, JSON.stringify(traits));
  };
  const start = () => {
    anonymousId = loadAnonymousId(cookieDomainNow());
    userId ??= read(storageKeys.userId) ?? undefined;
    traits = { ...readJson<Fields>(storageKeys.traits), ...traits };
    persist();
  };
  if (allowed()) start();

  let url = location.href;
  let referrer = document.referrer;
  const page = () => ({ path: location.pathname, referrer, search: location.search, title: document.title, url: location.href });

  /** Sends a message now, with the ids and the consent preferences. Never throws. */
  const deliver = (type: MessageType, fields: Fields): string | undefined =>
    attempt(() =>
      core[type]({
        anonymousId,
        ...fields,
        context: {
          ...(Object.keys(preferences).length > 0 ? { consent: { categoryPreferences: { ...preferences } } } : {}),
          ...(fields.context as Fields),
        },
      } as never),
    );
  /** A call: sent when allowed; buffered or dropped while consent is pending; dropped when denied. */
  const send = (type: MessageType, fields: Fields, options: CallOptions = {}, force?: boolean): string | undefined => {
    const message = {
      ...(userId ? { userId } : {}),
      ...fields,
      timestamp: new Date().toISOString(),
      ...options,
      context: { page: page(), userAgent: navigator.userAgent, ...options.context },
    };
    if (force || allowed()) return deliver(type, message);
    if (status() === "pending" && consent.beforeGrant !== "drop" && buffer.length < 100) buffer.push([type, message]);
    return undefined;
  };

  const tracker: BrowserTracker = {
    track: (event, properties, options) => send("track", { event, properties }, options),
    identify: (id, more, options) => {
      if (id) userId = id;
      traits = { ...traits, ...more };
      persist();
      return send("identify", { traits: { ...traits } }, options);
    },
    page: (name, properties, options) => send("page", { ...(name ? { name } : {}), properties: { ...page(), ...properties } }, options),
    group: (groupId, traits, options) => send("group", { groupId, traits }, options),
    alias: (id, previousId, options) => send("alias", { userId: id, previousId: previousId ?? userId ?? anonymousId }, options),
    reset: () => {
      userId = undefined;
      traits = {};
      remove(storageKeys.userId);
      remove(storageKeys.traits);
      if (allowed()) anonymousId = loadAnonymousId(cookieDomainNow(), true);
    },
    flush: () => core.flush(),
    get anonymousId() {
      return anonymousId;
    },
    get userId() {
      return userId;
    },
    consent: {
      get status() {
        return status();
      },
      update(next) {
        const before = status();
        preferences = { ...preferences, ...next };
        const after = status();
        const granted = after === "granted";
        if (granted && before !== "granted") start();
        const buffered = granted ? buffer : [];
        buffer = [];
        for (const [type, message] of buffered) deliver(type, message);
        // A refusal with no earlier grant sends nothing; a denial after a grant is recorded, then the ids go.
        if (granted || before === "granted") send("track", { event: consentEvent }, {}, true);
        if (after === "denied") {
          clearIdentity(cookieDomainNow());
          anonymousId = userId = undefined;
          traits = {};
        }
        if (required && !granted) remove(storageKeys.consent);
        else write(storageKeys.consent, JSON.stringify(preferences));
      },
    },
    on: (event, listener) => core.on(event, listener),
  };

  const hidden = () => {
    transport.hidden = true;
    void core.flush();
  };
  addEventListener("pagehide", hidden);
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "hidden") hidden();
    else transport.hidden = false;
  });
  addEventListener("online", () => void core.flush());

  if (pageViews) {
    tracker.page();
    // A single-page app changes the URL by the History API; the page view waits a task for the new title.
    const changed = () =>
      setTimeout(() => {
        if (location.href.split("#")[0] === url.split("#")[0]) return;
        referrer = url;
        url = location.href;
        tracker.page();
      });
    for (const method of ["pushState", "replaceState"] as const) {
      const original = history[method];
      history[method] = function (this: History, ...args: Parameters<History["pushState"]>) {
        original.apply(this, args);
        changed();
      };
    }
    addEventListener("popstate", changed);
  }
  return tracker;
}

/** The tracker of a server render: every call does nothing. */
function inert(): BrowserTracker {
  const none = () => undefined;
  return {
    track: none,
    identify: none,
    page: none,
    group: none,
    alias: none,
    reset: none,
    flush: async () => {},
    consent: { status: "pending", update: none },
    on: () => none,
  } as Partial<BrowserTracker> as BrowserTracker;
}
