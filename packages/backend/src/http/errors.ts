import { type ApiIssue, type ErrorBody, type ErrorCode, errorCodes } from "@cdp/contract";
import { TextResponse } from "./text-response.js";

/** The API's error envelope; the same code always gives the same bytes, `requestId` aside. */
export function errorResponse(code: ErrorCode, requestId: string, message?: string, issues?: ApiIssue[], headers?: HeadersInit): Response {
  const definition = errorCodes[code];
  const body: ErrorBody = {
    error: {
      type: definition.type,
      code,
      message: message ?? definition.message,
      ...(issues && issues.length > 0 ? { issues } : {}),
      requestId,
    },
  };
  return jsonResponse(definition.status, body, headers);
}

export function jsonResponse(status: number, body: unknown, headers?: HeadersInit): Response {
  const response = new TextResponse(JSON.stringify(body), { status, headers });
  response.headers.set("content-type", "application/json; charset=utf-8");
  return response;
}
