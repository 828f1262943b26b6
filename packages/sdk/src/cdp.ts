import { ApiClient, type CdpOptions } from "./core/request.js";
import { Audit } from "./resources/audit.js";
import { Auth } from "./resources/auth.js";
import { Consents, Purposes } from "./resources/consents.js";
import { Customers } from "./resources/customers.js";
import { Events, EventTypes } from "./resources/events.js";
import { Identity } from "./resources/identity.js";
import { Keys } from "./resources/keys.js";
import { Privacy } from "./resources/privacy.js";
import { PrivacyRequests } from "./resources/privacy-requests.js";
import { Properties } from "./resources/properties.js";
import { Settings } from "./resources/settings.js";
import { Lists, Subscriptions, Suppressions } from "./resources/subscriptions.js";
import { Tracking } from "./resources/tracking.js";
import { Workspaces } from "./resources/workspaces.js";

/**
 * The typed client of the `@cdp` API, with every resource. Method names are the routes' names in
 * the contract (`customers.create` → `cdp.customers.create`, `track` → `cdp.track`); inputs are
 * checked before sending; failures are {@link CdpError}s; network errors, timeouts, 408, 429 and
 * 5xx are retried with one idempotency key.
 *
 * ```ts
 * const cdp = new Cdp({ apiKey: process.env.CDP_API_KEY, baseUrl: "https://cdp.example.com" });
 * const { customer } = await cdp.customers.create({ email: "ada@example.com" });
 * await cdp.track({ userId: "u-42", event: "Order Completed", properties: { order_id: "o-1" } });
 * ```
 *
 * A bundle that imports `Cdp` carries the schemas of every route. A page that needs a few
 * resources can build just those over one {@link ApiClient}, and bundlers leave the rest out:
 *
 * ```ts
 * import { ApiClient, Customers } from "@cdp/sdk";
 * const customers = new Customers(new ApiClient({ apiKey, baseUrl }));
 * ```
 */
export class Cdp {
  /**
   * Customer profiles: create, list, search, lookup, get, update, delete, bulkDelete, addIdentifier,
   * removeIdentifier, merge, identities, changelog, timeline, purchases, export, erase, restrict, unrestrict.
   */
  readonly customers: Customers;
  /** Identity resolution: resolve. */
  readonly identity: Identity;
  /** Events: create, list, get, update, delete, duplicate. */
  readonly events: Events;
  /** Event types and their categories: list, define. */
  readonly eventTypes: EventTypes;
  /** Consents, as an append-only log per customer: get, record, history. */
  readonly consents: Consents;
  /** Consent purposes: list, define. */
  readonly purposes: Purposes;
  /** Subscriptions per list and contact value: list, subscribe, confirm, unsubscribe. */
  readonly subscriptions: Subscriptions;
  /** Subscription lists (topics): list, create. */
  readonly lists: Lists;
  /** Channel-wide suppressions of contact values: list, create. */
  readonly suppressions: Suppressions;
  /** Privacy operations beyond one customer: eraseSource. */
  readonly privacy: Privacy;
  /** Privacy requests (exports, erasures, restrictions): list. */
  readonly privacyRequests: PrivacyRequests;
  /** The workspace's property schema: list, define. */
  readonly properties: Properties;
  /** The workspace's settings (identity rules, unknown event types): get, update. */
  readonly settings: Settings;
  /** The audit log: list. */
  readonly audit: Audit;
  /** API keys: list, create, revoke. */
  readonly keys: Keys;
  /** OAuth tokens and the calling key: token, me. */
  readonly auth: Auth;
  /** Workspaces: list, create. */
  readonly workspaces: Workspaces;

  /** Identifies a user and writes its traits (one request); see {@link Tracking.identify}. */
  readonly identify: Tracking["identify"];
  /** Records an event (one request); see {@link Tracking.track}. */
  readonly track: Tracking["track"];
  /** Records a page view (one request); see {@link Tracking.page}. */
  readonly page: Tracking["page"];
  /** Records a screen view (one request); see {@link Tracking.screen}. */
  readonly screen: Tracking["screen"];
  /** Associates a user with a group (one request); see {@link Tracking.group}. */
  readonly group: Tracking["group"];
  /** Joins a previous id to a user id (one request); see {@link Tracking.alias}. */
  readonly alias: Tracking["alias"];
  /** Sends up to 2,500 tracking messages in one request; see {@link Tracking.batch}. */
  readonly batch: Tracking["batch"];

  /** @param options - Key, base URL, workspace, fetch, timeout and retries; see {@link CdpOptions}. */
  constructor(options: CdpOptions = {}) {
    const client = new ApiClient(options);
    this.customers = new Customers(client);
    this.identity = new Identity(client);
    this.events = new Events(client);
    this.eventTypes = new EventTypes(client);
    this.consents = new Consents(client);
    this.purposes = new Purposes(client);
    this.subscriptions = new Subscriptions(client);
    this.lists = new Lists(client);
    this.suppressions = new Suppressions(client);
    this.privacy = new Privacy(client);
    this.privacyRequests = new PrivacyRequests(client);
    this.properties = new Properties(client);
    this.settings = new Settings(client);
    this.audit = new Audit(client);
    this.keys = new Keys(client);
    this.auth = new Auth(client);
    this.workspaces = new Workspaces(client);
    // Bound, so they work detached: `const { track } = cdp`, `queue.onFlush(cdp.batch)`.
    const tracking = new Tracking(client);
    this.identify = (message, options) => tracking.identify(message, options);
    this.track = (message, options) => tracking.track(message, options);
    this.page = (message, options) => tracking.page(message, options);
    this.screen = (message, options) => tracking.screen(message, options);
    this.group = (message, options) => tracking.group(message, options);
    this.alias = (message, options) => tracking.alias(message, options);
    this.batch = (body, options) => tracking.batch(body, options);
  }
}
