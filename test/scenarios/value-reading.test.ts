import { describe, expect, it } from "vitest";
import { trackingWorld } from "./tracking-world.js";

/**
 * How the backend reads the values it is given, from a review of the in-memory backend: datetime
 * properties written with an offset, impossible dates, and empty values where a real one is expected.
 */
const world = () => trackingWorld(13);

describe("a datetime property is kept as the instant it names", () => {
  it("stores every write as toISOString writes it, so a search compares instants, not the offsets they were written with", async () => {
    const { cdp, clock, post } = world();
    await cdp.properties.define({ name: "lastOrderAt", type: "datetime" });
    const at = (customer: { properties: Record<string, unknown> }) => customer.properties.lastOrderAt;

    // Created with an offset: 12:00 at +02:00 is 10:00 UTC.
    const { customer: ann } = await cdp.customers.create({ email: "ann@x.com", properties: { lastOrderAt: "2026-05-01T12:00:00+02:00" } });
    expect(at(ann)).toBe("2026-05-01T10:00:00.000Z");
    const { customer: bob } = await cdp.customers.create({ email: "bob@x.com", properties: { lastOrderAt: "2026-05-01T11:00:00Z" } });
    // Patched: 13:15 at +03:00 is 10:15 UTC.
    const { customer: cat } = await cdp.customers.create({ email: "cat@x.com" });
    expect(at(await cdp.customers.update(cat.id, { properties: { lastOrderAt: "2026-05-01T13:15:00+03:00" } }))).toBe(
      "2026-05-01T10:15:00.000Z",
    );
    // Synced onto the holder (onConflict: "merge"): 08:45 at -01:00 is 09:45 UTC.
    const synced = await cdp.customers.create({
      email: "bob@x.com",
      properties: { lastOrderAt: "2026-05-01T08:45:00-01:00" },
      onConflict: "merge",
    });
    expect(synced).toMatchObject({ outcome: "updated", customer: { id: bob.id } });
    expect(at(synced.customer)).toBe("2026-05-01T09:45:00.000Z");
    // An identify trait that names the property: 09:30 at -01:00 is 10:30 UTC.
    expect(
      (
        await post("identify", {
          userId: "dan",
          messageId: "dt-1",
          traits: { email: "dan@x.com", lastOrderAt: "2026-05-01T09:30:00-01:00" },
        })
      ).status,
    ).toBe(200);
    const dan = await cdp.customers.lookup({ type: "userId", value: "dan" });
    expect(at(dan)).toBe("2026-05-01T10:30:00.000Z");
    // Merged: the later write moves to the survivor as it was stored (13:05 at +01:00 is 12:05 UTC).
    const { customer: eve } = await cdp.customers.create({ email: "eve@x.com" });
    clock.advance(1000);
    const { customer: eveToo } = await cdp.customers.create({
      email: "eve2@x.com",
      properties: { lastOrderAt: "2026-05-01T13:05:00+01:00" },
    });
    const merged = await cdp.customers.merge({ into: eve.id, from: [eveToo.id] });
    expect(at(merged.customer)).toBe("2026-05-01T12:05:00.000Z");

    const search = async (op: "gt" | "lt" | "eq", value: string) =>
      (
        await cdp.customers
          .search({ conditions: [{ field: "properties.lastOrderAt", op, value }], sort: "properties.lastOrderAt" })
          .toArray()
      ).map((customer) => customer.email);
    // After 10:00 UTC: not Ann's 12:00+02:00 (the same instant), but Dan's 09:30-01:00 (later).
    expect(await search("gt", "2026-05-01T10:00:00Z")).toEqual(["cat@x.com", "dan@x.com", "eve@x.com"]);
    // A value given with an offset is read as its instant too (12:30 at +02:00 is 10:30 UTC).
    expect(await search("lt", "2026-05-01T12:30:00+02:00")).toEqual(["bob@x.com", "ann@x.com", "cat@x.com"]);
    expect(await search("eq", "2026-05-01T12:00:00+02:00")).toEqual(["ann@x.com"]);

    // The changelog records what was stored.
    const created = (await cdp.customers.changelog(ann.id).toArray()).find((entry) => entry.kind === "created");
    expect(created?.changes).toMatchObject({ properties: { lastOrderAt: "2026-05-01T10:00:00.000Z" } });
    // A date that does not exist is still refused, not rolled over into a valid instant.
    await expect(cdp.customers.update(cat.id, { properties: { lastOrderAt: "2026-02-30T10:00:00+02:00" } })).rejects.toMatchObject({
      status: 422,
      code: "invalid_property",
    });
    // A date property: a day that exists (a leap day in a leap year), nothing else.
    await cdp.properties.define({ name: "renewsOn", type: "date" });
    expect((await cdp.customers.update(cat.id, { properties: { renewsOn: "2028-02-29" } })).properties).toMatchObject({
      renewsOn: "2028-02-29",
    });
    for (const renewsOn of ["2026-02-29", "2026-13-01", "2026-04-31", "2026-4-01", "2026-04-01T00:00:00Z"]) {
      await expect(cdp.customers.update(cat.id, { properties: { renewsOn } })).rejects.toMatchObject({
        status: 422,
        code: "invalid_property",
      });
    }
  });
});

describe("search and tracking read an ISO 8601 instant alike", () => {
  it("takes in a search every instant form a tracking message may carry, while a bare date stays text there", async () => {
    const { cdp, clock, post } = world();
    clock.set("2026-11-23T00:00:00.000Z");
    const { customer: midnight } = await cdp.customers.create({ email: "mid@x.com" });
    clock.set("2026-11-23T12:00:00.000Z");
    const { customer: noon } = await cdp.customers.create({ email: "noon@x.com" });
    const created = async (op: "eq" | "gte", value: string) =>
      (await cdp.customers.search({ conditions: [{ field: "createdAt", op, value }] }).toArray()).map((customer) => customer.id);

    // Forms tracking reads: a space for the T, lower-case t and z, an offset without a colon, six-digit years.
    const forms = ["2026-11-23 12:00:00Z", "2026-11-23t12:00:00z", "2026-11-23T14:00+0200", "+002026-11-23T12:00:00.000Z"];
    for (const value of forms) expect(await created("eq", value), value).toEqual([noon.id]);
    clock.set("2026-11-24T09:00:00.000Z");
    for (const value of forms) {
      const { status } = await post("track", { userId: "reader", event: "Product Viewed", messageId: `read-${value}`, timestamp: value });
      expect(status).toBe(200);
    }
    const reader = await cdp.customers.lookup({ type: "userId", value: "reader" });
    const times = (await cdp.events.list({ customerId: reader.id }).toArray()).map((event) => event.timestamp);
    expect(times).toEqual(Array(4).fill("2026-11-23T12:00:00.000Z"));

    // A bare date is a time to tracking (UTC midnight) but text to a search: it does not equal midnight's createdAt.
    await post("track", { userId: "reader", event: "Product Viewed", messageId: "read-date", timestamp: "2026-11-23" });
    expect((await cdp.events.list({ customerId: reader.id }).toArray()).map((event) => event.timestamp)).toContain(
      "2026-11-23T00:00:00.000Z",
    );
    expect(await created("eq", "2026-11-23")).toEqual([]);
    expect((await created("gte", "2026-11-23")).sort()).toEqual([midnight.id, noon.id, reader.id].sort());
  });
});

describe("a date that does not exist is no time", () => {
  it("in a tracking message's timestamp, sentAt or originalTimestamp, falls back as an unreadable time does, never rolling over", async () => {
    const { cdp, post } = world();
    const received = "2026-04-01T10:00:00.000Z";
    const send = (messageId: string, times: Record<string, string>) =>
      post("track", { userId: "cal", event: "Product Viewed", messageId, ...times });
    const answers = [
      // An impossible timestamp: receivedAt, as for `5/1/2026`.
      await send("ts-feb30", { timestamp: "2026-02-30T10:00:00+00:00" }),
      await send("ts-feb29", { timestamp: "2026-02-29T10:00:00.000Z" }),
      await send("ts-apr31", { timestamp: "2026-04-31" }),
      await send("ts-month13", { timestamp: "2026-13-01T10:00:00Z" }),
      // A leap day that exists is read.
      await send("ts-leap", { timestamp: "2024-02-29T10:00:00+02:00" }),
      // An impossible sentAt corrects nothing: the timestamp as sent.
      await send("sent-feb30", { timestamp: "2026-03-31T10:00:00Z", sentAt: "2026-02-30T10:00:00Z" }),
      // An impossible originalTimestamp: the timestamp stands in for it (the device's clock is 1 h ahead).
      await send("orig-feb30", {
        timestamp: "2026-04-01T10:30:00Z",
        originalTimestamp: "2026-02-30T10:00:00Z",
        sentAt: "2026-04-01T11:00:00Z",
      }),
    ];
    for (const answer of answers) expect(answer.status).toBe(200);
    // A message's impossible sentAt gives way to its batch's (here 1 h ahead of the backend's clock).
    await post("batch", {
      sentAt: "2026-04-01T11:00:00Z",
      batch: [
        {
          type: "track",
          userId: "cal",
          event: "Product Viewed",
          messageId: "batch-item",
          timestamp: "2026-04-01T10:45:00Z",
          sentAt: "2026-06-31T00:00:00Z",
        },
      ],
    });
    // And a batch's impossible sentAt corrects none of its items.
    await post("batch", {
      sentAt: "2026-09-31T11:00:00Z",
      batch: [{ type: "track", userId: "cal", event: "Product Viewed", messageId: "batch-sent", timestamp: "2026-03-15T10:00:00Z" }],
    });

    const customer = await cdp.customers.lookup({ type: "userId", value: "cal" });
    const events = await cdp.events.list({ customerId: customer.id }).toArray();
    expect(Object.fromEntries(events.map((event) => [event.messageId, event.timestamp]))).toEqual({
      "ts-feb30": received,
      "ts-feb29": received,
      "ts-apr31": received,
      "ts-month13": received,
      "ts-leap": "2024-02-29T08:00:00.000Z",
      "sent-feb30": "2026-03-31T10:00:00.000Z",
      "orig-feb30": "2026-04-01T09:30:00.000Z",
      "batch-item": "2026-04-01T09:45:00.000Z",
      "batch-sent": "2026-03-15T10:00:00.000Z",
    });
  });

  it("in an event's timestamp on POST and PATCH /v1/events, is a 400 at body.timestamp, as any bad timestamp is", async () => {
    const { backend, cdp } = world();
    const { customer } = await cdp.customers.create({ email: "cal@x.com" });
    const event = await cdp.events.create({ customerId: customer.id, type: "Page Viewed", timestamp: "2026-03-01T10:00:00Z" });
    const call = async (method: string, path: string, body: unknown) => {
      const response = await backend.fetch(`http://cdp.test/v1${path}`, {
        method,
        headers: { authorization: `Bearer ${backend.adminKey}`, "content-type": "application/json" },
        body: JSON.stringify(body),
      });
      return { status: response.status, body: (await response.json()) as { error?: { code: string; issues: unknown[] } } };
    };
    const refused = {
      status: 400,
      body: { error: { code: "validation_failed", issues: [{ path: "body.timestamp", message: "must be a valid datetime" }] } },
    };
    // What a timestamp that is no time at all gets, an impossible date gets too.
    expect(await call("POST", "/events", { customerId: customer.id, type: "Page Viewed", timestamp: "soon" })).toMatchObject(refused);
    for (const timestamp of ["2026-02-30T10:00:00Z", "2026-02-29T10:00:00.000Z", "2026-04-31T23:59:59Z"]) {
      expect(await call("POST", "/events", { customerId: customer.id, type: "Page Viewed", timestamp }), timestamp).toMatchObject(refused);
      expect(await call("PATCH", `/events/${event.id}`, { timestamp }), timestamp).toMatchObject(refused);
    }
    expect((await cdp.events.list({ customerId: customer.id }).toArray()).map((listed) => listed.timestamp)).toEqual([
      "2026-03-01T10:00:00.000Z",
    ]);
  });
});

describe("white space and an empty object are empty values", () => {
  it("never overwrite a real value on identify, nor in a merge, and leave no changelog entry", async () => {
    const { cdp, clock, post } = world();
    await post("identify", {
      userId: "blank-1",
      messageId: "b-1",
      traits: { firstName: "Ann", lastName: "Lee", plan: "pro", preferences: { news: true }, address: { city: "Berlin" } },
    });
    const before = await cdp.customers.lookup({ type: "userId", value: "blank-1" });
    const entries = (await cdp.customers.changelog(before.id).toArray()).length;

    clock.advance(1000);
    const answer = await post("identify", {
      userId: "blank-1",
      messageId: "b-2",
      traits: { firstName: "   ", lastName: "\t\n", plan: " ", preferences: {}, address: {}, company: {} },
    });
    expect(answer.status).toBe(200);
    const after = await cdp.customers.get(before.id);
    expect(after).toMatchObject({ firstName: "Ann", lastName: "Lee", company: null, address: { city: "Berlin" } });
    expect(after.traits).toEqual({ plan: "pro", preferences: { news: true } });
    expect(await cdp.customers.changelog(before.id).toArray()).toHaveLength(entries);
    // A name still fills in when firstName and lastName are sent blank beside it.
    await post("identify", { userId: "blank-2", messageId: "b-3", traits: { name: "Grace Hopper", firstName: " ", lastName: "" } });
    expect(await cdp.customers.lookup({ type: "userId", value: "blank-2" })).toMatchObject({ firstName: "Grace", lastName: "Hopper" });

    // In a merge, a later blank value does not win over an older real one.
    const { customer: older } = await cdp.customers.create({
      email: "old@x.com",
      firstName: "Ada",
      traits: { plan: "pro", prefs: { a: 1 } },
    });
    clock.advance(1000);
    const { customer: newer } = await cdp.customers.create({ email: "new@x.com", firstName: "  ", traits: { plan: "   ", prefs: {} } });
    const merged = await cdp.customers.merge({ into: older.id, from: [newer.id] });
    expect(merged.customer).toMatchObject({ firstName: "Ada", traits: { plan: "pro", prefs: { a: 1 } } });
  });
});

describe("an empty identifier is no identifier at all", () => {
  it("leaves no identifier_dropped trace for an empty or blank email, phone or userId, while a blocked one still leaves its trace", async () => {
    const { cdp, post } = world();
    const blanks = ["", "   ", "\t"];
    for (const [index, blank] of blanks.entries()) {
      const answer = await post("identify", {
        userId: "quiet",
        messageId: `q-${index}`,
        traits: { email: blank, phone: blank, firstName: "Quinn" },
        context: { traits: { email: blank } },
      });
      expect(answer.status).toBe(200);
      expect(
        (await post("track", { userId: blank, anonymousId: "quiet-device", event: "Product Viewed", messageId: `qt-${index}` })).status,
      ).toBe(200);
    }
    for (const [type, value] of [
      ["userId", "quiet"],
      ["anonymousId", "quiet-device"],
    ] as const) {
      const customer = await cdp.customers.lookup({ type, value });
      expect(customer.identifiers).toEqual([{ type, value }]);
      const changelog = await cdp.customers.changelog(customer.id).toArray();
      expect(
        changelog.filter((entry) => entry.kind === "identifier_dropped"),
        value,
      ).toEqual([]);
      const { changelog: identities } = await cdp.customers.identities(customer.id);
      expect(identities.map((change) => change.action)).toEqual(["added"]);
    }

    // A message whose only identifier is empty is still refused, for want of one.
    expect(await post("identify", { userId: "   ", traits: { email: " " } })).toMatchObject({
      status: 422,
      body: {
        error: { code: "no_identifier", issues: [{ path: "body.userId", message: "no usable userId, anonymousId, email or phone" }] },
      },
    });
    // A blocked value is a value: its drop is recorded, as before.
    await post("identify", { userId: "quiet", messageId: "q-blocked", traits: { email: "none" } });
    const quiet = await cdp.customers.lookup({ type: "userId", value: "quiet" });
    const drops = (await cdp.customers.changelog(quiet.id).toArray()).filter((entry) => entry.kind === "identifier_dropped");
    expect(drops).toEqual([expect.objectContaining({ identifier: { type: "email", value: "none" }, rule: "blocked value" })]);
  });
});
