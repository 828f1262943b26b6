/**
 * A tracked event's time: a canonical `timestamp` is kept as sent (the fast path), anything else
 * Date can read is written the way toISOString writes it, except a date that does not exist
 * (2026-02-29, 04-31), which Date rolls over and the backend takes as unreadable (receivedAt).
 * Checked against Date itself on random dates and on the edges of the pattern (day 29 to 31, hour 24).
 */
import { createBackend, manualClock } from "@cdp/backend";
import { Cdp } from "@cdp/sdk";
import fc from "fast-check";
import { describe, expect, it } from "vitest";

const receivedAt = "2026-11-23T12:00:00.000Z";

describe("event time from a tracking message", () => {
  it("is what Date reads in the timestamp, written as toISOString writes it", async () => {
    const backend = createBackend({ clock: manualClock(receivedAt) });
    const cdp = new Cdp({ fetch: backend.fetch, apiKey: backend.adminKey });
    const digits = (width: number, max: number) => fc.integer({ min: 0, max }).map((n) => String(n).padStart(width, "0"));
    // Shaped like the canonical form, with fields past their range (month 13, day 31 in April, hour 24 …).
    const shaped = fc
      .tuple(digits(4, 9999), digits(2, 13), digits(2, 31), digits(2, 24), digits(2, 59), digits(2, 59), digits(3, 999))
      .map(([y, mo, d, h, mi, s, ms]) => `${y}-${mo}-${d}T${h}:${mi}:${s}.${ms}Z`);
    const canonical = fc
      .date({ min: new Date("0000-01-01T00:00:00.000Z"), max: new Date("9999-12-31T23:59:59.999Z"), noInvalidDate: true })
      .map((date) => date.toISOString());
    let n = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(shaped, canonical, fc.constantFrom("2024-02-29T23:59:59.999Z", "2026-02-29T00:00:00.000Z", "2026-01-31T24:00:00.000Z")),
        async (timestamp) => {
          const userId = `time-${n++}`;
          const answer = await cdp.track({ userId, event: "Product Viewed", timestamp, messageId: `m-${userId}` });
          expect(answer.accepted).toBe(1);
          const { customerId } = await cdp.identity.resolve({ identifiers: [{ type: "userId", value: userId }] });
          const events = await cdp.events.list({ customerId: customerId as string }).toArray();
          const time = Date.parse(timestamp);
          const readable = !Number.isNaN(time) && dateExists(timestamp);
          expect(events.map((event) => event.timestamp)).toEqual([readable ? new Date(time).toISOString() : receivedAt]);
        },
      ),
      { numRuns: 300 },
    );
  });
});

/** Whether `YYYY-MM-DD…` names a day of the calendar: Date itself, asked whether that day survives a round trip. */
function dateExists(timestamp: string): boolean {
  const [year, month, day] = [timestamp.slice(0, 4), timestamp.slice(5, 7), timestamp.slice(8, 10)].map(Number) as [number, number, number];
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}
