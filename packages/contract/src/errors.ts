import * as z from "zod/mini";

/** The kinds of error an answer can carry; each maps to a family of HTTP statuses. */
export const errorTypes = ["invalid_request", "authentication", "permission", "not_found", "conflict", "rate_limit", "server"] as const;
export type ErrorType = (typeof errorTypes)[number];

export const ApiIssue = z.object({
  /** Dotted place of the problem, e.g. `body.identifiers.0.value` or `query.limit`. */
  path: z.string(),
  message: z.string(),
});
export type ApiIssue = z.infer<typeof ApiIssue>;

export const ErrorBody = z.object({
  error: z.object({
    type: z.enum(errorTypes),
    code: z.string(),
    message: z.string(),
    issues: z.optional(z.array(ApiIssue)),
    requestId: z.string(),
  }),
});
export type ErrorBody = z.infer<typeof ErrorBody>;

/**
 * Every stable error code, with its HTTP status and type. Programs branch on `code`; the table
 * is what the backend raises and what the docs list.
 */
export const errorCodes = {
  validation_failed: { status: 400, type: "invalid_request", message: "The request does not match the schema." },
  invalid_json: { status: 400, type: "invalid_request", message: "The body is not valid JSON." },
  too_deep: { status: 400, type: "invalid_request", message: "The JSON is nested deeper than 32 levels." },
  identifier_field: {
    status: 400,
    type: "invalid_request",
    message: "email and phone mirror identifiers; change identifiers through their own routes.",
  },
  invalid_cursor: { status: 400, type: "invalid_request", message: "The cursor is not one this list issued for this query." },
  payload_too_large: { status: 413, type: "invalid_request", message: "The body is larger than allowed." },
  unsupported_media_type: { status: 415, type: "invalid_request", message: "Send application/json." },
  unknown_property: { status: 422, type: "invalid_request", message: "A property is not defined in the workspace's schema." },
  invalid_property: { status: 422, type: "invalid_request", message: "A property value does not match its definition." },
  required_property: { status: 422, type: "invalid_request", message: "A required property is missing." },
  blocked_identifier: { status: 422, type: "invalid_request", message: "An identifier value is blocked." },
  identifier_erased: {
    status: 422,
    type: "invalid_request",
    message: "An identifier belonged to a person whose data was erased; it re-creates no one.",
  },
  identifier_types_exhausted: {
    status: 422,
    type: "invalid_request",
    message: "The workspace already knows as many identifier types of its own as it may.",
  },
  identifier_limit: { status: 422, type: "invalid_request", message: "The profile would hold more identifiers of a type than its limit." },
  identifier_not_unique: {
    status: 422,
    type: "invalid_request",
    message:
      "The identifier type is declared non-unique in the workspace, so a value identifies no one customer; find its holders with POST /v1/customers/search instead.",
  },
  unknown_event_type: {
    status: 422,
    type: "invalid_request",
    message: "The event type is not defined, and the workspace refuses unknown types.",
  },
  no_identifier: {
    status: 422,
    type: "invalid_request",
    message: "The message carries no usable identifier (every one was blocked or invalid); the issues name each one and why.",
  },
  unknown_purpose: { status: 422, type: "invalid_request", message: "The consent purpose is not defined in the workspace." },
  backdated_consent: {
    status: 422,
    type: "invalid_request",
    message: "collectedAt lies in the past; send historicalImport: true to record a past decision.",
  },
  no_contact_value: { status: 422, type: "invalid_request", message: "The customer holds no contact value for the list's channel." },
  contact_not_held: { status: 422, type: "invalid_request", message: "The customer does not hold that contact value." },
  contact_suppressed: { status: 422, type: "invalid_request", message: "The contact value is suppressed on the list's channel." },
  objection_active: {
    status: 422,
    type: "invalid_request",
    message: "The customer objects to marketing (GDPR art. 21); marketing lists refuse them.",
  },
  reserved_property: { status: 422, type: "invalid_request", message: "The name belongs to a base property." },
  unauthenticated: { status: 401, type: "authentication", message: "Send a valid key: Authorization: Bearer <key>." },
  token_expired: { status: 401, type: "authentication", message: "The access token has expired; request a new one." },
  forbidden: { status: 403, type: "permission", message: "The key's role does not allow this." },
  write_key_forbidden: { status: 403, type: "permission", message: "A write key can only send tracking messages." },
  workspace_required: {
    status: 400,
    type: "invalid_request",
    message: "The key is bound to several workspaces; name one with the Cdp-Workspace header.",
  },
  workspace_forbidden: { status: 403, type: "permission", message: "The key is not bound to that workspace." },
  processing_restricted: { status: 403, type: "permission", message: "The profile's processing is restricted." },
  not_found: { status: 404, type: "not_found", message: "No such resource." },
  route_not_found: { status: 404, type: "not_found", message: "No such route." },
  idempotency_erased: {
    status: 410,
    type: "not_found",
    message:
      "The answer kept for this Idempotency-Key named a person since erased or deleted: it is gone, and the request does not run again.",
  },
  method_not_allowed: { status: 405, type: "invalid_request", message: "The route does not take that method." },
  identifier_conflict: { status: 409, type: "conflict", message: "An identifier belongs to another profile." },
  already_exists: { status: 409, type: "conflict", message: "A resource with that name already exists." },
  message_replayed: { status: 409, type: "conflict", message: "That messageId was used before in the workspace." },
  subscription_not_pending: { status: 409, type: "conflict", message: "Only a pending subscription can be confirmed." },
  idempotency_mismatch: { status: 409, type: "conflict", message: "The Idempotency-Key was used with another request." },
  idempotency_in_progress: { status: 409, type: "conflict", message: "A request with this Idempotency-Key is still in flight." },
  rate_limited: { status: 429, type: "rate_limit", message: "Too many requests; retry after the time given." },
  internal: { status: 500, type: "server", message: "Something went wrong on our side." },
} as const satisfies Record<string, { status: number; type: ErrorType; message: string }>;

export type ErrorCode = keyof typeof errorCodes;
