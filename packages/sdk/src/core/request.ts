import { apiBasePath, buildPath, type RouteDefinition, type RouteResponse, schemaErrorCode, toApiIssues } from "@cdp/contract";
import ky, { HTTPError, TimeoutError as KyTimeoutError } from "ky";
import { CdpError, ConnectionError, refusedBeforeSending, TimeoutError, type ValidationError } from "./errors.js";
import { newIdempotencyKey } from "./idempotency.js";
import { type Page, PagedList } from "./pagination.js";
import { retryPolicy } from "./retry.js";

/** A `fetch`: the platform's, msw's, or an in-process handler such as `createBackend().fetch`. */
export type FetchLike = (request: Request) => Promise<Response> | Response;

/** Options of `new Cdp(…)`. */
export interface CdpOptions {
  /** A secret key or an OAuth access token, sent as `Authorization: Bearer <apiKey>`. */
  apiKey?: string | undefined;
  /** Where the API lives, without `/v1` (it is added). Default `http://localhost:4000`. */
  baseUrl?: string | undefined;
  /** The workspace to act in, sent as `Cdp-Workspace`; needed when the key is bound to several. */
  workspace?: string | undefined;
  /**
   * The `fetch` to send with. Default: `globalThis.fetch`, looked up on every request, so a mock
   * installed later (msw's `server.listen()`) is used.
   */
  fetch?: FetchLike | undefined;
  /** Milliseconds one attempt may take before it is abandoned (and retried). Default 60,000. */
  timeout?: number | undefined;
  /** Further attempts after a failed one (network errors, timeouts, 408, 429, 5xx). Default 2. */
  maxRetries?: number | undefined;
}

/** Options every method takes as its last argument. */
export interface RequestOptions {
  /** Aborts the call, retries included; the call then rejects with the signal's reason. */
  signal?: AbortSignal | undefined;
  /** Milliseconds one attempt may take; overrides the client's `timeout`. */
  timeout?: number | undefined;
  /** The `Idempotency-Key` of a POST, PATCH or DELETE; by default a random one per call, reused by its retries. */
  idempotencyKey?: string | undefined;
  /** Extra headers; they win over the SDK's own. */
  headers?: Record<string, string> | undefined;
}

/** What a call sends besides the route itself; each part is checked with the route's schema. */
export interface RouteInput {
  params?: unknown;
  query?: unknown;
  body?: unknown;
}

/** The item type of a route that answers a page. */
export type PageItem<R extends RouteDefinition> = RouteResponse<R> extends Page<infer T> ? T : never;

/**
 * The request core every resource calls: checks the input with the route's schemas, sends it
 * through ky with the retry policy and one idempotency key per call, and turns failures into
 * {@link CdpError}s.
 */
export class ApiClient {
  readonly #apiKey: string | undefined;
  readonly #origin: string;
  readonly #workspace: string | undefined;
  readonly #fetch: FetchLike | undefined;
  readonly #timeout: number;
  readonly #maxRetries: number;

  /** @param options - The client's options; see {@link CdpOptions}. */
  constructor(options: CdpOptions = {}) {
    this.#apiKey = options.apiKey;
    // A base URL copied with its /v1 (as `cdp serve` prints the API's address) works too.
    this.#origin = (options.baseUrl ?? "http://localhost:4000").replace(/\/+$/, "").replace(/\/v1$/, "") + apiBasePath;
    this.#workspace = options.workspace;
    this.#fetch = options.fetch;
    this.#timeout = options.timeout ?? 60_000;
    this.#maxRetries = options.maxRetries ?? 2;
  }

  /**
   * Calls one route of the contract and answers its response body.
   * @throws {@link ValidationError} before sending when the input does not match the route's schemas.
   */
  async send<R extends RouteDefinition>(route: R, input: RouteInput, options: RequestOptions = {}): Promise<RouteResponse<R>> {
    const params = check(route.params, input.params, "params");
    const query = check(route.query, input.query ?? (route.query ? {} : undefined), "query");
    const body = input.body === undefined && route.bodyOptional ? undefined : check(route.body, input.body, "body");
    const url = this.#origin + buildPath(route.path, params as Record<string, string> | undefined) + queryString(query);
    const timeout = options.timeout ?? this.#timeout;
    let attempts = 1;
    try {
      const response = await ky(url, {
        method: route.method,
        headers: this.#headers(route, options),
        json: body,
        timeout,
        retry: retryPolicy(this.#maxRetries, options.signal),
        signal: options.signal,
        fetch: (request, init) => this.#send(request instanceof Request ? request : new Request(request, init)),
        hooks: {
          beforeRetry: [
            () => {
              attempts++;
            },
          ],
        },
      });
      return (await readBody(response)) as RouteResponse<R>;
    } catch (error) {
      if (options.signal?.aborted) throw options.signal.reason;
      if (error instanceof CdpError) throw error;
      if (error instanceof HTTPError) {
        const response = error.response;
        throw CdpError.from(response.status, parseJson(await response.text().catch(() => "")), response.headers);
      }
      const tries = `${attempts} attempt${attempts === 1 ? "" : "s"}`;
      if (error instanceof KyTimeoutError) {
        throw new TimeoutError({
          type: "timeout",
          code: "timeout",
          message: `${route.method} ${url} took longer than ${timeout} ms (${tries}).`,
          cause: error,
        });
      }
      throw new ConnectionError({
        type: "connection",
        code: "connection_failed",
        message: `${route.method} ${url} got no answer (${tries}): ${error instanceof Error ? error.message : String(error)}`,
        cause: error,
      });
    }
  }

  /**
   * A list that pages on its own over a route that answers `{ data, nextCursor }`.
   * @param input - Builds the input of the page at `cursor` (`undefined` for the first page).
   */
  list<R extends RouteDefinition>(
    route: R,
    input: (cursor: string | undefined) => RouteInput,
    options: RequestOptions = {},
  ): PagedList<PageItem<R>> {
    // A caller's idempotency key names one request; later pages are other requests.
    const { idempotencyKey: _, ...later } = options;
    return new PagedList((cursor) => this.send(route, input(cursor), cursor === undefined ? options : later) as Promise<Page<PageItem<R>>>);
  }

  #headers(route: RouteDefinition, options: RequestOptions): Headers {
    const headers = new Headers({ accept: "application/json" });
    // The token route authenticates the client by its credentials, not by a bearer key.
    if (this.#apiKey && route.auth !== "client") headers.set("authorization", `Bearer ${this.#apiKey}`);
    if (this.#workspace) headers.set("cdp-workspace", this.#workspace);
    // Set once here, so ky repeats the same key on every retry of this call.
    if (route.method !== "GET") headers.set("idempotency-key", options.idempotencyKey ?? newIdempotencyKey());
    for (const [name, value] of Object.entries(options.headers ?? {})) headers.set(name, value);
    return headers;
  }

  #send(request: Request): Promise<Response> {
    // Looked up per request: msw replaces globalThis.fetch when it starts listening.
    const fetch = this.#fetch;
    return Promise.resolve(fetch ? fetch(request) : globalThis.fetch(request));
  }
}

/** Checks one part of the input with its schema; answers the input as given (the backend parses it again). */
function check(schema: RouteDefinition["body"], value: unknown, where: "params" | "query" | "body"): unknown {
  if (!schema) return value;
  // reportInput: without it zod leaves `input` out and a wrong type reads like a missing field.
  const result = schema.safeParse(value, { reportInput: true });
  if (result.success) return value;
  throw refusedBeforeSending(where, schemaErrorCode(result.error.issues), toApiIssues(result.error.issues, where));
}

function queryString(query: unknown): string {
  if (typeof query !== "object" || query === null) return "";
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) {
    if (value === undefined) continue;
    for (const item of Array.isArray(value) ? value : [value]) search.append(name, String(item));
  }
  const text = search.toString();
  return text ? `?${text}` : "";
}

async function readBody(response: Response): Promise<unknown> {
  const text = await response.text();
  if (text === "") return undefined;
  // An export asked for as CSV answers text.
  if (/^text\/csv\b/i.test(response.headers.get("content-type") ?? "")) return text;
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new CdpError({
      status: response.status,
      code: "invalid_response",
      message: `The API answered HTTP ${response.status} with a body that is not JSON.`,
      requestId: response.headers.get("Cdp-Request-Id") ?? undefined,
      headers: response.headers,
      cause: error,
    });
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
