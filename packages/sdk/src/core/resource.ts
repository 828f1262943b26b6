import type { RouteBody, RouteName, RouteQuery, RouteResponse, Routes } from "@cdp/contract";
import type { ApiClient, PageItem } from "./request.js";

/** The body a route takes, from the contract's table, e.g. `BodyOf<"customers.create">`. */
export type BodyOf<N extends RouteName> = RouteBody<Routes[N]>;
/** The query a route takes, e.g. `QueryOf<"customers.list">`. */
export type QueryOf<N extends RouteName> = RouteQuery<Routes[N]>;
/** What a route answers, e.g. `ResponseOf<"customers.get">`. */
export type ResponseOf<N extends RouteName> = RouteResponse<Routes[N]>;
/** The item of a route that answers pages, e.g. `ItemOf<"customers.list">`. */
export type ItemOf<N extends RouteName> = PageItem<Routes[N]>;

/** What every resource (`cdp.customers`, `cdp.keys` …) is: a group of routes over one request core. */
export abstract class ApiResource {
  /** The request core the resource calls. */
  protected readonly client: ApiClient;

  /** @param client - The request core, shared by every resource of one {@link Cdp}. */
  constructor(client: ApiClient) {
    this.client = client;
  }
}

/** The input with `cursor` set, for every page after the first. */
export function withCursor<T extends object>(input: T, cursor: string | undefined): T {
  return cursor === undefined ? input : { ...input, cursor };
}
