import type { MessageType } from "@cdp/contract";
import { TrackingEmitter, type TrackingEvents, type TrackingListener } from "./events.js";
import { type LibraryInfo, type MessageDefaults, type MessageInput, messageJson, type serializeMessage } from "./messages.js";
import { type CloseResult, DeliveryQueue, type QueueOptions, type TrackingStorage } from "./queue.js";
import type { TrackingTransport } from "./transport.js";

/** Options of {@link createTracker}: the queue's, plus how to send and what every message carries. */
export interface TrackerOptions extends Partial<QueueOptions> {
  /** How batches are sent; {@link fetchTransport} on servers. */
  transport: TrackingTransport;
  /** Where undelivered messages live between runs. Default: memory only. */
  storage?: TrackingStorage;
  /** Written into every message's `context.library`. */
  library?: LibraryInfo;
  /** Merged under every message's own `context`. */
  context?: Record<string, unknown>;
  /**
   * How a call becomes the JSON that is queued. Default: the message is built (`buildMessage`) and
   * serialised (`messageJson`). A server tracker passes {@link serializeMessage}, which writes the
   * JSON without copying the message; a browser leaves it out, and its bundle carries none of it.
   */
  serialize?: (type: MessageType, message: MessageInput<MessageType>, defaults: MessageDefaults) => { json: string; messageId: string };
}

/** The tracking calls. Each builds one message, queues it and returns its `messageId` at once. */
export interface TrackingCalls {
  /** Records an event: `track({ userId, event: "Order Completed", properties })`. */
  track(message: MessageInput<"track">): string;
  /** Identifies a user and writes its traits: `identify({ userId, traits: { email } })`. */
  identify(message: MessageInput<"identify">): string;
  /** Records a page view (stored as `Page Viewed`): `page({ anonymousId, name, properties: { url } })`. */
  page(message: MessageInput<"page">): string;
  /** Records a screen view of an app (stored as `Screen Viewed`). */
  screen(message: MessageInput<"screen">): string;
  /** Associates a user with a group: `group({ userId, groupId, traits })`. */
  group(message: MessageInput<"group">): string;
  /** Joins a previous id to a user id: `alias({ previousId, userId })`. */
  alias(message: MessageInput<"alias">): string;
}

/** What a tracker's `bind` fills into every message that does not say otherwise. */
export interface BoundIdentity {
  anonymousId?: string;
  userId?: string;
  /** Merged under each message's own `context` (`ip`, `userAgent`, `page` …). */
  context?: Record<string, unknown>;
}

/** A tracker: the calls, a background queue, and its events. */
export interface Tracker extends TrackingCalls {
  /**
   * Sends everything queued now; resolves once each of those messages is delivered or dropped
   * (never rejects). Safe to call any number of times, concurrently too.
   */
  flush(): Promise<void>;
  /**
   * Stops taking messages, flushes, and resolves within `timeout` ms (default 10,000) with what could
   * not be delivered (also reported by 'dropped', reason `closed`). Leaves no timer and no request behind.
   */
  close(options?: { timeout?: number }): Promise<CloseResult>;
  /** Listens to 'delivered', 'dropped' or 'error'; returns a function that stops listening. */
  on<E extends keyof TrackingEvents>(event: E, listener: TrackingListener<E>): () => void;
  /** Stops a listener. */
  off<E extends keyof TrackingEvents>(event: E, listener: TrackingListener<E>): void;
  /** The same tracker with ids and context filled in: one per request, for a visitor. */
  bind(identity: BoundIdentity): TrackingCalls;
  /** Messages not yet delivered or dropped. */
  readonly size: number;
}

/**
 * A tracker over any transport and storage: what `@cdp/node` and `@cdp/browser` are built on.
 *
 * ```ts
 * const tracker = createTracker({ transport: fetchTransport({ url: "https://cdp.example.com/v1/batch", writeKey }) });
 * tracker.track({ userId: "u-42", event: "Signed Up" });
 * await tracker.close();
 * ```
 */
export function createTracker(options: TrackerOptions): Tracker {
  const { transport, storage, library, context, serialize = messageJson, ...queueOptions } = options;
  const events = new TrackingEmitter();
  const queue = new DeliveryQueue(transport, events, queueOptions, storage);
  const defaults = { ...(library ? { library } : {}), ...(context ? { context } : {}) };
  const send = <T extends MessageType>(type: T, message: MessageInput<T>): string => {
    const { json, messageId } = serialize(type, message as MessageInput<MessageType>, defaults);
    queue.enqueue(json, messageId, type);
    return messageId;
  };
  const calls = callsOver(send);
  return {
    ...calls,
    flush: () => queue.flush(),
    close: ({ timeout = 10_000 } = {}) => queue.close(timeout),
    on: (event, listener) => events.on(event, listener),
    off: (event, listener) => events.off(event, listener),
    bind: (identity) =>
      callsOver((type, message) => {
        const fields = message as Record<string, unknown>;
        const filled = {
          ...message,
          ...(fields.anonymousId == null && identity.anonymousId !== undefined ? { anonymousId: identity.anonymousId } : {}),
          ...(fields.userId == null && identity.userId !== undefined ? { userId: identity.userId } : {}),
          ...(identity.context ? { context: { ...identity.context, ...(fields.context as Record<string, unknown> | undefined) } } : {}),
        };
        return send(type, filled);
      }),
    get size() {
      return queue.size;
    },
  };
}

function callsOver(send: <T extends MessageType>(type: T, message: MessageInput<T>) => string): TrackingCalls {
  return {
    track: (message) => send("track", message),
    identify: (message) => send("identify", message),
    page: (message) => send("page", message),
    screen: (message) => send("screen", message),
    group: (message) => send("group", message),
    alias: (message) => send("alias", message),
  };
}
