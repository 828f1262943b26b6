import type { TrackingError } from "./errors.js";
import type { TrackingMessage } from "./messages.js";

/**
 * Why messages were given up. Each is final; none is silent.
 * - `rejected`: the backend refused the message itself (its answer's `rejected` entry says why).
 * - `refused`: the backend refused the whole request with a 4xx that a retry cannot fix (401, 403, 400).
 * - `too_large`: a batch of one message was answered 413.
 * - `retries_exhausted`: every attempt failed (`maxRetries` of them, plus as many rate-limited ones).
 * - `queue_full`: the queue held `maxQueueSize` messages; the new message was not queued.
 * - `closed`: the tracker was closed before the message was sent, or `close()` ran out of time.
 */
export type DropReason = "rejected" | "refused" | "too_large" | "retries_exhausted" | "queue_full" | "closed";

/** Messages a request delivered (the backend accepted them; a replayed messageId counts as accepted). */
export interface DeliveredEvent {
  messageIds: string[];
  /** Attempts it took, the successful one included. */
  attempts: number;
}

/** Messages given up, with why. */
export interface DroppedEvent {
  reason: DropReason;
  messages: TrackingMessage[];
  /** What a person can act on. */
  detail: string;
  /** The HTTP status, when an answer caused it. */
  status?: number;
  /** The backend's error or rejection code, when it gave one (`message_too_large`, `invalid_request` …). */
  code?: string;
}

/** A failed attempt: `retrying` says whether the messages will be sent again. */
export interface AttemptError {
  error: TrackingError | Error;
  retrying: boolean;
  /** Milliseconds until the next attempt, when retrying. */
  retryIn?: number;
  /** Messages in the failed request. */
  messageCount: number;
}

/** The events of a tracker and what their listeners receive. */
export interface TrackingEvents {
  delivered: DeliveredEvent;
  dropped: DroppedEvent;
  error: AttemptError;
}

export type TrackingListener<E extends keyof TrackingEvents> = (event: TrackingEvents[E]) => void;

/** A small event emitter: a listener that throws is isolated, and 'error' with no listener is fine. */
export class TrackingEmitter {
  private readonly listeners: { [E in keyof TrackingEvents]: Set<TrackingListener<E>> } = {
    delivered: new Set(),
    dropped: new Set(),
    error: new Set(),
  };

  on<E extends keyof TrackingEvents>(event: E, listener: TrackingListener<E>): () => void {
    this.listeners[event].add(listener);
    return () => this.off(event, listener);
  }

  off<E extends keyof TrackingEvents>(event: E, listener: TrackingListener<E>): void {
    this.listeners[event].delete(listener);
  }

  has(event: keyof TrackingEvents): boolean {
    return this.listeners[event].size > 0;
  }

  emit<E extends keyof TrackingEvents>(event: E, payload: TrackingEvents[E]): void {
    for (const listener of this.listeners[event]) {
      try {
        listener(payload);
      } catch (error) {
        // A listener's bug must not stop delivery; report it where it cannot loop.
        queueMicrotask(() => {
          throw error;
        });
      }
    }
  }
}
