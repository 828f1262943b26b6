import { buildOpenApiDocument } from "@cdp/contract";
import { ValidationError } from "@cdp/sdk";
import { describe, expect, it } from "vitest";
import { trackingWorld } from "./tracking-world.js";

/**
 * The tracking API's rules a reviewer found wanting: event times corrected for the device's clock
 * (Segment's `sentAt` rule, per message and per batch), dropped identifiers leaving a trace, batch
 * items' error paths named from the body, and `POST /v1/events` replays answering 200.
 */
function world() {
  const { backend, clock, cdp, post } = trackingWorld(7);
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

describe("a timestamp given as a Date", () => {
  it("is sent as ISO 8601 by the direct calls and in a batch (as analytics-node takes it); an invalid Date sends nothing", async () => {
    const { cdp, eventsOf } = world();

    await cdp.track({ userId: "u-date", event: "Order Completed", messageId: "m-1", timestamp: new Date("2025-12-24T18:00:00Z") });
    await cdp.batch({
      batch: [{ type: "page", userId: "u-date", name: "Home", messageId: "m-2", timestamp: new Date("2025-12-25T09:30:00Z") }],
    });
    expect((await eventsOf("userId", "u-date")).map((event) => [event.type, event.timestamp])).toEqual([
      ["Order Completed", "2025-12-24T18:00:00.000Z"],
      ["Page Viewed", "2025-12-25T09:30:00.000Z"],
    ]);

    const refused = await cdp.track({ userId: "u-date", event: "Product Viewed", timestamp: new Date("soon") }).catch((error) => error);
    expect(refused).toBeInstanceOf(ValidationError);
    expect(refused.issues).toEqual([{ path: "body.timestamp", message: "an invalid Date: give a valid Date or ISO 8601 text" }]);
    const inBatch = await cdp
      .batch({ batch: [{ type: "track", userId: "u-date", event: "Product Viewed", timestamp: new Date(Number.NaN) }] })
      .catch((error) => error);
    expect(inBatch.issues).toEqual([{ path: "body.batch.0.timestamp", message: "an invalid Date: give a valid Date or ISO 8601 text" }]);
    expect(await eventsOf("userId", "u-date")).toHaveLength(2);
  });
});

describe("identifiers dropped from a tracking message leave a trace on the profile it resolves to", () => {
  it("records an invalid email and phone in traits in the changelog and the ID changelog, with the rule", async () => {
    const { cdp } = world();

    await cdp.identify({ userId: "u-1", messageId: "m-1", traits: { email: "ada at example", phone: "12", firstName: "Ada" } });

    const customer = await cdp.customers.lookup({ type: "userId", value: "u-1" });
    expect(customer).toMatchObject({ firstName: "Ada", email: null, phone: null });
    expect(customer.identifiers).toEqual([{ type: "userId", value: "u-1" }]);
    const changelog = await cdp.customers.changelog(customer.id).toArray();
    expect(changelog.filter((entry) => entry.kind === "identifier_dropped")).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ identifier: { type: "email", value: "ada at example" }, rule: "invalid email", source: "tracking" }),
        expect.objectContaining({ identifier: { type: "phone", value: "12" }, rule: "invalid phone", source: "tracking" }),
      ]),
    );
    const { changelog: identityChanges } = await cdp.customers.identities(customer.id);
    expect(identityChanges).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ type: "email", value: "ada at example", action: "dropped", rule: "invalid email" }),
        expect.objectContaining({ type: "phone", value: "12", action: "dropped", rule: "invalid phone" }),
      ]),
    );
  });

  it("drops a trait email or phone that is not a string (true, an object, a list) with the same trace, never skipping it", async () => {
    const { cdp, post } = world();

    const sent = await post("identify", {
      userId: "u-2",
      messageId: "m-2",
      traits: { email: true, phone: { number: "+14155550100" }, firstName: "Grace" },
      context: { traits: { email: ["grace@example.com"] } },
    });
    expect(sent.status).toBe(200);

    const customer = await cdp.customers.lookup({ type: "userId", value: "u-2" });
    expect(customer).toMatchObject({ firstName: "Grace", email: null, phone: null, traits: {} });
    expect(customer.identifiers).toEqual([{ type: "userId", value: "u-2" }]);
    const drops = (await cdp.customers.changelog(customer.id).toArray()).filter((entry) => entry.kind === "identifier_dropped");
    expect(drops.map((entry) => [entry.identifier, entry.rule]).sort()).toEqual([
      [{ type: "email", value: '["grace@example.com"]' }, "invalid email"],
      [{ type: "email", value: "true" }, "invalid email"],
      [{ type: "phone", value: '{"number":"+14155550100"}' }, "invalid phone"],
    ]);
    await expect(cdp.identity.resolve({ identifiers: [{ type: "email", value: "grace@example.com" }] })).resolves.toMatchObject({
      customerId: null,
    });

    // A string is never taken for "not a string", whatever it holds.
    await post("identify", { userId: "u-3", messageId: "m-3", traits: { email: "\u0000", phone: ["+14155550100"] } });
    const nul = await cdp.customers.lookup({ type: "userId", value: "u-3" });
    const nulDrops = (await cdp.customers.changelog(nul.id).toArray()).filter((entry) => entry.kind === "identifier_dropped");
    expect(nulDrops.map((entry) => entry.identifier)).toEqual(
      expect.arrayContaining([
        { type: "email", value: "\u0000" },
        { type: "phone", value: '["+14155550100"]' },
      ]),
    );
    expect(nulDrops).toHaveLength(2);

    const refused = await post("track", {
      anonymousId: "0",
      event: "Product Viewed",
      context: { traits: { email: 42.5, phone: false } },
    });
    expect(refused).toMatchObject({
      status: 422,
      body: {
        error: {
          code: "no_identifier",
          issues: [
            { path: "body.anonymousId", message: '"0" is a blocked anonymousId value' },
            { path: "body.context.traits.email", message: "not a valid email address" },
            {
              path: "body.context.traits.phone",
              message: expect.stringMatching(/^not a valid phone number .*: a boolean, not a string$/),
            },
          ],
        },
      },
    });
  });

  it("records a blocked userId (and one in context.traits) once on the device's profile, however often it is sent", async () => {
    const { cdp } = world();

    for (let n = 1; n <= 3; n++) {
      await cdp.track({
        userId: "anonymous",
        anonymousId: "dev-7",
        event: "Product Viewed",
        messageId: `m-${n}`,
        context: { traits: { email: "none" } },
      });
    }

    const customer = await cdp.customers.lookup({ type: "anonymousId", value: "dev-7" });
    expect(customer.identifiers).toEqual([{ type: "anonymousId", value: "dev-7" }]);
    const drops = (await cdp.customers.changelog(customer.id).toArray()).filter((entry) => entry.kind === "identifier_dropped");
    expect(drops.map((entry) => [entry.identifier, entry.rule]).sort()).toEqual([
      [{ type: "email", value: "none" }, "blocked value"],
      [{ type: "userId", value: "anonymous" }, "blocked value"],
    ]);
    const { changelog } = await cdp.customers.identities(customer.id);
    expect(changelog.filter((change) => change.action === "dropped")).toHaveLength(2);
  });

  it("does not record a drop again after the device's profile merged: its recorded drop is the survivor's history", async () => {
    const { cdp, clock } = world();
    await cdp.identify({ userId: "u-old", messageId: "m-0", traits: { email: "old@example.com" } });
    clock.advance(1_000);
    await cdp.track({ userId: "anonymous", anonymousId: "dev-9", event: "Product Viewed", messageId: "m-1" });
    const device = await cdp.customers.lookup({ type: "anonymousId", value: "dev-9" });
    // The device's profile joins the older one (an email it shares), then sends the blocked value again.
    await cdp.identify({ anonymousId: "dev-9", messageId: "m-2", traits: { email: "old@example.com" } });
    await cdp.track({ userId: "anonymous", anonymousId: "dev-9", event: "Product Viewed", messageId: "m-3" });

    const survivor = await cdp.customers.lookup({ type: "anonymousId", value: "dev-9" });
    expect(survivor.id).not.toBe(device.id);
    const drops = (await cdp.customers.changelog(survivor.id).toArray()).filter((entry) => entry.kind === "identifier_dropped");
    expect(drops).toEqual([expect.objectContaining({ identifier: { type: "userId", value: "anonymous" }, customerId: device.id })]);
    const { aliases, changelog } = await cdp.customers.identities(survivor.id);
    expect(aliases).toEqual([device.id]);
    expect(changelog.filter((change) => change.action === "dropped")).toHaveLength(1);
  });

  it("refuses a message left with no identifier (422 no_identifier), naming each value's place and why, and writes nothing", async () => {
    const { cdp, post } = world();

    const single = await post("track", {
      userId: "guest",
      anonymousId: "0",
      event: "Product Viewed",
      context: { traits: { email: "not-an-email" } },
    });
    const batched = await post("batch", { batch: [{ type: "identify", userId: "null", traits: { phone: "call me" } }] });

    expect(single).toMatchObject({
      status: 422,
      body: {
        error: {
          code: "no_identifier",
          issues: [
            { path: "body.userId", message: '"guest" is a blocked userId value' },
            { path: "body.anonymousId", message: '"0" is a blocked anonymousId value' },
            { path: "body.context.traits.email", message: "not a valid email address" },
          ],
        },
      },
    });
    expect(batched).toMatchObject({
      status: 200,
      body: {
        accepted: 0,
        rejected: [
          {
            index: 0,
            code: "no_identifier",
            issues: [{ path: "body.batch.0.userId" }, { path: "body.batch.0.traits.phone", message: expect.stringContaining("phone") }],
          },
        ],
      },
    });
    expect(await cdp.customers.list().toArray()).toEqual([]);
  });
});

describe("a rejected batch item's issues name their place from the body, as a single message's do", () => {
  it("says body.batch.N.field for a schema failure, a missing type, a non-object item and a refused event type", async () => {
    const { cdp, post } = world();
    await cdp.settings.update({ unknownEventTypes: "reject" });

    const single = await post("track", { userId: "u-1", event: "Gift Card Bought" });
    const batched = await post("batch", {
      batch: [
        { type: "track", userId: "u-1", event: "Product Viewed" },
        { type: "track", userId: "u-1" },
        { userId: "u-1", event: "Product Viewed" },
        "a string",
        { type: "track", userId: "u-1", event: "Gift Card Bought" },
      ],
    });

    expect(single).toMatchObject({ status: 422, body: { error: { code: "unknown_event_type", issues: [{ path: "body.event" }] } } });
    expect(batched.status).toBe(200);
    const rejected = batched.body.rejected as Array<{ index: number; code: string; issues: Array<{ path: string }> }>;
    expect(batched.body.accepted).toBe(1);
    expect(rejected.map((entry) => [entry.index, entry.code, entry.issues.map((issue) => issue.path)])).toEqual([
      [1, "validation_failed", ["body.batch.1.event"]],
      [2, "validation_failed", ["body.batch.2.type"]],
      [3, "validation_failed", ["body.batch.3"]],
      [4, "unknown_event_type", ["body.batch.4.event"]],
    ]);
  });
});

describe("POST /v1/events replayed with the same messageId", () => {
  it("answers 201 the first time, then 200 with the event already recorded, and records one event", async () => {
    const { backend, cdp } = world();
    const customer = (await cdp.customers.create({ email: "ada@example.com" })).customer;
    const create = async (body: Record<string, unknown>) => {
      const response = await backend.fetch("http://cdp.test/v1/events", {
        method: "POST",
        headers: { authorization: `Bearer ${backend.adminKey}`, "content-type": "application/json" },
        body: JSON.stringify(body),
      });
      return { status: response.status, body: (await response.json()) as { id: string; properties: Record<string, unknown> } };
    };

    const first = await create({ customerId: customer.id, type: "Order Completed", messageId: "order-1", properties: { order_id: "o-1" } });
    const replay = await create({
      customerId: customer.id,
      type: "Order Completed",
      messageId: "order-1",
      properties: { order_id: "o-2" },
    });
    const other = await create({ customerId: customer.id, type: "Order Completed", messageId: "order-2" });

    expect([first.status, replay.status, other.status]).toEqual([201, 200, 201]);
    expect(replay.body).toEqual(first.body);
    expect(replay.body.properties).toEqual({ order_id: "o-1" });
    // Through the SDK, a replay answers the same event.
    const again = await cdp.events.create({ customerId: customer.id, type: "Order Completed", messageId: "order-1" });
    expect(again.id).toBe(first.body.id);
    expect((await cdp.events.list({ customerId: customer.id }).toArray()).map((event) => event.messageId).sort()).toEqual([
      "order-1",
      "order-2",
    ]);
    // Only the two writes are audited: a replay writes nothing.
    const audited = (await cdp.audit.list().toArray()).filter((entry) => entry.action === "events.create");
    expect(audited.map((entry) => entry.target).sort()).toEqual([first.body.id, other.body.id].sort());
  });

  it("declares both answers in the OpenAPI document", () => {
    const document = buildOpenApiDocument() as { paths: Record<string, Record<string, { responses: Record<string, unknown> }>> };
    expect(Object.keys(document.paths["/v1/events"]?.post?.responses ?? {}).sort()).toEqual(["200", "201", "default"]);
  });
});
