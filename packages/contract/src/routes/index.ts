import type { RouteDocs } from "../route.js";
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
import { consentRouteDocs, consentRoutes } from "./consents.js";
import { customerRouteDocs, customerRoutes } from "./customers.js";
import { eventRouteDocs, eventRoutes } from "./events.js";
import { identityRouteDocs, identityRoutes, settingsRouteDocs, settingsRoutes } from "./identity.js";
import { privacyRequestRouteDocs, privacyRequestRoutes, privacyRouteDocs, privacyRoutes } from "./privacy.js";
import { subscriptionRouteDocs, subscriptionRoutes } from "./subscriptions.js";
import { trackingRouteDocs, trackingRoutes } from "./tracking.js";

export {
  auditRoutes,
  authRoutes,
  consentRoutes,
  customerRoutes,
  eventRoutes,
  identityRoutes,
  keyRoutes,
  privacyRequestRoutes,
  privacyRoutes,
  propertyRoutes,
  settingsRoutes,
  subscriptionRoutes,
  trackingRoutes,
  workspaceRoutes,
};

/** Every route of the API, by name: the union of its groups. */
export type Routes = typeof authRoutes &
  typeof keyRoutes &
  typeof workspaceRoutes &
  typeof customerRoutes &
  typeof identityRoutes &
  typeof settingsRoutes &
  typeof eventRoutes &
  typeof trackingRoutes &
  typeof propertyRoutes &
  typeof auditRoutes &
  typeof consentRoutes &
  typeof subscriptionRoutes &
  typeof privacyRoutes &
  typeof privacyRequestRoutes;

/**
 * Every route of the API, declared once. The SDK, the backend, the docs and the OpenAPI document come from here.
 * Built with `Object.assign` marked pure rather than with spreads (which esbuild keeps as a possible
 * side effect), so a bundle that never reads the whole table drops it: a client that imports only
 * its groups (`customerRoutes` …) carries only their schemas.
 */
export const routes: Routes = /* @__PURE__ */ Object.assign(
  {},
  authRoutes,
  keyRoutes,
  workspaceRoutes,
  customerRoutes,
  identityRoutes,
  settingsRoutes,
  eventRoutes,
  trackingRoutes,
  propertyRoutes,
  auditRoutes,
  consentRoutes,
  subscriptionRoutes,
  privacyRoutes,
  privacyRequestRoutes,
);

/** The summary and description of every route, for the docs and the OpenAPI document (its type also checks that every group holds route definitions). */
export const routeDocs: RouteDocs<Routes> = /* @__PURE__ */ Object.assign(
  {},
  authRouteDocs,
  keyRouteDocs,
  workspaceRouteDocs,
  customerRouteDocs,
  identityRouteDocs,
  settingsRouteDocs,
  eventRouteDocs,
  trackingRouteDocs,
  propertyRouteDocs,
  auditRouteDocs,
  consentRouteDocs,
  subscriptionRouteDocs,
  privacyRouteDocs,
  privacyRequestRouteDocs,
);
export type RouteName = keyof Routes;

/** The base path every route lives under. */
export const apiBasePath = "/v1";
