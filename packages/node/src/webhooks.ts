import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from "node:http";

/** A web-standard handler, as `@cdp/shopify` and `@cdp/woocommerce` make them. */
export type WebHandler = (request: Request) => Response | Promise<Response>;

/** What the adapters read of a Node request (`http.IncomingMessage`; Express's request is one). */
export interface NodeRequestLike extends AsyncIterable<Uint8Array | string> {
  method?: string | undefined;
  url?: string | undefined;
  /** Express: the path as mounted. */
  originalUrl?: string | undefined;
  headers: IncomingHttpHeaders;
  /** What a body parser left: a Buffer (`express.raw()`) is the raw body; an object means the raw bytes are gone. */
  body?: unknown;
  /** Where some body parsers keep the raw bytes (`rawBody`). */
  rawBody?: unknown;
}

/**
 * The raw bytes of a Node request's body, which webhook signatures are computed over: read from
 * the stream, or taken from a parser that kept them (`express.raw()`, a `rawBody` field). Fails
 * when a JSON parser consumed the stream first, since the signature can no longer be checked.
 */
export async function readRawBody(request: NodeRequestLike): Promise<Uint8Array> {
  if (request.rawBody instanceof Uint8Array) return request.rawBody;
  if (request.body instanceof Uint8Array) return request.body;
  if (request.body !== undefined && request.body !== null && !isEmptyObject(request.body)) {
    throw new TypeError(
      "the request body was parsed before the webhook handler, so its signature cannot be checked: mount the webhook route before express.json(), or give it express.raw({ type: '*/*' })",
    );
  }
  const chunks: Uint8Array[] = [];
  for await (const chunk of request) chunks.push(typeof chunk === "string" ? new TextEncoder().encode(chunk) : chunk);
  return Buffer.concat(chunks);
}

/** A web `Request` for a Node request whose body was read. */
export function toWebRequest(request: NodeRequestLike, body: Uint8Array): Request {
  const headers = new Headers();
  for (const [name, value] of Object.entries(request.headers)) {
    if (value === undefined) continue;
    for (const item of Array.isArray(value) ? value : [value]) headers.append(name, item);
  }
  const url = new URL(request.originalUrl ?? request.url ?? "/", `http://${headers.get("host") ?? "localhost"}`);
  const method = (request.method ?? "GET").toUpperCase();
  return new Request(url, { method, headers, ...(method === "GET" || method === "HEAD" ? {} : { body: body as Uint8Array<ArrayBuffer> }) });
}

/** Writes a web `Response` to a Node response. */
export async function writeWebResponse(response: Response, target: ServerResponse): Promise<void> {
  target.statusCode = response.status;
  response.headers.forEach((value, name) => {
    target.setHeader(name, value);
  });
  target.end(Buffer.from(await response.arrayBuffer()));
}

/**
 * A `node:http` listener (`http.createServer(nodeWebhook(handler))`) that runs a web-standard
 * webhook handler on the request's raw body.
 */
export function nodeWebhook(handler: WebHandler): (request: IncomingMessage, response: ServerResponse) => Promise<void> {
  return async (request, response) => {
    const body = await readRawBody(request);
    await writeWebResponse(await handler(toWebRequest(request, body)), response);
  };
}

/**
 * An Express (or Connect) route handler that runs a web-standard webhook handler on the raw body:
 * `app.post("/webhooks/shopify", expressWebhook(handler))`. Mount it before `express.json()`, or
 * after `express.raw()`; a body another parser consumed is refused (the signature needs the bytes).
 */
export function expressWebhook(
  handler: WebHandler,
): (request: NodeRequestLike, response: ServerResponse, next: (error?: unknown) => void) => void {
  return (request, response, next) => {
    readRawBody(request)
      .then(async (body) => writeWebResponse(await handler(toWebRequest(request, body)), response))
      .catch(next);
  };
}

/** The part of a Fastify instance {@link fastifyWebhook} uses. */
export interface FastifyWebhookInstance {
  removeAllContentTypeParsers(): unknown;
  addContentTypeParser(
    contentType: string,
    options: { parseAs: "buffer" },
    parser: (request: unknown, body: Buffer, done: (error: Error | null, body?: unknown) => void) => void,
  ): unknown;
  post(path: string, handler: (request: { raw: IncomingMessage; body: unknown }, reply: FastifyReplyLike) => Promise<unknown>): unknown;
}

/** The part of a Fastify reply {@link fastifyWebhook} uses. */
export interface FastifyReplyLike {
  code(status: number): unknown;
  header(name: string, value: string): unknown;
  send(payload: Buffer): unknown;
}

/** A Fastify plugin as `register` takes it. */
export type FastifyWebhookPlugin = (instance: FastifyWebhookInstance, options: unknown, done: (error?: Error) => void) => void;

/**
 * A Fastify plugin that serves a web-standard webhook handler at `path` (POST) with the raw body:
 * `await app.register(fastifyWebhook("/webhooks/shopify", handler))`. It keeps every body as bytes
 * in its own scope only; the app's other routes parse JSON as before.
 */
export function fastifyWebhook(path: string, handler: WebHandler): FastifyWebhookPlugin {
  const plugin: FastifyWebhookPlugin = (instance, _options, done) => {
    instance.removeAllContentTypeParsers();
    instance.addContentTypeParser("*", { parseAs: "buffer" }, (_request, body, parsed) => parsed(null, body));
    instance.post(path, async (request, reply) => {
      const body = request.body instanceof Uint8Array ? request.body : new Uint8Array();
      const response = await handler(toWebRequest(request.raw, body));
      reply.code(response.status);
      response.headers.forEach((value, name) => {
        reply.header(name, value);
      });
      return reply.send(Buffer.from(await response.arrayBuffer()));
    });
    done();
  };
  Object.assign(plugin, { [Symbol.for("fastify.display-name")]: "@cdp/node webhook" });
  return plugin;
}

function isEmptyObject(value: unknown): boolean {
  return typeof value === "object" && value !== null && Object.keys(value).length === 0;
}
