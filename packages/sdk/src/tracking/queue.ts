import { TrackingError } from "./errors.js";
import type { DropReason, TrackingEmitter } from "./events.js";
import { defaultBatchBytes, messageLimits, utf8Length } from "./limits.js";
import type { TrackingMessage } from "./messages.js";
import { backoffDelay, isRetryable, parseRetryAfter } from "./retry.js";
import type { TrackingTransport, TransportResponse } from "./transport.js";

/** How a queue batches, bounds and retries. Every field has a default in {@link queueDefaults}. */
export interface QueueOptions {
  /** Queued messages that start a flush. */
  flushAt: number;
  /** Milliseconds a message may wait before a flush starts anyway. */
  flushInterval: number;
  /** Messages held at most (queued, in flight and waiting to be retried); past it, new messages are dropped and reported. */
  maxQueueSize: number;
  /** Bytes of one request's body at most (≤ 500 KiB, the backend's limit). */
  maxBatchBytes: number;
  /** Messages of one request at most (≤ 2,500, the backend's limit). */
  maxBatchMessages: number;
  /** Requests in flight at most. */
  maxInFlight: number;
  /** Failed attempts (network errors, timeouts, 408, 5xx) before a batch is dropped; rate-limited answers count apart. */
  maxRetries: number;
  /** Where jitter comes from (tests pass a fixed one). */
  random: () => number;
}

/** The defaults of every tracker (DESIGN §7): a 50,000 burst fits the queue. */
export const queueDefaults: QueueOptions = {
  flushAt: 20,
  flushInterval: 10_000,
  maxQueueSize: 100_000,
  maxBatchBytes: defaultBatchBytes,
  maxBatchMessages: messageLimits.batchMessages,
  maxInFlight: 4,
  maxRetries: 10,
  random: Math.random,
};

/**
 * Where undelivered messages live between runs (a browser's localStorage); a server keeps them in
 * memory and needs none. Messages are JSON texts.
 */
export interface TrackingStorage {
  /** What a previous run left undelivered; read once, when the tracker starts. */
  load(): readonly string[];
  /** Every undelivered message, after each change (at most once per task). */
  save(messages: readonly string[]): void;
}

/** What `close()` could not deliver (also reported by 'dropped' with reason `closed`). */
export interface CloseResult {
  undelivered: TrackingMessage[];
}

interface Entry {
  seq: number;
  id: string;
  json: string;
  bytes: number;
}

interface Batch {
  entries: Entry[];
  attempts: number;
  rateLimited: number;
}

interface FlushWaiter {
  mark: number;
  remaining: number;
  resolve: () => void;
}

type Timer = ReturnType<typeof setTimeout>;

/** `{"batch":[` … `],"sentAt":"2026-11-23T12:00:00.000Z"}`: what a body adds to its messages. */
const envelopeBytes = 64;

/**
 * The delivery queue shared by every tracker: it batches by count, bytes and time, sends at most
 * `maxInFlight` requests at once, retries with backoff, waits out `Retry-After` for every request
 * (its own lane, capped at 60 s), splits a batch answered 413, and reports every message's fate
 * through the emitter. A flush drains the whole queue. Messages are kept as JSON text, measured
 * once.
 */
export class DeliveryQueue {
  private readonly options: QueueOptions;
  private readonly transport: TrackingTransport;
  private readonly events: TrackingEmitter;
  private readonly storage: TrackingStorage | undefined;

  private pending: Entry[] = [];
  private head = 0;
  /** Retries due, sent before new batches. */
  private ready: Batch[] = [];
  private readonly waiting = new Map<Batch, Timer>();
  private readonly inFlight = new Map<Batch, AbortController>();
  private unsettled = 0;
  private nextSeq = 0;
  private draining = false;
  private pumpScheduled = false;
  private saveScheduled = false;
  private flushTimer: Timer | undefined;
  private pausedUntil = 0;
  private pauseTimer: Timer | undefined;
  private waiters: FlushWaiter[] = [];
  private closed = false;
  private stopped = false;
  private closing: Promise<CloseResult> | undefined;

  constructor(transport: TrackingTransport, events: TrackingEmitter, options: Partial<QueueOptions> = {}, storage?: TrackingStorage) {
    this.options = { ...queueDefaults, ...definedOnly(options) };
    checkOptions(this.options);
    this.transport = transport;
    this.events = events;
    this.storage = storage;
    if (storage) {
      for (const json of storage.load()) {
        try {
          const message = JSON.parse(json) as TrackingMessage;
          this.add(json, message.messageId, message.type);
        } catch {
          // an unreadable stored message cannot be sent; skip it
        }
      }
    }
  }

  /** Messages not yet delivered or dropped: queued, in flight and waiting to be retried. */
  get size(): number {
    return this.unsettled;
  }

  /**
   * Queues a message given as its JSON text (with its `messageId` and `type`). Throws a
   * {@link TrackingError} when the JSON is over 32 KiB; reports the message as dropped (and returns
   * false) when the queue is full or closed.
   */
  enqueue(json: string, messageId: string, type: string): boolean {
    if (this.closed) {
      this.drop("closed", [JSON.parse(json) as TrackingMessage], "the tracker is closed; the message was not queued");
      return false;
    }
    return this.add(json, messageId, type);
  }

  /** Sends everything queued now; resolves once each of those messages is delivered or dropped. Never rejects. */
  flush(): Promise<void> {
    if (this.unsettled === 0) return Promise.resolve();
    const done = new Promise<void>((resolve) => {
      this.waiters.push({ mark: this.nextSeq, remaining: this.unsettled, resolve });
    });
    this.draining = true;
    this.schedulePump();
    return done;
  }

  /**
   * Stops taking messages, flushes, and resolves within `timeout` ms: what could not be delivered by
   * then is aborted, reported as dropped (`closed`) and returned. No timer is left behind.
   */
  close(timeout: number): Promise<CloseResult> {
    if (this.closing) return this.closing;
    this.closed = true;
    this.closing = new Promise<CloseResult>((resolve) => {
      let deadline: Timer | undefined;
      const finish = () => {
        if (deadline !== undefined) clearTimeout(deadline);
        resolve({ undelivered: this.stop() });
      };
      deadline = setTimeout(finish, Math.max(0, timeout));
      void this.flush().then(finish);
    });
    return this.closing;
  }

  private add(json: string, id: string, type: string): boolean {
    const bytes = utf8Length(json);
    if (bytes > messageLimits.messageBytes) {
      throw new TrackingError(
        "message_too_large",
        `${type}() got ${bytes} bytes of JSON; the limit is ${messageLimits.messageBytes} (32 KiB)`,
      );
    }
    if (this.unsettled >= this.options.maxQueueSize) {
      this.drop(
        "queue_full",
        [JSON.parse(json) as TrackingMessage],
        `the queue is full (maxQueueSize ${this.options.maxQueueSize}); the newest is dropped`,
      );
      return false;
    }
    this.pending.push({ seq: this.nextSeq++, id, json, bytes });
    this.unsettled++;
    this.scheduleSave();
    if (this.pending.length - this.head >= this.options.flushAt) {
      this.draining = true;
      this.schedulePump();
    } else if (this.flushTimer === undefined && !this.draining) {
      this.flushTimer = setTimeout(() => {
        this.flushTimer = undefined;
        this.draining = true;
        this.pump();
      }, this.options.flushInterval);
    }
    return true;
  }

  private schedulePump(): void {
    if (this.pumpScheduled || this.stopped) return;
    this.pumpScheduled = true;
    // A microtask: a synchronous burst is queued whole before the first batch is cut.
    queueMicrotask(() => this.pump());
  }

  private pump(): void {
    this.pumpScheduled = false;
    if (this.stopped) return;
    while (this.inFlight.size < this.options.maxInFlight) {
      const now = Date.now();
      if (now < this.pausedUntil) {
        this.armPauseTimer(this.pausedUntil - now);
        break;
      }
      let batch = this.ready.shift();
      if (!batch) {
        if (!this.draining || this.head === this.pending.length) break;
        batch = this.cut();
      }
      void this.send(batch);
    }
    if (this.head === this.pending.length) {
      this.draining = false;
      if (this.flushTimer !== undefined) {
        clearTimeout(this.flushTimer);
        this.flushTimer = undefined;
      }
    }
  }

  /** The next batch from the queue: as many messages as fit the byte and count limits, at least one. */
  private cut(): Batch {
    const { maxBatchBytes, maxBatchMessages } = this.options;
    const entries: Entry[] = [];
    let bytes = envelopeBytes;
    while (this.head < this.pending.length && entries.length < maxBatchMessages) {
      const entry = this.pending[this.head] as Entry;
      if (entries.length > 0 && bytes + entry.bytes + 1 > maxBatchBytes) break;
      entries.push(entry);
      bytes += entry.bytes + 1;
      this.head++;
    }
    if (this.head === this.pending.length) {
      this.pending = [];
      this.head = 0;
    } else if (this.head > 4096 && this.head * 2 > this.pending.length) {
      this.pending = this.pending.slice(this.head);
      this.head = 0;
    }
    return { entries, attempts: 0, rateLimited: 0 };
  }

  private async send(batch: Batch): Promise<void> {
    const controller = new AbortController();
    this.inFlight.set(batch, controller);
    let response: TransportResponse | undefined;
    let failure: unknown;
    try {
      const body = batchBody(batch.entries);
      response = await this.transport.send({ body, signal: controller.signal });
    } catch (error) {
      failure = error;
    }
    this.inFlight.delete(batch);
    if (this.stopped) return; // close() ran out of time and has reported these messages
    if (response) this.answered(batch, response);
    else this.failed(batch, failure);
    this.schedulePump();
  }

  private answered(batch: Batch, response: TransportResponse): void {
    const { status } = response;
    if (status >= 200 && status < 300) {
      this.delivered(batch, response.text);
      return;
    }
    if (status === 413) {
      if (batch.entries.length > 1) {
        const half = Math.ceil(batch.entries.length / 2);
        this.ready.unshift(
          { entries: batch.entries.slice(0, half), attempts: batch.attempts, rateLimited: batch.rateLimited },
          { entries: batch.entries.slice(half), attempts: batch.attempts, rateLimited: batch.rateLimited },
        );
        return;
      }
      this.settle(batch.entries, "too_large", `the backend answered 413 to a batch of one message`, status, errorCode(response.text));
      return;
    }
    if (!isRetryable(status)) {
      const code = errorCode(response.text);
      this.settle(batch.entries, "refused", `the backend refused the request: ${status}${code ? ` ${code}` : ""}`, status, code);
      return;
    }
    const error = new TrackingError("http_error", `the backend answered ${status}`, { status });
    const retryAfter = parseRetryAfter(response.retryAfter);
    if (status === 429) batch.rateLimited++;
    else batch.attempts++;
    if (batch.attempts > this.options.maxRetries || batch.rateLimited > this.options.maxRetries) {
      this.events.emit("error", { error, retrying: false, messageCount: batch.entries.length });
      this.settle(batch.entries, "retries_exhausted", `every attempt failed; the last answer: ${status}`, status);
      return;
    }
    if (retryAfter !== undefined || status === 429) {
      // The server asked every client to wait: no request goes out before then (its own lane).
      const wait = retryAfter ?? backoffDelay(batch.rateLimited, this.options.random);
      this.pausedUntil = Math.max(this.pausedUntil, Date.now() + wait);
      this.events.emit("error", { error, retrying: true, retryIn: wait, messageCount: batch.entries.length });
      this.ready.push(batch);
      return;
    }
    this.retryLater(batch, error);
  }

  private failed(batch: Batch, failure: unknown): void {
    const error =
      failure instanceof TrackingError
        ? failure
        : new TrackingError("network_error", `the request failed: ${failure instanceof Error ? failure.message : String(failure)}`, {
            cause: failure,
          });
    batch.attempts++;
    if (batch.attempts > this.options.maxRetries) {
      this.events.emit("error", { error, retrying: false, messageCount: batch.entries.length });
      this.settle(batch.entries, "retries_exhausted", `every attempt failed; the last: ${error.message}`);
      return;
    }
    this.retryLater(batch, error);
  }

  private retryLater(batch: Batch, error: TrackingError): void {
    const wait = backoffDelay(batch.attempts, this.options.random);
    this.events.emit("error", { error, retrying: true, retryIn: wait, messageCount: batch.entries.length });
    this.waiting.set(
      batch,
      setTimeout(() => {
        this.waiting.delete(batch);
        this.ready.push(batch);
        this.pump();
      }, wait),
    );
  }

  private delivered(batch: Batch, text: string): void {
    const rejections = readRejections(text);
    const attempts = batch.attempts + batch.rateLimited + 1;
    if (rejections.length === 0) {
      if (this.events.has("delivered")) this.events.emit("delivered", { messageIds: batch.entries.map((entry) => entry.id), attempts });
      this.settle(batch.entries);
      return;
    }
    const rejected = new Map(rejections.map((rejection) => [rejection.index, rejection]));
    const accepted = batch.entries.filter((_, index) => !rejected.has(index));
    if (accepted.length > 0) this.events.emit("delivered", { messageIds: accepted.map((entry) => entry.id), attempts });
    this.settle(accepted);
    for (const [index, rejection] of rejected) {
      const entry = batch.entries[index];
      if (entry) this.settle([entry], "rejected", rejection.message ?? "rejected by the backend", 200, rejection.code);
    }
  }

  /** Marks messages delivered (no reason) or dropped (with a reason, reported), and wakes the flushes they complete. */
  private settle(entries: Entry[], reason?: DropReason, detail = "", status?: number, code?: string): void {
    if (entries.length === 0) return;
    if (reason) this.drop(reason, entries.map(parse), detail, status, code);
    this.unsettled -= entries.length;
    this.scheduleSave();
    if (this.waiters.length === 0) return;
    for (const waiter of this.waiters) {
      for (const entry of entries) if (entry.seq < waiter.mark) waiter.remaining--;
    }
    this.waiters = this.waiters.filter((waiter) => {
      if (waiter.remaining > 0) return true;
      waiter.resolve();
      return false;
    });
  }

  private drop(reason: DropReason, messages: TrackingMessage[], detail: string, status?: number, code?: string): void {
    this.events.emit("dropped", {
      reason,
      messages,
      detail,
      ...(status === undefined ? {} : { status }),
      ...(code === undefined ? {} : { code }),
    });
  }

  private armPauseTimer(wait: number): void {
    if (this.pauseTimer !== undefined) return;
    this.pauseTimer = setTimeout(() => {
      this.pauseTimer = undefined;
      this.pump();
    }, wait);
  }

  /** Ends every timer and request; reports and returns what is still undelivered. */
  private stop(): TrackingMessage[] {
    this.stopped = true;
    for (const timer of [this.flushTimer, this.pauseTimer, ...this.waiting.values()]) if (timer !== undefined) clearTimeout(timer);
    this.flushTimer = undefined;
    this.pauseTimer = undefined;
    const left = [
      ...[...this.inFlight.keys()].flatMap((batch) => batch.entries),
      ...this.ready.flatMap((batch) => batch.entries),
      ...[...this.waiting.keys()].flatMap((batch) => batch.entries),
      ...this.pending.slice(this.head),
    ];
    for (const controller of this.inFlight.values()) controller.abort(new TrackingError("timeout", "the tracker closed"));
    this.inFlight.clear();
    this.waiting.clear();
    this.ready = [];
    this.pending = [];
    this.head = 0;
    const undelivered = left.map(parse);
    if (left.length > 0) {
      this.drop("closed", undelivered, `close() timed out with ${left.length} message(s) undelivered`);
    }
    this.unsettled = 0;
    for (const waiter of this.waiters) waiter.resolve();
    this.waiters = [];
    this.storage?.save(left.map((entry) => entry.json));
    this.transport.close?.();
    return undelivered;
  }

  private scheduleSave(): void {
    if (!this.storage || this.saveScheduled) return;
    this.saveScheduled = true;
    queueMicrotask(() => {
      this.saveScheduled = false;
      if (this.stopped) return;
      const batches = [...this.inFlight.keys(), ...this.ready, ...this.waiting.keys()];
      const queued = this.pending.slice(this.head);
      this.storage?.save([...batches.flatMap((batch) => batch.entries), ...queued].map((entry) => entry.json));
    });
  }
}

/** `{"batch":[…],"sentAt":"…"}`: the messages' JSON as queued, never parsed again. */
function batchBody(entries: Entry[]): string {
  return `{"batch":[${entries.map((entry) => entry.json).join(",")}],"sentAt":"${new Date().toISOString()}"}`;
}

function parse(entry: Entry): TrackingMessage {
  return JSON.parse(entry.json) as TrackingMessage;
}

function readRejections(text: string): Array<{ index: number; code?: string; message?: string }> {
  if (!text.includes('"rejected"')) return [];
  try {
    const body = JSON.parse(text) as { rejected?: unknown };
    if (!Array.isArray(body.rejected)) return [];
    return body.rejected.filter(
      (item): item is { index: number; code?: string; message?: string } =>
        typeof item === "object" && item !== null && typeof item.index === "number",
    );
  } catch {
    return [];
  }
}

function errorCode(text: string): string | undefined {
  try {
    const code = (JSON.parse(text) as { error?: { code?: unknown } } | null)?.error?.code;
    return typeof code === "string" ? code : undefined;
  } catch {
    return undefined;
  }
}

function definedOnly<T extends object>(options: T): Partial<T> {
  return Object.fromEntries(Object.entries(options).filter(([, value]) => value !== undefined)) as Partial<T>;
}

function checkOptions(options: QueueOptions): void {
  const positive = ["flushAt", "flushInterval", "maxQueueSize", "maxBatchBytes", "maxBatchMessages", "maxInFlight"] as const;
  for (const name of positive) {
    const value = options[name];
    if (!Number.isFinite(value) || value < 1) throw new TrackingError("invalid_option", `${name} must be a positive number, not ${value}`);
  }
  if (!Number.isInteger(options.maxRetries) || options.maxRetries < 0) {
    throw new TrackingError("invalid_option", `maxRetries must be a whole number ≥ 0, not ${options.maxRetries}`);
  }
  if (options.maxBatchBytes > messageLimits.bodyBytes) {
    throw new TrackingError("invalid_option", `maxBatchBytes must be at most ${messageLimits.bodyBytes}, not ${options.maxBatchBytes}`);
  }
  if (options.maxBatchMessages > messageLimits.batchMessages) {
    throw new TrackingError(
      "invalid_option",
      `maxBatchMessages must be at most ${messageLimits.batchMessages}, not ${options.maxBatchMessages}`,
    );
  }
}
