import * as z from "zod/mini";
import { AuditEntry } from "./schemas/audit.js";
import { Key, KeyCreated, Me, TokenResponse, Workspace } from "./schemas/auth.js";
import { page } from "./schemas/common.js";
import { ConsentRecord, ConsentState, Purpose, PurposeList } from "./schemas/consent.js";
import { BulkDeleted, Customer, CustomerCreated, CustomerDeleted, CustomerProjection } from "./schemas/customer.js";
import { Event, EventDeleted, EventType, EventTypeList } from "./schemas/event.js";
import { ChangelogEntry, CustomerIdentities, CustomerMerged, IdentityResolved, Purchases, Timeline } from "./schemas/identity.js";
import { CustomerExport, PrivacyRequest } from "./schemas/privacy.js";
import { PropertyDefinition, PropertyList } from "./schemas/property.js";
import { Settings } from "./schemas/settings.js";
import {
  CustomerSubscriptions,
  Subscription,
  SubscriptionList,
  SubscriptionLists,
  Suppression,
  SuppressionList,
} from "./schemas/subscription.js";
import { TrackingResult } from "./schemas/tracking.js";

/**
 * What routes answer, by name: a route's `response` names one of these. Kept apart from the route
 * table so a client that never parses answers (the SDK) does not bundle them; the backend checks
 * its answers against them and the OpenAPI document lists them under `components.schemas`.
 */
export const responseSchemas = {
  TokenResponse,
  Me,
  Key,
  KeyCreated,
  KeyPage: /* @__PURE__ */ page(Key),
  Workspace,
  WorkspaceList: /* @__PURE__ */ z.object({ data: /* @__PURE__ */ z.array(Workspace) }),
  Customer,
  CustomerProjection,
  CustomerCreated,
  CustomerDeleted,
  CustomerPage: /* @__PURE__ */ page(CustomerProjection),
  BulkDeleted,
  PropertyDefinition,
  PropertyList,
  AuditPage: /* @__PURE__ */ page(AuditEntry),
  Event,
  EventPage: /* @__PURE__ */ page(Event),
  EventDeleted,
  EventType,
  EventTypeList,
  IdentityResolved,
  CustomerMerged,
  CustomerIdentities,
  ChangelogPage: /* @__PURE__ */ page(ChangelogEntry),
  Timeline,
  Purchases,
  Settings,
  TrackingResult,
  Purpose,
  PurposeList,
  ConsentState,
  ConsentRecord,
  ConsentRecordPage: /* @__PURE__ */ page(ConsentRecord),
  SubscriptionList,
  SubscriptionLists,
  Subscription,
  CustomerSubscriptions,
  Suppression,
  SuppressionList,
  CustomerExport,
  PrivacyRequest,
  PrivacyRequestPage: /* @__PURE__ */ page(PrivacyRequest),
};

export type ResponseName = keyof typeof responseSchemas;
