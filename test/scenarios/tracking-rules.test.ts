import { createBackend, manualClock } from "@cdp/backend";
import { Cdp } from "@cdp/sdk";
import { describe, expect, it } from "vitest";

/**
 * The tracking API's rules a reviewer found wanting: event times corrected for the device's clock
 * (Segment's `sentAt` rule, per message and per batch), dropped identifiers leaving a trace, batch
 * items' error paths named from the body, and `POST /v1/events` replays answering 200.
 */
function world() {
  const clock = manualClock("2026-04-01T10:00:00.000Z");
  const backend = createBackend({ clock, seed: 7 });
  const cdp = new Cdp({ fetch: backend.fetch, apiKey: backend.adminKey });
  /** Posts a body as a tracker would: JSON with the write key as HTTP Basic user name. */
  const post = async (path: string, body: unknown) => {
    const response = await backend.fetch(`http://cdp.test/v1/${path}`, {
      method: "POST",
      headers: { authorization: `Basic ${btoa(`${backend.writeKey}:`)}`, "content-type": "application/json" },
      body: JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };
  /** The events of the profile holding that userId (or anonymousId), oldest first. */
  const eventsOf = async (type: "userId" | "anonymousId", value: string) => {
    const customer = await cdp.customers.lookup({ type, value });
    const events = await cdp.events.list({ customerId: customer.id }).toArray();
    return events.sort((a, b) => (a.timestamp < b.timestamp ? -1 : 1));
  };
  return { backend, clock, cdp, post, eventsOf };
}

describe("event time: Segment's clock-skew rule, receivedAt − (sentAt − originalTimestamp)", () => {
  it("corrects a message whose device clock is a day slow by its own sentAt; receivedAt is the backend's clock", async () => {
    const { cdp, eventsOf } = world();

    await cdp.track({
      userId: "u-slow",
      event: "Product Viewed",
      messageId: "m-1",
      // Happened 10 s before it was sent, by a clock one day behind ours.
      timestamp: "2026-03-31T09:59:50.000Z",
      sentAt: "2026-03-31T10:00:00.000Z",
    });

    const [event] = await eventsOf("userId", "u-slow");
    expect(event).toMatchObject({ timestamp: "2026-04-01T09:59:50.000Z", receivedAt: "2026-04-01T10:00:00.000Z" });
  });

  it("reads originalTimestamp before timestamp, and corrects page and screen views too", async () => {
    const { cdp, eventsOf } = world();

    // A clock 5 minutes ahead; the view happened 2 s before sending.
    await cdp.page({
      anonymousId: "dev-1",
      name: "Home",
      messageId: "m-1",
      originalTimestamp: "2026-04-01T10:04:58.000Z",
      timestamp: "2026-04-01T10:04:58.500Z",
      sentAt: "2026-04-01T10:05:00.000Z",
    });
    await cdp.screen({
      anonymousId: "dev-1",
      name: "Cart",
      messageId: "m-2",
      timestamp: "2026-04-01T10:04:59.000Z",
      sentAt: "2026-04-01T10:05:00.000Z",
    });

    expect((await eventsOf("anonymousId", "dev-1")).map((event) => [event.type, event.timestamp])).toEqual([
      ["Page Viewed", "2026-04-01T09:59:58.000Z"],
      ["Screen Viewed", "2026-04-01T09:59:59.000Z"],
    ]);
  });

  it("corrects every item of a batch by the body's sentAt (as Segment's libraries send it); an item's own sentAt wins", async () => {
    const { cdp, eventsOf } = world();

    const answer = await cdp.batch({
      // The device's clock is one hour behind ours.
      sentAt: "2026-04-01T09:00:00.000Z",
      batch: [
        { type: "track", userId: "u-batch", event: "Product Viewed", messageId: "m-1", timestamp: "2026-04-01T08:58:00.000Z" },
        { type: "page", userId: "u-batch", name: "Cart", messageId: "m-2", originalTimestamp: "2026-04-01T08:59:00.000Z" },
        // Queued offline and sent again later by another clock: its own sentAt says how far that one was off.
        {
          type: "track",
          userId: "u-batch",
          event: "Checkout Started",
          messageId: "m-3",
          timestamp: "2026-04-01T10:29:30.000Z",
          sentAt: "2026-04-01T10:30:00.000Z",
        },
        // An own sentAt Date cannot read leaves the batch's in force.
        {
          type: "track",
          userId: "u-batch",
          event: "Product Added",
          messageId: "m-4",
          timestamp: "2026-04-01T08:59:45.000Z",
          sentAt: "soon",
        },
      ],
    });

    expect(answer).toEqual({ accepted: 4, rejected: [] });
    expect((await eventsOf("userId", "u-batch")).map((event) => [event.type, event.timestamp, event.receivedAt])).toEqual([
      ["Product Viewed", "2026-04-01T09:58:00.000Z", "2026-04-01T10:00:00.000Z"],
      ["Page Viewed", "2026-04-01T09:59:00.000Z", "2026-04-01T10:00:00.000Z"],
      ["Checkout Started", "2026-04-01T09:59:30.000Z", "2026-04-01T10:00:00.000Z"],
      ["Product Added", "2026-04-01T09:59:45.000Z", "2026-04-01T10:00:00.000Z"],
    ]);
  });

  it("keeps the timestamp as sent without a sentAt (a historical import), and uses receivedAt without either", async () => {
    const { cdp, clock, eventsOf } = world();

    await cdp.batch({
      batch: [
        { type: "track", userId: "u-import", event: "Order Completed", messageId: "m-1", timestamp: "2024-12-24T18:00:00.000Z" },
        { type: "track", userId: "u-import", event: "Product Viewed", messageId: "m-2" },
      ],
    });
    clock.advance(60_000);
    // sentAt alone: the device's skew has nothing to correct.
    await cdp.track({ userId: "u-import", event: "Product Added", messageId: "m-3", sentAt: "2020-01-01T00:00:00.000Z" });

    expect((await eventsOf("userId", "u-import")).map((event) => [event.type, event.timestamp])).toEqual([
      ["Order Completed", "2024-12-24T18:00:00.000Z"],
      ["Product Viewed", "2026-04-01T10:00:00.000Z"],
      ["Product Added", "2026-04-01T10:01:00.000Z"],
    ]);
  });
});
