import { ApiClient, type CdpOptions } from "./core/request.js";
import { Audit } from "./resources/audit.js";
import { Auth } from "./resources/auth.js";
import { Customers } from "./resources/customers.js";
import { Keys } from "./resources/keys.js";
import { Properties } from "./resources/properties.js";
import { Workspaces } from "./resources/workspaces.js";

/**
 * The typed client of the `@cdp` API. Method names are the routes' names in the contract
 * (`customers.create` → `cdp.customers.create`); inputs are checked before sending; failures are
 * {@link CdpError}s; network errors, timeouts, 408, 429 and 5xx are retried with one idempotency key.
 *
 * ```ts
 * const cdp = new Cdp({ apiKey: process.env.CDP_API_KEY, baseUrl: "https://cdp.example.com" });
 * const { customer } = await cdp.customers.create({ email: "ada@example.com" });
 * ```
 */
export class Cdp {
  /** Customer profiles: create, list, search, lookup, get, update, delete, bulkDelete, addIdentifier, removeIdentifier. */
  readonly customers: Customers;
  /** The workspace's property schema: list, define. */
  readonly properties: Properties;
  /** The audit log: list. */
  readonly audit: Audit;
  /** API keys: list, create, revoke. */
  readonly keys: Keys;
  /** OAuth tokens and the calling key: token, me. */
  readonly auth: Auth;
  /** Workspaces: list, create. */
  readonly workspaces: Workspaces;

  /** @param options - Key, base URL, workspace, fetch, timeout and retries; see {@link CdpOptions}. */
  constructor(options: CdpOptions = {}) {
    const client = new ApiClient(options);
    this.customers = new Customers(client);
    this.properties = new Properties(client);
    this.audit = new Audit(client);
    this.keys = new Keys(client);
    this.auth = new Auth(client);
    this.workspaces = new Workspaces(client);
  }
}
