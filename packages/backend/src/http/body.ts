import { parseJsonExact } from "@cdp/contract";
import { DomainError } from "../domain/errors.js";

/** Bodies over 1 MiB answer 413; JSON nested deeper than 32 answers 400 (DESIGN.md §5). */
export const maxBodyBytes = 1024 * 1024;
export const maxJsonDepth = 32;

/**
 * Bodies handed over in-process as text (`backend.fetch(url, { body: "…" })`): the request is built
 * without them, so the text is not encoded into a stream only to be decoded back (a 70 KiB tracking
 * batch spent more time there than in parsing).
 */
const inProcessBodies = new WeakMap<Request, string>();

/** `new Request(input, init)`, except that a string body is kept aside for `readBodyText` to read as given. */
export function inProcessRequest(input: Request | string | URL, init?: RequestInit): Request {
  const method = init?.method?.toUpperCase() ?? "GET";
  // GET and HEAD with a body, and a Request given with init, go the standard way (and fail or merge as it does).
  if (typeof init?.body !== "string" || input instanceof Request || method === "GET" || method === "HEAD") return new Request(input, init);
  const headers = new Headers(init.headers);
  // What `new Request` would have said of a string body.
  if (!headers.has("content-type")) headers.set("content-type", "text/plain;charset=UTF-8");
  const request = new Request(input, { ...init, headers, body: null });
  inProcessBodies.set(request, init.body);
  return request;
}

/** Whether a request may carry a body: false when it surely has none (no stream, or `Content-Length: 0`, or an empty string in-process). */
export function mayHaveBody(request: Request): boolean {
  if (request.headers.get("content-length")?.trim() === "0") return false;
  const given = inProcessBodies.get(request);
  return given === undefined ? request.body !== null : given !== "";
}

/**
 * Reads the raw body as text, refusing more than `limit` bytes without reading them all. A body sent
 * with `Content-Encoding: gzip` (as Segment's Python library sends with `gzip=True`) or `deflate` is
 * decompressed first, the limit holding for what it decompresses to; any other encoding is a 415.
 */
export async function readBodyText(request: Request, limit = maxBodyBytes): Promise<string> {
  const declared = Number(request.headers.get("content-length") ?? Number.NaN);
  if (Number.isFinite(declared) && declared > limit) throw tooLarge(limit);
  const format = decodingOf(request.headers.get("content-encoding"));
  const given = inProcessBodies.get(request);
  if (given !== undefined) {
    inProcessBodies.delete(request);
    if (format === null) {
      // UTF-8 takes at most 3 bytes per UTF-16 unit: count the bytes only when that bound is over the limit.
      if (given.length * 3 > limit && new TextEncoder().encode(given).byteLength > limit) throw tooLarge(limit);
      return asDecoded(given);
    }
  }
  const source = given === undefined ? request.body : new Blob([given]).stream();
  if (!source) return "";
  if (format === null) return new TextDecoder().decode(await readAll(source, limit));
  try {
    return new TextDecoder().decode(await readAll(source.pipeThrough(new DecompressionStream(format)), limit));
  } catch (error) {
    if (error instanceof DomainError) throw error;
    throw new DomainError("invalid_json", `The body is not valid ${format}: ${(error as Error).message}`, [
      { path: "body", message: `is not valid ${format}` },
    ]);
  }
}

/** The `DecompressionStream` format a Content-Encoding names; null for none. */
function decodingOf(header: string | null): "gzip" | "deflate" | null {
  const encoding = header?.trim().toLowerCase() ?? "";
  if (encoding === "" || encoding === "identity") return null;
  if (encoding === "gzip" || encoding === "x-gzip") return "gzip";
  if (encoding === "deflate") return "deflate";
  throw new DomainError("unsupported_media_type", `Content-Encoding ${encoding} is not supported: send gzip, deflate or none.`, [
    { path: "headers.content-encoding", message: "must be gzip, deflate or identity" },
  ]);
}

/** Every byte of a stream, refusing more than `limit` without reading them all. */
async function readAll(stream: ReadableStream<Uint8Array>, limit: number): Promise<Uint8Array> {
  const reader = stream.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel().catch(() => {});
      throw tooLarge(limit);
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}

/**
 * The text as it would read after a trip through UTF-8 bytes, as a body from the network does: a
 * leading byte order mark dropped, lone surrogates replaced by U+FFFD. Most text needs neither.
 */
function asDecoded(text: string): string {
  if (!isWellFormed(text)) return new TextDecoder().decode(new TextEncoder().encode(text));
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** `String.prototype.isWellFormed` (ES2024) where the engine has it. */
function isWellFormed(text: string): boolean {
  const native = (text as { isWellFormed?: () => boolean }).isWellFormed;
  if (native) return native.call(text);
  return !/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(text);
}

/**
 * Parses JSON, refusing nesting deeper than `maxJsonDepth` and `__proto__` keys. V8's `JSON.parse`
 * does not recurse (a million nested arrays parse), so the parse comes first and one walk checks
 * both; only a body that fails is scanned again to say why, in the order the checks have always had:
 * too deep, then not JSON, then `__proto__`. An integer beyond 2^53 (a numeric user id, an order
 * number) is kept exact, as its decimal string, rather than rounded (DESIGN.md §7): the walk finds
 * one and the body is parsed again by `parseJsonExact`.
 */
export function parseJson(text: string): unknown {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    checkDepth(text);
    throw new DomainError("invalid_json", `The body is not valid JSON: ${(error as Error).message}`, [
      { path: "body", message: "is not valid JSON" },
    ]);
  }
  if (shallowWithoutProto(value, 0)) return value;
  checkDepth(text);
  const places = protoKeys(value, "body", []);
  if (places.length) {
    // Schema parsers drop a "__proto__" key without a word; refuse it so nothing vanishes in silence.
    throw new DomainError(
      "validation_failed",
      "__proto__ cannot be a key.",
      places.map((path) => ({ path, message: "__proto__ cannot be a key" })),
    );
  }
  return parseJsonExact(text);
}

/** True when no container sits deeper than `maxJsonDepth`, no key is `__proto__` and no integer is beyond 2^53. */
function shallowWithoutProto(value: unknown, depth: number): boolean {
  if (typeof value === "number") return !Number.isInteger(value) || Number.isSafeInteger(value);
  if (typeof value !== "object" || value === null) return true;
  if (depth >= maxJsonDepth) return false;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) if (!shallowWithoutProto(value[i], depth + 1)) return false;
    return true;
  }
  for (const key in value) {
    if (key === "__proto__" || !shallowWithoutProto((value as Record<string, unknown>)[key], depth + 1)) return false;
  }
  return true;
}

/** Refuses JSON text nested deeper than `maxJsonDepth` (brackets outside strings). */
function checkDepth(text: string): void {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const char = text.charCodeAt(i);
    if (inString) {
      if (char === 92) i++;
      else if (char === 34) inString = false;
    } else if (char === 34) inString = true;
    else if (char === 123 || char === 91) {
      if (++depth > maxJsonDepth) {
        throw new DomainError("too_deep", `The JSON is nested deeper than ${maxJsonDepth} levels.`, [
          { path: "body", message: `nested deeper than ${maxJsonDepth} levels` },
        ]);
      }
    } else if (char === 125 || char === 93) depth--;
  }
}

function protoKeys(value: unknown, path: string, out: string[]): string[] {
  if (Array.isArray(value)) {
    for (const [index, item] of value.entries()) protoKeys(item, `${path}.${index}`, out);
  } else if (value !== null && typeof value === "object") {
    for (const key of Object.keys(value)) {
      if (key === "__proto__") out.push(`${path}.__proto__`);
      else protoKeys((value as Record<string, unknown>)[key], `${path}.${key}`, out);
    }
  }
  return out;
}

function tooLarge(limit: number): DomainError {
  return new DomainError("payload_too_large", `The body is larger than ${limit} bytes.`, [
    { path: "body", message: `larger than ${limit} bytes` },
  ]);
}
