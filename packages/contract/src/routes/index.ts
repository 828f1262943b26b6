import type { RouteDefinition } from "../route.js";
import { auditRoutes, authRoutes, keyRoutes, propertyRoutes, workspaceRoutes } from "./admin.js";
import { customerRoutes } from "./customers.js";

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
export type RouteName = keyof Routes;

/** The base path every route lives under. */
export const apiBasePath = "/v1";
