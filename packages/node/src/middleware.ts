import { anonymousIdCookie, readAnonymousId, type Tracker, type TrackingCalls } from "@cdp/sdk/tracking";

/** What the middleware reads of a Node request (Express's and Fastify's both fit). */
export interface RequestLike {
  headers: { cookie?: string | undefined; "user-agent"?: string | undefined };
}

/** Options of every middleware. */
export interface MiddlewareOptions {
  /** The cookie that holds the browser's anonymous id. Default {@link anonymousIdCookie} (`cdp_anonymous_id`). */
  cookie?: string;
}

const trackers = new WeakMap<object, TrackingCalls>();

/**
 * The tracker the middleware bound to this request: its messages carry the browser's anonymous id
 * (from the cookie) unless they name their own, and the request's user agent in `context`.
 * Throws when no middleware saw the request.
 */
export function trackerOf(request: object): TrackingCalls {
  const bound = trackers.get(request);
  if (!bound) throw new Error("no tracker for this request: mount trackingMiddleware, fastifyTracking or withTracking first");
  return bound;
}

/** Binds a tracker to one request's visitor: anonymous id from the cookie, user agent in context. */
export function bindToRequest(
  tracker: Tracker,
  cookieHeader: string | null | undefined,
  userAgent: string | null | undefined,
  options: MiddlewareOptions = {},
): TrackingCalls {
  const anonymousId = readAnonymousId(cookieHeader, options.cookie ?? anonymousIdCookie);
  return tracker.bind({ ...(anonymousId ? { anonymousId } : {}), ...(userAgent ? { context: { userAgent } } : {}) });
}

/**
 * Express (and Connect) middleware: gives each request a tracker bound to the browser's anonymous
 * id, as `req.tracker` and `trackerOf(req)`.
 *
 * ```ts
 * app.use(trackingMiddleware(tracker));
 * app.post("/checkout", (req, res) => { trackerOf(req).track({ event: "Checkout Started" }); res.sendStatus(204); });
 * ```
 */
export function trackingMiddleware(
  tracker: Tracker,
  options: MiddlewareOptions = {},
): (request: RequestLike & { tracker?: TrackingCalls }, response: unknown, next: (error?: unknown) => void) => void {
  return (request, _response, next) => {
    const bound = bindToRequest(tracker, request.headers.cookie, request.headers["user-agent"], options);
    trackers.set(request, bound);
    request.tracker = bound;
    next();
  };
}

/** The part of a Fastify instance the plugin uses. */
export interface FastifyLike {
  decorateRequest(name: "tracker", value: null): unknown;
  addHook(
    name: "onRequest",
    hook: (request: RequestLike & { tracker?: TrackingCalls | null }, reply: unknown, done: () => void) => void,
  ): unknown;
}

/** A Fastify plugin as `register` takes it. */
export type FastifyTrackingPlugin = (instance: FastifyLike, options: unknown, done: (error?: Error) => void) => void;

/**
 * A Fastify plugin: gives each request a tracker bound to the browser's anonymous id, as
 * `request.tracker` and `trackerOf(request)`. It applies to the whole app, not only the
 * plugin's scope (as `fastify-plugin` would make it).
 *
 * ```ts
 * await app.register(fastifyTracking(tracker));
 * app.post("/checkout", async (request) => { trackerOf(request).track({ event: "Checkout Started" }); return { ok: true }; });
 * ```
 */
export function fastifyTracking(tracker: Tracker, options: MiddlewareOptions = {}): FastifyTrackingPlugin {
  const plugin: FastifyTrackingPlugin = (instance, _options, done) => {
    instance.decorateRequest("tracker", null);
    instance.addHook("onRequest", (request, _reply, next) => {
      const bound = bindToRequest(tracker, request.headers.cookie, request.headers["user-agent"], options);
      trackers.set(request, bound);
      request.tracker = bound;
      next();
    });
    done();
  };
  // What fastify-plugin sets: no encapsulation, so the hook sees every route; a name in Fastify's errors.
  Object.assign(plugin, { [Symbol.for("skip-override")]: true, [Symbol.for("fastify.display-name")]: "@cdp/node" });
  return plugin;
}

/**
 * Wraps a web-standard handler (`(Request) => Response`: Hono, Next.js route handlers, Bun, Deno)
 * so that it gets a tracker bound to the browser's anonymous id.
 *
 * ```ts
 * export const POST = withTracking(tracker, async (request, tracking) => {
 *   tracking.track({ event: "Checkout Started" });
 *   return new Response(null, { status: 204 });
 * });
 * ```
 */
export function withTracking<Rest extends unknown[]>(
  tracker: Tracker,
  handler: (request: Request, tracking: TrackingCalls, ...rest: Rest) => Response | Promise<Response>,
  options: MiddlewareOptions = {},
): (request: Request, ...rest: Rest) => Promise<Response> {
  return async (request, ...rest) => {
    const bound = bindToRequest(tracker, request.headers.get("cookie"), request.headers.get("user-agent"), options);
    trackers.set(request, bound);
    return handler(request, bound, ...rest);
  };
}
