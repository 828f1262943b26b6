/**
 * The tracking core (`@cdp/sdk/tracking`) over a fake transport and vitest's fake clock: batching
 * by count, bytes and time; retries, the Retry-After lane, 413 splitting, drops, flush and close.
 */
import { trackingLimits } from "@cdp/contract";
import {
  backoffDelay,
  buildMessage,
  createTracker,
  type DroppedEvent,
  messageLimits,
  parseRetryAfter,
  readAnonymousId,
  serializeMessage,
  type TrackerOptions,
  TrackingError,
  type TrackingMessage,
  type TransportRequest,
  type TransportResponse,
  utf8Length,
} from "@cdp/sdk/tracking";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

type Answer = TransportResponse | Error | "hang";

/** A transport that answers from a script (then 200), recording every request's messages. */
function scripted(answer: (request: { batch: TrackingMessage[]; number: number }) => Answer = () => ok()) {
  const requests: Array<{ batch: TrackingMessage[]; bytes: number; sentAt: string }> = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const transport = {
    send({ body, signal }: TransportRequest): Promise<TransportResponse> {
      const parsed = JSON.parse(body) as { batch: TrackingMessage[]; sentAt: string };
      requests.push({ batch: parsed.batch, bytes: utf8Length(body), sentAt: parsed.sentAt });
      const result = answer({ batch: parsed.batch, number: requests.length });
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      return new Promise<TransportResponse>((resolve, reject) => {
        const settle = () => {
          inFlight--;
          if (result === "hang") return;
          if (result instanceof Error) reject(result);
          else resolve(result);
        };
        signal.addEventListener("abort", () => {
          inFlight--;
          reject(signal.reason);
        });
        if (result !== "hang") queueMicrotask(settle);
      });
    },
  };
  return {
    transport,
    requests,
    get maxInFlight() {
      return maxInFlight;
    },
    delivered: () => requests.flatMap((request) => request.batch.map((message) => message.messageId)),
  };
}

const ok = (rejected: unknown[] = []): TransportResponse => ({
  status: 200,
  retryAfter: null,
  text: JSON.stringify({ accepted: 0, rejected }),
});
const status = (code: number, retryAfter: string | null = null, body: unknown = { error: { code: "x" } }): TransportResponse => ({
  status: code,
  retryAfter,
  text: JSON.stringify(body),
});

function tracker(options: Partial<TrackerOptions> & Pick<TrackerOptions, "transport">) {
  const t = createTracker({ random: () => 1, ...options });
  const dropped: DroppedEvent[] = [];
  const delivered: string[] = [];
  const errors: Array<{ retrying: boolean; retryIn?: number | undefined }> = [];
  t.on("dropped", (event) => dropped.push(event));
  t.on("delivered", (event) => delivered.push(...event.messageIds));
  t.on("error", (event) => errors.push({ retrying: event.retrying, retryIn: event.retryIn }));
  return { tracker: t, dropped, delivered, errors };
}

/** Runs the fake clock until the promise settles (retries wait on timers). */
async function until<T>(promise: Promise<T>): Promise<T> {
  let settled = false;
  void promise.finally(() => {
    settled = true;
  });
  for (let step = 0; !settled && step < 10_000; step++) await vi.advanceTimersByTimeAsync(50);
  return promise;
}

const track = (n: number) => ({ userId: `u-${n}`, event: "Product Viewed", properties: { n } });

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe("messages", () => {
  it("get a type, a random UUID messageId, a timestamp and the library", () => {
    const message = buildMessage("track", { userId: "u-1", event: "Signed Up" }, { library: { name: "test", version: "1" } });
    expect(message).toMatchObject({
      type: "track",
      userId: "u-1",
      event: "Signed Up",
      context: { library: { name: "test", version: "1" } },
    });
    expect(message.messageId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(new Date(message.timestamp).toISOString()).toBe(message.timestamp);
    const ids = new Set(Array.from({ length: 5_000 }, () => buildMessage("page", { anonymousId: "a" }).messageId));
    expect(ids.size).toBe(5_000);
  });

  it("keep a messageId and a timestamp they were given", () => {
    const message = buildMessage("identify", { userId: "u", messageId: "m-1", timestamp: "2026-01-01T00:00:00.000Z" });
    expect(message).toMatchObject({ messageId: "m-1", timestamp: "2026-01-01T00:00:00.000Z" });
  });

  it("take a Date as their timestamp (as analytics-node does), sent as ISO 8601; an invalid Date is sent as null (the API refuses it), not replaced by now", () => {
    const when = new Date("2025-12-24T18:00:00Z");
    const built = buildMessage("track", { userId: "u", event: "Order Completed", timestamp: when });
    expect(JSON.parse(JSON.stringify(built)).timestamp).toBe("2025-12-24T18:00:00.000Z");
    const { json } = serializeMessage("page", { anonymousId: "a", timestamp: when }, {}, "");
    expect(JSON.parse(json).timestamp).toBe("2025-12-24T18:00:00.000Z");
    const invalid = serializeMessage("track", { userId: "u", event: "X", timestamp: new Date("not a date") }, {}, "");
    expect(JSON.parse(invalid.json).timestamp).toBeNull();
  });

  it("without an id, an event name, a groupId or a previousId are refused at once", () => {
    const code = (build: () => unknown) => {
      try {
        build();
      } catch (error) {
        return error instanceof TrackingError ? `${error.code}: ${error.message}` : String(error);
      }
      return "no error";
    };
    expect(code(() => buildMessage("track", { event: "X" } as never))).toBe("invalid_message: track() needs a userId or an anonymousId");
    expect(code(() => buildMessage("track", { userId: "u", event: "" }))).toBe("invalid_message: track() needs an event name");
    expect(code(() => buildMessage("group", { userId: "u" } as never))).toBe("invalid_message: group() needs a groupId");
    expect(code(() => buildMessage("alias", { userId: "u" } as never))).toBe("invalid_message: alias() needs a userId and a previousId");
  });

  it("share the backend's limits", () => {
    expect(messageLimits).toEqual(trackingLimits);
    expect(utf8Length("aé€😀")).toBe(new TextEncoder().encode("aé€😀").byteLength);
  });
});

describe("the anonymous-id cookie", () => {
  it("is read from a Cookie header, decoded and unquoted", () => {
    expect(readAnonymousId("a=1; cdp_anonymous_id=abc-123; b=2")).toBe("abc-123");
    expect(readAnonymousId("cdp_anonymous_id=%22abc%20d%22")).toBe("abc d");
    expect(readAnonymousId("xcdp_anonymous_id=1")).toBeUndefined();
    expect(readAnonymousId(undefined)).toBeUndefined();
    expect(readAnonymousId("cdp_anonymous_id=")).toBeUndefined();
  });
});

describe("retry timing", () => {
  it("backs off 0.5 s·2ⁿ with full jitter, at most 8 s", () => {
    expect([1, 2, 3, 4, 5, 6, 10].map((attempt) => backoffDelay(attempt, () => 0.999_999))).toEqual([
      499, 999, 1999, 3999, 7999, 7999, 7999,
    ]);
    expect(backoffDelay(3, () => 0)).toBe(0);
  });

  it("reads Retry-After as seconds or a date, capped at 60 s", () => {
    expect(parseRetryAfter("2")).toBe(2_000);
    expect(parseRetryAfter("3600")).toBe(60_000);
    expect(parseRetryAfter(new Date(10_000).toUTCString(), 0)).toBe(10_000);
    expect(parseRetryAfter("soon")).toBeUndefined();
    expect(parseRetryAfter(null)).toBeUndefined();
  });
});

describe("batching", () => {
  it("sends once flushAt messages are queued, in one request", async () => {
    const fake = scripted();
    const { tracker: t } = tracker({ transport: fake.transport, flushAt: 3 });
    t.track(track(1));
    t.track(track(2));
    await vi.advanceTimersByTimeAsync(0);
    expect(fake.requests).toHaveLength(0);
    t.track(track(3));
    await vi.advanceTimersByTimeAsync(5);
    expect(fake.requests.map((request) => request.batch.length)).toEqual([3]);
    expect(fake.requests[0]?.sentAt).toMatch(/Z$/);
    await until(t.close());
  });

  it("sends a lone message after flushInterval", async () => {
    const fake = scripted();
    const { tracker: t, delivered } = tracker({ transport: fake.transport, flushInterval: 10_000 });
    const id = t.track(track(1));
    await vi.advanceTimersByTimeAsync(9_999);
    expect(fake.requests).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(10);
    expect(delivered).toEqual([id]);
    expect(vi.getTimerCount()).toBe(0);
  });

  it("drains a burst in batches of at most maxBatchBytes, at most maxInFlight at once, in order", async () => {
    const fake = scripted();
    const { tracker: t, delivered } = tracker({ transport: fake.transport, maxBatchBytes: 20_000, maxInFlight: 4 });
    const ids = Array.from({ length: 2_000 }, (_, n) => t.track(track(n)));
    await until(t.flush());
    expect(delivered).toEqual(ids);
    expect(fake.requests.length).toBeGreaterThan(4);
    expect(Math.max(...fake.requests.map((request) => request.bytes))).toBeLessThanOrEqual(20_000);
    expect(fake.maxInFlight).toBe(4);
    expect(t.size).toBe(0);
  });

  it("puts at most maxBatchMessages in one request", async () => {
    const fake = scripted();
    const { tracker: t } = tracker({ transport: fake.transport, maxBatchMessages: 7 });
    for (let n = 0; n < 20; n++) t.track(track(n));
    await until(t.flush());
    expect(fake.requests.map((request) => request.batch.length)).toEqual([7, 7, 6]);
  });
});

describe("retries", () => {
  it("retries network errors, timeouts, 408 and 5xx with backoff, then delivers each message once", async () => {
    const answers: Answer[] = [new Error("ECONNRESET"), status(503), status(408), new TrackingError("timeout", "slow"), status(500)];
    const fake = scripted(({ number }) => answers[number - 1] ?? ok());
    const { tracker: t, delivered, dropped, errors } = tracker({ transport: fake.transport, flushAt: 1 });
    const id = t.track(track(1));
    await until(t.flush());
    expect(delivered).toEqual([id]);
    expect(dropped).toEqual([]);
    expect(fake.requests).toHaveLength(6);
    // random() = 1: the full backoff, 0.5 s, 1 s, 2 s, 4 s, 8 s.
    expect(errors).toEqual([500, 1000, 2000, 4000, 8000].map((retryIn) => ({ retrying: true, retryIn })));
  });

  it("gives up after maxRetries and reports the messages as dropped", async () => {
    const fake = scripted(() => status(502));
    const { tracker: t, dropped, errors } = tracker({ transport: fake.transport, flushAt: 1, maxRetries: 2 });
    const id = t.track(track(1));
    await until(t.flush());
    expect(fake.requests).toHaveLength(3);
    expect(dropped.map((event) => [event.reason, event.messages.map((message) => message.messageId)])).toEqual([
      ["retries_exhausted", [id]],
    ]);
    expect(errors.at(-1)).toEqual({ retrying: false, retryIn: undefined });
  });

  it("waits out Retry-After on 429 for every request, in its own lane", async () => {
    const fake = scripted(({ number }) => (number === 1 ? status(429, "3") : ok()));
    const { tracker: t, delivered, errors } = tracker({ transport: fake.transport, flushAt: 1, maxRetries: 1 });
    t.track(track(1));
    await vi.advanceTimersByTimeAsync(5);
    t.track(track(2)); // another batch: it waits too
    await vi.advanceTimersByTimeAsync(2_900);
    expect(fake.requests).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(200);
    expect(fake.requests.length).toBeGreaterThanOrEqual(2);
    await until(t.flush());
    expect(delivered).toHaveLength(2);
    expect(errors).toEqual([{ retrying: true, retryIn: 3_000 }]);
  });

  it("caps Retry-After at 60 s", async () => {
    const fake = scripted(({ number }) => (number === 1 ? status(503, "86400") : ok()));
    const { tracker: t, delivered } = tracker({ transport: fake.transport, flushAt: 1 });
    t.track(track(1));
    await vi.advanceTimersByTimeAsync(60_010);
    expect(delivered).toHaveLength(1);
  });
});

describe("413 and refusals", () => {
  it("splits a batch answered 413 until the halves fit", async () => {
    const fake = scripted(({ batch }) => (batch.length > 2 ? status(413) : ok()));
    const { tracker: t, delivered, dropped } = tracker({ transport: fake.transport });
    const ids = Array.from({ length: 9 }, (_, n) => t.track(track(n)));
    await until(t.flush());
    expect(new Set(delivered)).toEqual(new Set(ids));
    expect(delivered).toHaveLength(9);
    expect(dropped).toEqual([]);
  });

  it("drops a single message answered 413", async () => {
    const fake = scripted(() => status(413, null, { error: { code: "payload_too_large" } }));
    const { tracker: t, dropped } = tracker({ transport: fake.transport, flushAt: 1 });
    t.track(track(1));
    await until(t.flush());
    expect(dropped.map((event) => [event.reason, event.status, event.code])).toEqual([["too_large", 413, "payload_too_large"]]);
  });

  it("refuses a message over 32 KiB at once, with a clear error, sending nothing", async () => {
    const fake = scripted();
    const { tracker: t } = tracker({ transport: fake.transport, flushAt: 1 });
    expect(() => t.track({ userId: "u", event: "Big", properties: { blob: "x".repeat(33_000) } })).toThrowError(
      expect.objectContaining({ code: "message_too_large", message: expect.stringMatching(/limit is 32768 \(32 KiB\)/) }),
    );
    await until(t.flush());
    expect(fake.requests).toHaveLength(0);
  });

  it("reports rejected messages as dropped and never sends them again", async () => {
    const fake = scripted(({ number }) =>
      number === 1 ? ok([{ index: 1, messageId: "x", code: "invalid_request", message: "event is required", issues: [] }]) : ok(),
    );
    const { tracker: t, delivered, dropped } = tracker({ transport: fake.transport, flushAt: 3 });
    const ids = [t.track(track(0)), t.track(track(1)), t.track(track(2))];
    await until(t.flush());
    expect(delivered).toEqual([ids[0], ids[2]]);
    expect(dropped.map((event) => [event.reason, event.code, event.detail, event.messages[0]?.messageId])).toEqual([
      ["rejected", "invalid_request", "event is required", ids[1]],
    ]);
    expect(fake.requests).toHaveLength(1);
  });

  it("drops a batch refused with a 4xx that a retry cannot fix", async () => {
    const fake = scripted(() => status(401, null, { error: { code: "invalid_api_key" } }));
    const { tracker: t, dropped } = tracker({ transport: fake.transport, flushAt: 2 });
    t.track(track(1));
    t.track(track(2));
    await until(t.flush());
    expect(fake.requests).toHaveLength(1);
    expect(dropped.map((event) => [event.reason, event.status, event.code, event.messages.length])).toEqual([
      ["refused", 401, "invalid_api_key", 2],
    ]);
  });
});

describe("the bounded queue", () => {
  it("drops the newest message past maxQueueSize and reports each one", async () => {
    const fake = scripted(() => "hang");
    const { tracker: t, dropped } = tracker({ transport: fake.transport, maxQueueSize: 5, flushAt: 100 });
    const ids = Array.from({ length: 8 }, (_, n) => t.track(track(n)));
    expect(t.size).toBe(5);
    expect(dropped.map((event) => [event.reason, event.messages[0]?.messageId])).toEqual(ids.slice(5).map((id) => ["queue_full", id]));
    await until(t.close({ timeout: 100 }));
  });
});

describe("flush and close", () => {
  it("flush() can be called any number of times, concurrently too", async () => {
    const fake = scripted();
    const { tracker: t, delivered } = tracker({ transport: fake.transport });
    await until(t.flush());
    t.track(track(1));
    const flushes = [t.flush(), t.flush()];
    t.track(track(2));
    flushes.push(t.flush(), t.flush());
    await until(Promise.all(flushes));
    await until(t.flush());
    expect(delivered).toHaveLength(2);
    expect(fake.requests.flatMap((request) => request.batch)).toHaveLength(2);
  });

  it("close() delivers what is queued and leaves no timer behind", async () => {
    const fake = scripted();
    const { tracker: t, delivered, dropped } = tracker({ transport: fake.transport });
    t.track(track(1));
    t.track(track(2));
    expect(vi.getTimerCount()).toBe(1); // the flushInterval timer
    const result = await until(t.close());
    expect(result.undelivered).toEqual([]);
    expect(delivered).toHaveLength(2);
    expect(vi.getTimerCount()).toBe(0);
    t.track(track(3));
    expect(dropped.map((event) => event.reason)).toEqual(["closed"]);
    expect(vi.getTimerCount()).toBe(0);
  });

  it("close() against a stuck server returns at its bound with what it could not deliver", async () => {
    const fake = scripted(() => "hang");
    const { tracker: t, dropped } = tracker({ transport: fake.transport, flushAt: 2 });
    const ids = [t.track(track(1)), t.track(track(2)), t.track(track(3))];
    const closing = t.close({ timeout: 1_000 });
    await vi.advanceTimersByTimeAsync(1_000);
    const result = await closing;
    expect(result.undelivered.map((message) => message.messageId)).toEqual(ids);
    expect(dropped.map((event) => [event.reason, event.messages.length])).toEqual([["closed", 3]]);
    expect(vi.getTimerCount()).toBe(0);
    expect(t.size).toBe(0);
  });

  it("close() ends what the transport holds open", async () => {
    const fake = scripted();
    let closed = 0;
    const { tracker: t } = tracker({ transport: { send: fake.transport.send, close: () => closed++ } });
    t.track(track(1));
    await until(t.close());
    await until(t.close());
    expect(closed).toBe(1);
    expect(fake.requests).toHaveLength(1);
  });

  it("close() while retries wait clears their timers", async () => {
    const fake = scripted(() => status(503));
    const { tracker: t } = tracker({ transport: fake.transport, flushAt: 1 });
    t.track(track(1));
    await vi.advanceTimersByTimeAsync(5);
    const closing = t.close({ timeout: 100 });
    await vi.advanceTimersByTimeAsync(100);
    expect((await closing).undelivered).toHaveLength(1);
    expect(vi.getTimerCount()).toBe(0);
  });
});

describe("storage", () => {
  it("loads what a previous run left and saves what is undelivered", async () => {
    const saved: string[][] = [];
    const left = JSON.stringify(buildMessage("track", track(0)));
    const storage = { load: () => [left], save: (messages: readonly string[]) => saved.push([...messages]) };
    const fake = scripted();
    const { tracker: t, delivered } = tracker({ transport: fake.transport, storage });
    t.track(track(1));
    await vi.advanceTimersByTimeAsync(0);
    expect(saved.at(-1)).toHaveLength(2);
    await until(t.flush());
    expect(delivered).toHaveLength(2);
    expect(saved.at(-1)).toEqual([]);
    await until(t.close());
  });
});

describe("bind", () => {
  it("fills the anonymous id and context into messages that do not name their own", async () => {
    const fake = scripted();
    const { tracker: t } = tracker({ transport: fake.transport, context: { app: "shop" } });
    const bound = t.bind({ anonymousId: "anon-1", context: { userAgent: "UA" } });
    bound.track({ event: "Viewed" } as never);
    bound.identify({ userId: "u-1", anonymousId: "other" });
    await until(t.close());
    expect(fake.requests[0]?.batch.map((message) => [message.anonymousId, message.context])).toEqual([
      ["anon-1", { app: "shop", userAgent: "UA" }],
      ["other", { app: "shop", userAgent: "UA" }],
    ]);
  });
});
