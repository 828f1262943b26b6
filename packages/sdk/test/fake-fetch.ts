import type { FetchLike } from "@cdp/sdk";

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
