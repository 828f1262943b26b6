import { errorCodes, TokenRequest } from "@cdp/contract";
import { authenticate, issueToken } from "../domain/access.js";
import type { Domain } from "../domain/context.js";
import { decodeBasic } from "./auth.js";
import { readBodyText } from "./body.js";
import { jsonResponse } from "./errors.js";

/**
 * `POST /v1/oauth/token`, RFC 6749 §4.4 client credentials. Form-encoded or JSON; the client
 * authenticates by HTTP Basic or in the body; errors are §5.2's `{ error, error_description }`,
 * a write key's included (`write_key_forbidden`, 403, as on every route that is not for tracking).
 */
export async function serveToken(domain: Domain, request: Request): Promise<Response> {
  const oauthError = (status: number, error: string, description: string, headers?: HeadersInit) =>
    jsonResponse(status, { error, error_description: description }, { "cache-control": "no-store", ...headers });
  let fields: Record<string, unknown>;
  try {
    const text = await readBodyText(request, 64 * 1024);
    const type = request.headers.get("content-type") ?? "";
    fields = type.includes("application/json")
      ? (JSON.parse(text || "{}") as Record<string, unknown>)
      : Object.fromEntries(new URLSearchParams(text));
    if (typeof fields !== "object" || fields === null || Array.isArray(fields)) throw new TypeError("not an object");
  } catch {
    return oauthError(400, "invalid_request", "The body must be form-encoded (or JSON) token request parameters.");
  }
  const parsed = TokenRequest.safeParse(fields);
  if (!parsed.success) return oauthError(400, "invalid_request", "grant_type, client_id and client_secret must be strings.");
  if (parsed.data.grant_type !== "client_credentials") {
    return oauthError(400, "unsupported_grant_type", "Only grant_type=client_credentials is supported.");
  }
  const header = request.headers.get("authorization");
  const basic = header?.toLowerCase().startsWith("basic ") ? decodeBasic(header.slice(6).trim()) : undefined;
  if (basic && (parsed.data.client_id !== undefined || parsed.data.client_secret !== undefined)) {
    return oauthError(400, "invalid_request", "Authenticate the client one way: HTTP Basic or the body, not both.");
  }
  const clientId = basic ? safeDecode(basic.user) : parsed.data.client_id;
  const clientSecret = basic ? safeDecode(basic.password) : parsed.data.client_secret;
  // A write key is refused as on every route that is not for tracking (403 write_key_forbidden),
  // in this route's §5.2 shape: given as Segment sends it (Basic `wk_…:`) or as the client's secret.
  if ((await isWriteKey(domain, clientId)) || (await isWriteKey(domain, clientSecret))) {
    return oauthError(403, "write_key_forbidden", errorCodes.write_key_forbidden.message);
  }
  if (!clientId || !clientSecret) {
    return oauthError(401, "invalid_client", "Client authentication is required.", { "www-authenticate": 'Basic realm="cdp"' });
  }
  const token = await issueToken(domain, clientId, clientSecret);
  if (!token) {
    return oauthError(
      401,
      "invalid_client",
      "Unknown client or wrong secret.",
      basic ? { "www-authenticate": 'Basic realm="cdp"' } : undefined,
    );
  }
  return jsonResponse(200, token, { "cache-control": "no-store", pragma: "no-cache" });
}

async function isWriteKey(domain: Domain, secret: string | undefined): Promise<boolean> {
  if (!secret) return false;
  const actor = await authenticate(domain, secret);
  return typeof actor === "object" && actor.kind === "write";
}

/** RFC 6749 §2.3.1: Basic credentials are form-url-encoded before base64. */
function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value.replace(/\+/g, " "));
  } catch {
    return value;
  }
}
