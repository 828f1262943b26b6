import type { Backend } from "@cdp/backend";
import { apiBasePath, ErrorBody } from "@cdp/contract";
import { expect } from "vitest";

/** Shared by the route-walking tests: raw HTTP against an in-process backend. */

export const origin = "http://cdp.test";

export interface Answer {
  status: number;
  headers: Headers;
  text: string;
  json: unknown;
}

/** A request for one route: its path parameters, query and body. */
export interface RouteRequest {
  params?: Record<string, string>;
  query?: Record<string, string>;
  body?: unknown;
}

export async function send(
  backend: Backend,
  method: string,
  path: string,
  body: unknown,
  headers: Record<string, string>,
): Promise<Answer> {
  const response = await backend.fetch(`${origin}${apiBasePath}${path}`, {
    method,
    headers: { ...(body === undefined ? {} : { "content-type": "application/json" }), ...headers },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, text, json: text ? JSON.parse(text) : undefined };
}

/** The answer is the error envelope with this status and code, and its requestId is the header's. */
export function expectError(answer: Answer, status: number, code: string): void {
  expect(answer.status, answer.text).toBe(status);
  expect(ErrorBody.safeParse(answer.json).success, answer.text).toBe(true);
  expect(answer.json).toMatchObject({ error: { code, requestId: answer.headers.get("cdp-request-id") } });
}
