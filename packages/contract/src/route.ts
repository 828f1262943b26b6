import type * as z from "zod/mini";
import type { Permission } from "./permissions.js";
import type { ResponseName, responseSchemas } from "./responses.js";

export type HttpMethod = "GET" | "POST" | "PATCH" | "DELETE";

/**
 * How a route authenticates: `secret` (a secret key or OAuth token; the default), `tracking`
 * (also a write key), `client` (OAuth client credentials, for the token route only).
 */
export type RouteAuth = "secret" | "tracking" | "client";

type Schema = z.ZodMiniType;

export interface RouteDefinition {
  /** The SDK method that calls it, e.g. `customers.create`; also the audit log's action. */
  readonly name: string;
  readonly method: HttpMethod;
  /** Under `/v1`, with `{param}` placeholders. */
  readonly path: string;
  /** What the key's role must allow; null for the token route, which authenticates the client itself. */
  readonly permission: Permission | null;
  readonly auth?: RouteAuth;
  /** `organization` routes act on the key's organization and need no workspace; the rest act in one workspace. */
  readonly scope?: "organization" | "workspace";
  readonly params?: Schema;
  readonly query?: Schema;
  readonly body?: Schema;
  /** Whether the body may be absent (DELETE with nothing to say). */
  readonly bodyOptional?: boolean;
  readonly status: 200 | 201;
  /** A second success status the route may answer, with the same response, and when (a replay answering 200 where a create answers 201). */
  readonly otherStatus?: { readonly status: 200 | 201; readonly when: string };
  /** What it answers: a name in `responseSchemas`. */
  readonly response: ResponseName;
  /** Writes that the audit log records (and reads of personal data that must leave a trace, such as exports). */
  readonly audited?: boolean;
  /** With `format=csv` in the query the route answers `text/csv` (a string) instead of its JSON response. */
  readonly csv?: boolean;
}

/** What the docs say of a route: a one-line summary and, where it helps, more. */
export interface RouteDoc {
  readonly summary: string;
  readonly description?: string;
}

/** The docs of a group of routes: one entry per route, checked by the compiler. */
export type RouteDocs<G extends Record<string, RouteDefinition>> = { readonly [K in keyof G]: RouteDoc };

/** Declares a route; keeps its literal types so the SDK and backend are typed from it. */
export function defineRoute<const D extends RouteDefinition>(definition: D): D {
  return definition;
}

type Infer<S> = S extends z.ZodMiniType ? z.output<S> : never;
type Input<S> = S extends z.ZodMiniType ? z.input<S> : never;

export type RouteParams<R extends RouteDefinition> = R["params"] extends Schema ? Input<R["params"]> : undefined;
export type RouteQuery<R extends RouteDefinition> = R["query"] extends Schema ? Input<R["query"]> : undefined;
export type RouteBody<R extends RouteDefinition> = R["body"] extends Schema ? Input<R["body"]> : undefined;
export type RouteResponse<R extends RouteDefinition> = Infer<(typeof responseSchemas)[R["response"]]>;

/**
 * Fills `{param}` placeholders, encoding each value. A value `.` or `..` is refused: a URL resolves it
 * (encoded or not, WHATWG URL), so `…/identifiers/userId/..` would name the customer itself.
 */
export function buildPath(path: string, params: Record<string, string> = {}): string {
  return path.replace(/\{(\w+)\}/g, (_, name: string) => {
    const value = params[name];
    if (value === undefined) throw new TypeError(`missing path parameter ${name}`);
    if (value === "." || value === "..") throw new TypeError(`path parameter ${name} cannot be "${value}": a URL resolves it`);
    return encodeURIComponent(value);
  });
}
