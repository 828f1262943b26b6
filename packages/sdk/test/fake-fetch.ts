import { type FetchLike, ValidationError } from "@cdp/sdk";
import { expect } from "vitest";

/** One scripted answer: a response, a thrown error (a dropped connection), or a function of the request. */
export type Answer = Response | Error | ((request: Request) => Response | Promise<Response>);

/**
 * A `fetch` that answers from a script, in order, and keeps every request it was given.
 * Running out of answers is a test bug, so it throws loudly. `bodies` holds each request's JSON body.
 */
export function scriptedFetch(...answers: Answer[]): { fetch: FetchLike; requests: Request[]; bodies: unknown[] } {
  const requests: Request[] = [];
  const bodies: unknown[] = [];
  const fetch = async (request: Request): Promise<Response> => {
    requests.push(request);
    // Read now: the client releases the body of a request once the call settles.
    const text = await request.clone().text();
    bodies.push(text === "" ? undefined : JSON.parse(text));
    const answer = answers.shift();
    if (answer === undefined) throw new Error(`unscripted request: ${request.method} ${request.url}`);
    if (answer instanceof Error) throw answer;
    return typeof answer === "function" ? answer(request) : answer;
  };
  return { fetch, requests, bodies };
}

/** A JSON answer. */
export function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json", ...headers } });
}

/** The API's error envelope. */
export function apiError(status: number, type: string, code: string, extra: Record<string, unknown> = {}): Response {
  return json(status, { error: { type, code, message: `${code} happened`, requestId: "req_1", ...extra } });
}

/** What a dropped connection looks like to fetch. */
export function dropped(): TypeError {
  return new TypeError("fetch failed", { cause: new Error("socket hang up") });
}

/** An attempt that never answers (until aborted, as a real fetch would be). */
export function hang(request: Request): Promise<Response> {
  return new Promise((_, reject) => {
    request.signal.addEventListener("abort", () => reject(request.signal.reason), { once: true });
  });
}

export const customer = (id: string) => ({
  id,
  status: "active",
  mergedInto: null,
  restricted: false,
  firstName: "Ada",
  lastName: null,
  birthDate: null,
  gender: null,
  locale: null,
  timeZone: null,
  email: "ada@example.com",
  phone: null,
  address: null,
  company: null,
  jobTitle: null,
  properties: {},
  traits: {},
  identifiers: [{ type: "email", value: "ada@example.com" }],
  tags: [],
  createdAt: "2026-01-01T00:00:00.000Z",
  updatedAt: "2026-01-01T00:00:00.000Z",
});

export const event = (id: string, customerId = "cus_1") => ({
  id,
  messageId: `msg_${id}`,
  type: "Order Completed",
  category: "ecommerce",
  timestamp: "2026-01-02T00:00:00.000Z",
  receivedAt: "2026-01-02T00:00:01.000Z",
  properties: { order_id: "o-1", total: 59.9 },
  context: {},
  source: "api",
  customerId,
});

/** What a tracking route answers when every message went through. */
export const accepted = (count = 1) => json(200, { accepted: count, rejected: [] });

/** `METHOD /path` of each request, the query left out. */
export function calls(requests: Request[]): string[] {
  return requests.map((request) => `${request.method} ${new URL(request.url).pathname}`);
}

/** The query of a request as a plain object. */
export function queryOf(request: Request | undefined): Record<string, string> {
  return Object.fromEntries(new URL(request!.url).searchParams);
}

/** The ValidationError a call rejects with (any other outcome fails the test). */
export async function rejection(promise: Promise<unknown>): Promise<ValidationError> {
  const error = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(ValidationError);
  return error as ValidationError;
}
