import type { RouteDefinition, RouteDocs } from "../route.js";
import {
  auditRouteDocs,
  auditRoutes,
  authRouteDocs,
  authRoutes,
  keyRouteDocs,
  keyRoutes,
  propertyRouteDocs,
  propertyRoutes,
  workspaceRouteDocs,
  workspaceRoutes,
} from "./admin.js";
import { customerRouteDocs, customerRoutes } from "./customers.js";

/** Every route of the API, declared once. The SDK, the backend, the docs and the OpenAPI document come from here. */
export const routes = {
  ...authRoutes,
  ...keyRoutes,
  ...workspaceRoutes,
  ...customerRoutes,
  ...propertyRoutes,
  ...auditRoutes,
} as const satisfies Record<string, RouteDefinition>;

export type Routes = typeof routes;

/** The summary and description of every route, for the docs and the OpenAPI document. */
export const routeDocs: RouteDocs<Routes> = /* @__PURE__ */ Object.assign(
  {},
  authRouteDocs,
  keyRouteDocs,
  workspaceRouteDocs,
  customerRouteDocs,
  propertyRouteDocs,
  auditRouteDocs,
);
export type RouteName = keyof Routes;

/** The base path every route lives under. */
export const apiBasePath = "/v1";
