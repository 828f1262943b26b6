import type { ApiIssue, ErrorType } from "@cdp/contract";

/**
 * What kind of failure an error is: the API's error types, plus `connection` and `timeout` for
 * requests that got no answer.
 */
export type CdpErrorType = ErrorType | "connection" | "timeout";

/** What every {@link CdpError} is made from. */
export interface CdpErrorInit {
  /** A stable code a program can branch on, e.g. `identifier_conflict`. */
  code: string;
  message: string;
  /** The HTTP status; absent when the error was raised before or without an answer. */
  status?: number | undefined;
  type?: CdpErrorType | undefined;
  requestId?: string | undefined;
  issues?: readonly ApiIssue[] | undefined;
  /** The answer's headers, when there was an answer. */
  headers?: Headers | undefined;
  cause?: unknown;
}

/**
 * The base of every error the SDK raises. Branch on the subclass (`instanceof NotFoundError`) or
 * on `code` (`error.code === "identifier_conflict"`); quote `requestId` when you report a problem.
 */
export class CdpError extends Error {
  override name = "CdpError";
  /** The HTTP status, or `undefined` when the error was raised before sending or without an answer. */
  readonly status: number | undefined;
  /** A stable code from the API's error table (e.g. `validation_failed`, `not_found`), or the SDK's own (`connection_failed`, `timeout`). */
  readonly code: string;
  /** The family of the error, as the API's envelope names it. */
  readonly type: CdpErrorType | undefined;
  /** The backend's id for the request (`error.requestId` or the `Cdp-Request-Id` header). */
  readonly requestId: string | undefined;
  /** Which fields were wrong and why, e.g. `{ path: "body.identifiers.0.type", message: "…" }`. */
  readonly issues: readonly ApiIssue[];
  /** The answer's headers, when there was an answer. */
  readonly headers: Headers | undefined;

  constructor(init: CdpErrorInit) {
    super(withIssues(init.message, init.issues), init.cause === undefined ? undefined : { cause: init.cause });
    this.status = init.status;
    this.code = init.code;
    this.type = init.type;
    this.requestId = init.requestId;
    this.issues = init.issues ?? [];
    this.headers = init.headers;
  }

  /**
   * Builds the error an answer stands for, choosing the subclass from the envelope's `type` or
   * else from the status. Understands the API's envelope `{ error: { type, code, message, issues,
   * requestId } }`, the token route's OAuth errors `{ error, error_description }` (RFC 6749 §5.2),
   * and bodies that are neither (a proxy's HTML page, say).
   */
  static from(status: number, body: unknown, headers?: Headers): CdpError {
    const requestId = headers?.get("Cdp-Request-Id") ?? undefined;
    const envelope = readEnvelope(body);
    if (envelope) {
      return build({ ...envelope, requestId: envelope.requestId ?? requestId, status, headers });
    }
    const oauth = readOAuthError(body);
    if (oauth) {
      const type = oauthAuthenticationErrors.has(oauth.error) ? "authentication" : "invalid_request";
      return build({ type, code: oauth.error, message: oauth.error_description ?? oauth.error, requestId, status, headers });
    }
    const type = typeFromStatus(status);
    const text = typeof body === "string" ? body.trim().slice(0, 200) : "";
    const message = `The API answered HTTP ${status}${text ? `: ${text}` : "."}`;
    return build({ type, code: codeFromStatus[status] ?? `http_${status}`, message, requestId, status, headers });
  }
}

/** The input does not match the contract (raised before sending, `status` undefined), or the API refused it (400, 405, 413, 415, 422). */
export class ValidationError extends CdpError {
  override name = "ValidationError";
}

/** The {@link ValidationError} for input refused before sending: which part (`params`, `query`, `body`) and why. */
export function refusedBeforeSending(where: "params" | "query" | "body", code: string, issues: readonly ApiIssue[]): ValidationError {
  return new ValidationError({
    type: "invalid_request",
    code,
    message: `Nothing was sent: the request's ${where} fails the API's schema.`,
    issues,
  });
}

/** The key or token is missing, wrong or expired (401), or the client credentials were refused. */
export class AuthenticationError extends CdpError {
  override name = "AuthenticationError";
}

/** The key's role or workspaces do not allow this (403). */
export class PermissionError extends CdpError {
  override name = "PermissionError";
}

/** No such resource or route (404). */
export class NotFoundError extends CdpError {
  override name = "NotFoundError";
}

/** The request conflicts with the current state, e.g. an identifier belongs to another profile (409). */
export class ConflictError extends CdpError {
  override name = "ConflictError";
}

/** Too many requests (429), after the SDK's own retries. */
export class RateLimitError extends CdpError {
  override name = "RateLimitError";
  /** Seconds the API asked to wait (`Retry-After`), when it said. */
  readonly retryAfter: number | undefined;

  constructor(init: CdpErrorInit) {
    super(init);
    this.retryAfter = parseRetryAfter(init.headers?.get("Retry-After"));
  }
}

/** The API failed (5xx), after the SDK's own retries. */
export class ServerError extends CdpError {
  override name = "ServerError";
}

/** No answer: the network failed or the connection dropped, after the SDK's own retries. */
export class ConnectionError extends CdpError {
  override name = "ConnectionError";
}

/** Every attempt took longer than the `timeout` (or the API answered 408). */
export class TimeoutError extends CdpError {
  override name = "TimeoutError";
}

const classByType: Record<CdpErrorType, new (init: CdpErrorInit) => CdpError> = {
  invalid_request: ValidationError,
  authentication: AuthenticationError,
  permission: PermissionError,
  not_found: NotFoundError,
  conflict: ConflictError,
  rate_limit: RateLimitError,
  server: ServerError,
  connection: ConnectionError,
  timeout: TimeoutError,
};

function build(init: CdpErrorInit): CdpError {
  const Class = init.type ? classByType[init.type] : CdpError;
  return new Class(init);
}

function typeFromStatus(status: number): CdpErrorType | undefined {
  if (status === 401) return "authentication";
  if (status === 403) return "permission";
  if (status === 404) return "not_found";
  if (status === 408) return "timeout";
  if (status === 409) return "conflict";
  if (status === 429) return "rate_limit";
  if (status >= 500) return "server";
  if (status === 400 || status === 405 || status === 413 || status === 415 || status === 422) return "invalid_request";
  return undefined;
}

/** Codes for answers without the API's envelope (a gateway's 429, a proxy's 404). */
const codeFromStatus: Record<number, string> = {
  400: "bad_request",
  401: "unauthenticated",
  403: "forbidden",
  404: "not_found",
  408: "timeout",
  413: "payload_too_large",
  415: "unsupported_media_type",
  429: "rate_limited",
};

/** RFC 6749 §5.2 codes that mean the client itself was refused; the rest are malformed requests. */
const oauthAuthenticationErrors = new Set(["invalid_client", "invalid_grant", "unauthorized_client"]);

function readEnvelope(body: unknown): Omit<CdpErrorInit, "status" | "headers"> | undefined {
  const error = isRecord(body) ? body.error : undefined;
  if (!isRecord(error) || typeof error.code !== "string") return undefined;
  return {
    code: error.code,
    message: typeof error.message === "string" ? error.message : error.code,
    type: typeof error.type === "string" && error.type in classByType ? (error.type as CdpErrorType) : undefined,
    requestId: typeof error.requestId === "string" ? error.requestId : undefined,
    issues: Array.isArray(error.issues) ? (error.issues as ApiIssue[]) : undefined,
  };
}

function readOAuthError(body: unknown): { error: string; error_description?: string } | undefined {
  if (!isRecord(body) || typeof body.error !== "string") return undefined;
  const description = typeof body.error_description === "string" ? body.error_description : undefined;
  return description === undefined ? { error: body.error } : { error: body.error, error_description: description };
}

/** `Retry-After` is seconds or an HTTP date (RFC 9110 §10.2.3); answers whole seconds, never negative. */
export function parseRetryAfter(value: string | null | undefined): number | undefined {
  if (value == null || value.trim() === "") return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, Math.ceil((date - Date.now()) / 1000));
}

function withIssues(message: string, issues: readonly ApiIssue[] | undefined): string {
  if (!issues?.length) return message;
  return `${message} ${issues.map((issue) => `${issue.path}: ${issue.message}`).join("; ")}`;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
