import type { MessageType, RouteBody, Routes } from "@cdp/contract";
import type { Dated } from "../core/timestamp.js";
import { TrackingError } from "./errors.js";
import { randomId } from "./ids.js";

/** What a tracking call takes, per message type: the contract's body of that route (Segment's format), its `timestamp` text or a `Date`. */
export type MessageInput<T extends MessageType> = Dated<RouteBody<Routes[T]>>;

/** A message as a tracker sends it: its input plus `type`, `messageId`, `timestamp` and `context.library`. */
export type TrackingMessage = { [T in MessageType]: MessageInput<T> & { type: T; messageId: string; timestamp: string } }[MessageType];

/** The library that built a message, written into `context.library` as Segment's clients do. */
export interface LibraryInfo {
  name: string;
  version?: string;
}

/** What every message built by a tracker gets, unless the message says otherwise. */
export interface MessageDefaults {
  /** Written into `context.library`. */
  library?: LibraryInfo;
  /** Merged under each message's own `context`. */
  context?: Record<string, unknown>;
}

/**
 * Builds a message in Segment's format: the input, its `type`, a `messageId` (a random UUID unless
 * given: the backend deduplicates by it, so a retried message counts once) and a `timestamp` (now,
 * unless given; a given `Date` stays one here and is ISO 8601 in the message's JSON, an invalid one `null`,
 * which the API refuses). Throws a {@link TrackingError} `invalid_message` when a required field is missing.
 *
 * ```ts
 * buildMessage("track", { userId: "u-42", event: "Order Completed" });
 * // { userId: "u-42", event: "Order Completed", type: "track", messageId: "…", timestamp: "2026-…Z", context: {} }
 * ```
 */
export function buildMessage<T extends MessageType>(type: T, input: MessageInput<T>, defaults: MessageDefaults = {}): TrackingMessage {
  const fields = checkMessage(type, input);
  const context =
    defaults.library || defaults.context || fields.context
      ? {
          ...defaults.context,
          ...(fields.context as Record<string, unknown> | undefined),
          ...(defaults.library ? { library: defaults.library } : {}),
        }
      : undefined;
  return {
    ...fields,
    type,
    messageId: typeof fields.messageId === "string" && fields.messageId !== "" ? fields.messageId : randomId(),
    // Kept as given (a Date is ISO 8601 in the JSON a tracker sends; an invalid one is null there, which the API refuses), or now.
    timestamp: (fields.timestamp as string | undefined) ?? new Date().toISOString(),
    ...(context ? { context } : {}),
  } as TrackingMessage;
}

/**
 * The message's JSON, built without copying it when it names none of the fields a tracker adds
 * (`type`, `messageId`, `timestamp`, `context`) and no default context applies: the hot path of a
 * server tracker. Otherwise the same as `JSON.stringify(buildMessage(…))`.
 */
export function serializeMessage<T extends MessageType>(
  type: T,
  input: MessageInput<T>,
  defaults: MessageDefaults,
  libraryJson: string,
): { json: string; messageId: string } {
  const fields = checkMessage(type, input);
  if (defaults.context || "context" in fields || "messageId" in fields || "timestamp" in fields || "type" in fields) {
    return messageJson(type, input, defaults);
  }
  const messageId = randomId();
  const own = stringify(fields);
  const context = libraryJson === "" ? "" : `,"context":{"library":${libraryJson}}`;
  const head = `{"type":"${type}","messageId":"${messageId}","timestamp":"${isoNow()}"${context}`;
  return { json: own === "{}" ? `${head}}` : `${head},${own.slice(1)}`, messageId };
}

/** The JSON of the message {@link buildMessage} makes, with its `messageId`: what a tracker queues by default. */
export function messageJson<T extends MessageType>(
  type: T,
  input: MessageInput<T>,
  defaults: MessageDefaults,
): { json: string; messageId: string } {
  const message = buildMessage(type, input, defaults);
  return { json: stringify(message), messageId: message.messageId };
}

function stringify(value: unknown): string {
  try {
    return JSON.stringify(value);
  } catch (error) {
    throw new TrackingError("invalid_message", `the message is not JSON: ${String(error)}`, { cause: error });
  }
}

/** Throws a {@link TrackingError} `invalid_message` when a required field is missing; the fields otherwise. */
function checkMessage(type: MessageType, input: unknown): Record<string, unknown> {
  if (input === null || typeof input !== "object") throw invalid(type, "takes an object");
  const fields = input as Record<string, unknown>;
  if (type === "alias") {
    if (!present(fields.userId) || !present(fields.previousId)) throw invalid(type, "needs a userId and a previousId");
  } else if (!present(fields.userId) && !present(fields.anonymousId)) {
    throw invalid(type, "needs a userId or an anonymousId");
  }
  if (type === "track" && (typeof fields.event !== "string" || fields.event === "")) throw invalid(type, "needs an event name");
  if (type === "group" && !present(fields.groupId)) throw invalid(type, "needs a groupId");
  return fields;
}

/** Now in ISO 8601, formatted once per millisecond (a burst makes thousands of messages in one). */
function isoNow(): string {
  const now = Date.now();
  if (now !== lastNow) {
    lastNow = now;
    lastIso = new Date(now).toISOString();
  }
  return lastIso;
}
let lastNow = -1;
let lastIso = "";

function present(value: unknown): boolean {
  return value !== undefined && value !== null && value !== "";
}

function invalid(type: MessageType, what: string): TrackingError {
  return new TrackingError("invalid_message", `${type}() ${what}`);
}
