import { refusedBeforeSending, type ValidationError } from "./errors.js";

/**
 * A tracking body whose `timestamp` may also be a `Date`, as Segment's analytics-node takes it; it is
 * sent as ISO 8601 text, which is what the API reads.
 */
export type Dated<B> = { [K in keyof B]: K extends "timestamp" ? B[K] | Date : B[K] };

/**
 * The body with a `Date` timestamp written as ISO 8601; any other body as given (not copied). An
 * invalid `Date` is a {@link ValidationError} at `path` (`body.timestamp`), and nothing is sent.
 */
export function undated<B extends object>(body: Dated<B>, path = "body.timestamp"): B {
  const { timestamp } = body as { timestamp?: unknown };
  if (!(timestamp instanceof Date)) return body as B;
  if (Number.isNaN(timestamp.getTime())) {
    throw refusedBeforeSending("body", "validation_failed", [{ path, message: "an invalid Date: give a valid Date or ISO 8601 text" }]);
  }
  return { ...body, timestamp: timestamp.toISOString() } as B;
}
