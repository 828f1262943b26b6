import { apiBasePath, type RouteDefinition, type RouteName, responseSchemas, routes, trackingLimits } from "@cdp/contract";
import { Hono } from "hono";
import { recordAudit } from "../domain/audit.js";
import type { Domain, Scope } from "../domain/context.js";
import { DomainError } from "../domain/errors.js";
import { canonicalJson } from "../domain/patch.js";
import { authorize, type Caller } from "./auth.js";
import { mayHaveBody, parseJson, readBodyText } from "./body.js";
import { errorResponse, jsonResponse } from "./errors.js";
import { type HandlerInput, type HandlerResult, handlers } from "./handlers.js";
import { claimIdempotencyKey } from "./idempotency.js";
import { serveToken } from "./token.js";
import { noQuery, parsePart, readQuery } from "./validate.js";

export interface AppOptions {
  /** Check every answer against the route's response schema; a mismatch (our bug) is reported to `logError`. */
  validateResponses?: boolean;
  /** Where unexpected errors go; never personal data. */
  logError?: (error: unknown, requestId: string) => void;
}

const corsHeaders = {
  "access-control-allow-origin": "*",
  "access-control-expose-headers": "Cdp-Request-Id, Retry-After, Idempotent-Replayed",
};

/** The HTTP app: mounts every route of the contract's table in one loop. The domain never sees a Request. */
export function createApp(domain: Domain, options: AppOptions = {}): Hono {
  // `strict: false`: `/v1/track/` is `/v1/track`. A tracker configured with a trailing slash must not
  // get a 4xx, which it takes as final and drops the message for.
  const app = new Hono({ strict: false });
  const logError = options.logError ?? ((error, requestId) => console.error(`[cdp] ${requestId}`, error));
  const checkResponse: ResponseCheck | undefined =
    (options.validateResponses ?? true)
      ? (route, name, body, requestId) => reportMismatch(route, name, body, requestId, logError)
      : undefined;

  app.use(async (c, next) => {
    const requestId = domain.ids.id("request");
    c.set("requestId" as never, requestId as never);
    await next();
    c.res.headers.set("cdp-request-id", requestId);
    for (const [name, value] of Object.entries(corsHeaders)) c.res.headers.set(name, value);
  });

  app.options(
    "*",
    () =>
      new Response(null, {
        status: 204,
        headers: {
          "access-control-allow-methods": "GET, POST, PATCH, DELETE, OPTIONS",
          "access-control-allow-headers": "Authorization, Content-Type, Idempotency-Key, Cdp-Workspace",
          "access-control-max-age": "86400",
        },
      }),
  );

  for (const [name, route] of Object.entries(routes) as Array<[RouteName, RouteDefinition]>) {
    const path = apiBasePath + route.path.replace(/\{(\w+)\}/g, ":$1");
    app.on(route.method, path, async (c) => {
      const requestId = c.get("requestId" as never) as string;
      try {
        if (name === "auth.token") return await serveToken(domain, c.req.raw);
        return await serve(
          domain,
          name,
          route,
          c.req.raw,
          c.req.param() as Record<string, string> /* Hono decodes them */,
          requestId,
          checkResponse,
        );
      } catch (error) {
        if (error instanceof DomainError) return errorResponse(error.code, requestId, error.detail, error.issues);
        logError(error, requestId);
        return errorResponse("internal", requestId);
      }
    });
  }

  app.notFound((c) => {
    const requestId = c.get("requestId" as never) as string;
    const pathname = new URL(c.req.url).pathname;
    const allowed = Object.values(routes as Record<string, RouteDefinition>)
      .filter((route) => pathPattern(route.path).test(pathname))
      .map((route) => route.method);
    if (allowed.length > 0)
      return errorResponse("method_not_allowed", requestId, undefined, undefined, { allow: [...new Set(allowed)].join(", ") });
    return errorResponse("route_not_found", requestId, `No route ${c.req.method} ${pathname}.`);
  });

  app.onError((error, c) => {
    const requestId = (c.get("requestId" as never) as string | undefined) ?? "req_unknown";
    logError(error, requestId);
    return errorResponse("internal", requestId);
  });

  return app;
}

async function serve(
  domain: Domain,
  name: Exclude<RouteName, "auth.token">,
  route: RouteDefinition,
  request: Request,
  rawParams: Record<string, string>,
  requestId: string,
  checkResponse: ResponseCheck | undefined,
): Promise<Response> {
  const tracking = route.auth === "tracking";
  /** The body as canonical JSON (keys sorted): the same request with other spacing or key order is the same request. */
  let fingerprint = "";
  let raw: unknown;
  const readBody = async () => {
    const type = request.headers.get("content-type");
    if (type && !/^(application\/(.+\+)?json|text\/plain)\b/i.test(type))
      throw new DomainError("unsupported_media_type", `Send application/json, not ${type.split(";")[0]}.`);
    const bodyText = await readBodyText(request, tracking ? trackingLimits.bodyBytes : undefined);
    raw = bodyText.trim() === "" ? (route.bodyOptional ? {} : undefined) : parseJson(bodyText);
    // A message's size is the UTF-8 bytes of JSON.stringify(message), whatever spacing or escapes it was sent with.
    if (
      tracking &&
      route.name !== "batch" &&
      new TextEncoder().encode(JSON.stringify(raw) ?? "").byteLength > trackingLimits.messageBytes
    ) {
      throw new DomainError("payload_too_large", `A message may be at most ${trackingLimits.messageBytes} bytes.`, [
        { path: "body", message: "larger than 32 KiB" },
      ]);
    }
    // Only a request with an Idempotency-Key needs the fingerprint (the tracking hot path has none).
    if (request.headers.has("idempotency-key")) fingerprint = canonicalJson(raw);
  };
  // A tracking body may carry the write key, so it is read before authentication (its size is bounded).
  if (tracking) await readBody();
  const bodyWriteKey = tracking && raw !== null && typeof raw === "object" ? (raw as { writeKey?: unknown }).writeKey : undefined;
  const caller = await authorize(domain, request, route, typeof bodyWriteKey === "string" ? bodyWriteKey : undefined);
  const params = route.params ? parsePart(route.params, rawParams, "params") : undefined;
  // A name the route does not declare is refused (`?limt=10` must not be ignored); the tracking
  // routes ignore the query string as Segment's API does.
  const query = tracking && !route.query ? undefined : parsePart(route.query ?? noQuery, readQuery(new URL(request.url)), "query");

  let body: unknown;
  if (route.body) {
    if (!tracking) await readBody();
    if (raw === undefined)
      throw new DomainError("validation_failed", "The request needs a JSON body.", [{ path: "body", message: "required" }]);
    body = parsePart(route.body, raw, "body");
  } else if (route.method !== "GET") {
    // A route that takes no body still reads it, so that a body sent by mistake is refused, not
    // ignored while the write goes through: invalid JSON as everywhere, and anything but `{}`.
    // A request with no body at all is not asked what type or encoding it is (curl -d '' sends a form type).
    if (mayHaveBody(request)) await readBody();
    const empty = raw === undefined || (raw !== null && typeof raw === "object" && !Array.isArray(raw) && Object.keys(raw).length === 0);
    if (!empty) throw new DomainError("validation_failed", "This route takes no body.", [{ path: "body", message: "takes no body" }]);
    // No body and `{}` are the same request for its Idempotency-Key.
    fingerprint = "";
  }

  const idempotencyKey = route.method === "GET" ? null : request.headers.get("idempotency-key");
  let claim: Awaited<ReturnType<typeof claimIdempotencyKey>> | undefined;
  if (idempotencyKey !== null) {
    if (idempotencyKey.length === 0 || idempotencyKey.length > 255) {
      throw new DomainError("validation_failed", "Idempotency-Key must be 1 to 255 characters.", [
        { path: "headers.idempotency-key", message: "must be 1 to 255 characters" },
      ]);
    }
    const scope = [caller.actor.keyId, caller.workspaceId ?? "", route.method, routePath(request), idempotencyKey].join("\u0000");
    claim = await claimIdempotencyKey(domain, scope, fingerprint, { pathNamesSubject: name !== "customers.erase" });
    if ("replay" in claim) {
      return new Response(claim.replay.body, {
        status: claim.replay.status,
        headers: { "content-type": "application/json; charset=utf-8", "idempotent-replayed": "true" },
      });
    }
  }

  let response: Response;
  try {
    response = await run(domain, name, route, caller, params, query, body, requestId, checkResponse);
  } catch (error) {
    if (claim && "claim" in claim) {
      if (error instanceof DomainError) {
        const refused = errorResponse(error.code, requestId, error.detail, error.issues);
        claim.claim.complete(refused.status, await refused.clone().text());
      } else {
        claim.claim.release();
      }
    }
    throw error;
  }
  if (claim && "claim" in claim) claim.claim.complete(response.status, await response.clone().text());
  return response;
}

async function run(
  domain: Domain,
  name: Exclude<RouteName, "auth.token">,
  route: RouteDefinition,
  caller: Caller,
  params: unknown,
  query: unknown,
  body: unknown,
  requestId: string,
  checkResponse: ResponseCheck | undefined,
): Promise<Response> {
  const scope = (): Scope => {
    if (!caller.workspaceId) throw new DomainError("workspace_required");
    return { actor: caller.actor, workspaceId: caller.workspaceId, source: route.auth === "tracking" ? "tracking" : "api" };
  };
  const handler = handlers[name] as (input: HandlerInput<RouteDefinition>) => ReturnType<(typeof handlers)[typeof name]>;
  const audit = (target: string | null) => {
    // A tracking message's fields are the sender's data, not a reason given to the API.
    const given = route.auth === "tracking" ? undefined : (body as { reason?: unknown } | undefined)?.reason;
    const reason = typeof given === "string" ? given : null;
    recordAudit(domain, { actor: caller.actor, workspaceId: caller.workspaceId, action: name, target, reason, requestId });
  };
  let result: HandlerResult;
  try {
    result = await handler({
      domain,
      actor: caller.actor,
      workspaceId: caller.workspaceId,
      scope,
      params,
      query,
      body,
    } as HandlerInput<RouteDefinition>);
  } catch (error) {
    // A refusal that still recorded something (a tracked withdrawal on a restricted profile) is a write too.
    if (route.audited && error instanceof DomainError && error.recordedOn !== undefined) audit(error.recordedOn);
    throw error;
  }
  checkResponse?.(route, name, result.body, requestId);
  if (route.audited && !result.unchanged) audit(result.target ?? null);
  if (result.text) {
    return new Response(result.text.body, { status: result.status ?? route.status, headers: { "content-type": result.text.contentType } });
  }
  return jsonResponse(result.status ?? route.status, result.body);
}

type ResponseCheck = (route: RouteDefinition, name: string, body: unknown, requestId: string) => void;

/**
 * A mismatch between an answer and its schema is our bug. The write (if any) has happened, so the
 * answer still goes out (and is kept for its idempotency key); the mismatch goes to the error log.
 */
function reportMismatch(
  route: RouteDefinition,
  name: string,
  body: unknown,
  requestId: string,
  logError: (error: unknown, requestId: string) => void,
) {
  const checked = responseSchemas[route.response].safeParse(body);
  if (!checked.success) {
    logError(
      new Error(`the answer of ${name} does not match ${route.response}: ${JSON.stringify(checked.error.issues).slice(0, 2000)}`),
      requestId,
    );
  }
}

/** The request's path as the router matched it: one trailing slash is no part of it. */
function routePath(request: Request): string {
  const pathname = new URL(request.url).pathname;
  return pathname.length > 1 && pathname.endsWith("/") ? pathname.slice(0, -1) : pathname;
}

/** The same paths the router serves (`strict: false`): a 405 names only methods that would be served. */
function pathPattern(path: string): RegExp {
  return new RegExp(`^${apiBasePath}${path.replace(/\{(\w+)\}/g, "[^/]+")}/?$`);
}
