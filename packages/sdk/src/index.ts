/**
 * The typed client of the `@cdp` customer data platform API. Runs unchanged in Node, browsers and
 * edge runtimes (fetch and Web Crypto only).
 *
 * @packageDocumentation
 */
export type {
  Address,
  ApiIssue,
  AuditEntry,
  AuditListQuery,
  BatchBody,
  ChangelogEntry,
  Channel,
  ConsentRecord,
  ConsentRecordCreate,
  ConsentState,
  Customer,
  CustomerCreate,
  CustomerCreated,
  CustomerExport,
  CustomerListQuery,
  CustomerMerge,
  CustomerProjection,
  CustomerSearch,
  CustomerUpdate,
  ErrorCode,
  ErrorType,
  Event,
  EventCreate,
  EventListQuery,
  EventType,
  EventTypeDefine,
  EventUpdate,
  Identifier,
  IdentifierTypeSettings,
  IdentityChange,
  IdentityResolve,
  Key,
  KeyCreate,
  KeyCreated,
  ListCreate,
  Me,
  MessageType,
  PrivacyRequest,
  PropertyDefine,
  PropertyDefinition,
  Purpose,
  PurposeDefine,
  RouteBody,
  RouteDefinition,
  RouteName,
  RouteQuery,
  RouteResponse,
  Routes,
  SearchCondition,
  SearchGroup,
  SearchOperator,
  Settings as WorkspaceSettings,
  SettingsUpdate,
  Subscription,
  SubscriptionList,
  SuppressionCreate,
  TokenRequest,
  TokenResponse,
  TrackingMessage,
  TrackingResult,
  Workspace,
  WorkspaceCreate,
} from "@cdp/contract";
export { Cdp } from "./cdp.js";
export {
  AuthenticationError,
  CdpError,
  type CdpErrorInit,
  type CdpErrorType,
  ConflictError,
  ConnectionError,
  NotFoundError,
  PermissionError,
  RateLimitError,
  ServerError,
  TimeoutError,
  ValidationError,
} from "./core/errors.js";
export { type Page, PagedList, type PageFetcher } from "./core/pagination.js";
export { ApiClient, type CdpOptions, type FetchLike, type PageItem, type RequestOptions, type RouteInput } from "./core/request.js";
export { ApiResource, type BodyOf, type ItemOf, type QueryOf, type ResponseOf } from "./core/resource.js";
export type { Dated } from "./core/timestamp.js";
export { Audit } from "./resources/audit.js";
export { Auth, type ClientCredentials } from "./resources/auth.js";
export { Consents, Purposes } from "./resources/consents.js";
export { Customers } from "./resources/customers.js";
export { Events, EventTypes } from "./resources/events.js";
export { Identity } from "./resources/identity.js";
export { Keys } from "./resources/keys.js";
export { Privacy } from "./resources/privacy.js";
export { PrivacyRequests } from "./resources/privacy-requests.js";
export { Properties } from "./resources/properties.js";
export { Settings } from "./resources/settings.js";
export { Lists, Subscriptions, Suppressions } from "./resources/subscriptions.js";
export { type BatchMessage, type BatchRequest, Tracking } from "./resources/tracking.js";
export { Workspaces } from "./resources/workspaces.js";
