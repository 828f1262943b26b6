import { createBackend, manualClock } from "@cdp/backend";
import { Cdp, NotFoundError } from "@cdp/sdk";
import { describe, expect, it } from "vitest";

/**
 * DESIGN §4 and issue 3's scenarios, as a tracker would send them: Segment messages with the
 * workspace's write key, then the profiles read back through the SDK.
 */
function world() {
  const clock = manualClock("2026-04-01T10:00:00Z");
  const backend = createBackend({ clock, seed: 3 });
  const cdp = new Cdp({ fetch: backend.fetch, apiKey: backend.adminKey });
  let sequence = 0;
  /** Posts a message as JSON text: `text` is sent as given (a number JSON.stringify cannot write), else the message. */
  const post = async (type: string, text: string) => {
    clock.advance(1_000);
    const response = await backend.fetch(`http://cdp.test/v1/${type}`, {
      method: "POST",
      headers: { authorization: `Basic ${btoa(`${backend.writeKey}:`)}`, "content-type": "application/json" },
      body: text,
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };
  const send = (type: string, message: Record<string, unknown>) => post(type, JSON.stringify({ messageId: `m-${++sequence}`, ...message }));
  const eventsOf = async (customerId: string) => {
    const response = await backend.fetch(`http://cdp.test/v1/events?customerId=${customerId}&limit=1000`, {
      headers: { authorization: `Bearer ${backend.adminKey}` },
    });
    return ((await response.json()) as { data: Array<{ id: string; type: string; customerId: string }> }).data;
  };
  const lookup = (type: string, value: string) => cdp.customers.lookup({ type, value });
  return { backend, clock, cdp, post, send, eventsOf, lookup };
}

describe("identity resolution and merge", () => {
  it("1. two anonymous events, then identify: one profile holds both events and answers to C1, A and a@x", async () => {
    const { send, lookup, eventsOf } = world();
    expect((await send("track", { anonymousId: "C1", event: "Product Viewed" })).status).toBe(200);
    await send("page", { anonymousId: "C1", name: "Home" });
    await send("identify", { anonymousId: "C1", userId: "A", traits: { email: "a@x.com", firstName: "Ann" } });

    const profile = await lookup("anonymousId", "C1");
    expect((await lookup("userId", "A")).id).toBe(profile.id);
    expect((await lookup("email", "a@x.com")).id).toBe(profile.id);
    expect(profile.firstName).toBe("Ann");
    expect((await eventsOf(profile.id)).map((event) => event.type).sort()).toEqual(["Page Viewed", "Product Viewed"]);
  });

  it("2. blocked user ids never identify anyone; a messy email attaches to its profile", async () => {
    const { send, lookup, cdp } = world();
    await send("identify", { userId: "anonymous", traits: { email: "p@x.com" } });
    await send("identify", { userId: "0", traits: { email: "q@x.com" } });
    const all = await cdp.customers.list().toArray();
    expect(all).toHaveLength(2);
    for (const customer of all) expect(customer.identifiers?.map((identifier) => identifier.type)).toEqual(["email"]);
    await expect(lookup("userId", "anonymous")).rejects.toBeInstanceOf(NotFoundError);

    const q = await lookup("email", "q@x.com");
    await send("identify", { anonymousId: "dev-9", traits: { email: " Q@X.com " } });
    expect((await lookup("anonymousId", "dev-9")).id).toBe(q.id);
    expect(await cdp.customers.list().toArray()).toHaveLength(2);
  });

  it("3. the same email with another user id makes a second profile, never merged, and its changelog says why", async () => {
    const { send, lookup, cdp } = world();
    await send("identify", { userId: "A", traits: { email: "f@x.com" } });
    await send("identify", { userId: "B", traits: { email: "f@x.com" } });
    const a = await lookup("userId", "A");
    const b = await lookup("userId", "B");
    expect(a.id).not.toBe(b.id);
    expect(a.identifiers).toContainEqual({ type: "email", value: "f@x.com" });
    expect(b.identifiers).not.toContainEqual({ type: "email", value: "f@x.com" });
    const changelog = await cdp.customers.changelog(b.id).toArray();
    expect(changelog).toContainEqual(
      expect.objectContaining({ kind: "identifier_dropped", identifier: { type: "email", value: "f@x.com" }, rule: "userId limit 1" }),
    );
    expect((await cdp.customers.get(a.id)).status).toBe("active");
  });

  it("4. a device seen as A, later as B with no reset: A and B stay apart, the device resolves to B, old events stay with A", async () => {
    const { send, lookup, eventsOf, cdp } = world();
    await send("identify", { anonymousId: "C", userId: "A" });
    await send("track", { anonymousId: "C", userId: "A", event: "Product Viewed" });
    await send("identify", { anonymousId: "C", userId: "B" });
    const a = await lookup("userId", "A");
    const b = await lookup("userId", "B");
    expect(a.id).not.toBe(b.id);
    expect((await lookup("anonymousId", "C")).id).toBe(b.id);
    expect((await eventsOf(a.id)).map((event) => event.type)).toEqual(["Product Viewed"]);
    expect(await eventsOf(b.id)).toEqual([]);
    const { changelog } = await cdp.customers.identities(b.id);
    expect(changelog).toContainEqual(expect.objectContaining({ type: "anonymousId", value: "C", action: "moved", from: a.id, to: b.id }));
  });

  it("5. after a reset, a new anonymous id sends an event: it does not attach to A", async () => {
    const { send, lookup, eventsOf } = world();
    await send("identify", { anonymousId: "C1", userId: "A" });
    await send("track", { anonymousId: "C2", event: "Product Viewed" });
    const a = await lookup("userId", "A");
    const c2 = await lookup("anonymousId", "C2");
    expect(c2.id).not.toBe(a.id);
    expect(await eventsOf(a.id)).toEqual([]);
  });

  it("6. the older profile survives with the value written last, the old id answers for it, the merge records its decision", async () => {
    const { send, lookup, cdp, clock } = world();
    await send("identify", { userId: "p1", traits: { email: "jon@x.com", firstName: "Jon" } });
    clock.advance(60_000);
    await send("identify", { anonymousId: "p2-device", traits: { phone: "+14155550111", firstName: "John" } });
    const p1 = await lookup("email", "jon@x.com");
    const p2 = await lookup("phone", "+14155550111");
    expect(p1.id).not.toBe(p2.id);

    clock.advance(60_000);
    await send("identify", { anonymousId: "p2-device", traits: { email: "jon@x.com", phone: "+14155550111" } });
    const survivor = await cdp.customers.get(p2.id);
    expect(survivor.id).toBe(p1.id);
    expect(survivor.firstName).toBe("John");
    expect(survivor.identifiers).toEqual(
      expect.arrayContaining([
        { type: "email", value: "jon@x.com" },
        { type: "phone", value: "+14155550111" },
      ]),
    );
    const merge = (await cdp.customers.changelog(p1.id).toArray()).find((entry) => entry.kind === "merged");
    expect(merge?.merge).toMatchObject({ absorbed: p2.id, rule: "identity_resolution" });
    expect(merge?.merge?.decisions).toContainEqual({ field: "firstName", value: "John", from: p2.id, rule: "latest_write" });
  });

  it("7. a replayed batch changes nothing", async () => {
    const { backend, cdp } = world();
    const batch = {
      batch: [
        { type: "identify", messageId: "b-1", userId: "R", traits: { email: "r@x.com" } },
        { type: "track", messageId: "b-2", userId: "R", event: "Order Completed", properties: { order_id: "1", total: 10 } },
      ],
    };
    const post = () =>
      backend.fetch("http://cdp.test/v1/batch", {
        method: "POST",
        headers: { "content-type": "text/plain" },
        body: JSON.stringify({ ...batch, writeKey: backend.writeKey }),
      });
    expect(await (await post()).json()).toEqual({ accepted: 2, rejected: [] });
    const before = { customers: await cdp.customers.list().toArray(), changelog: null as unknown };
    const r = await cdp.customers.lookup({ type: "userId", value: "R" });
    before.changelog = await cdp.customers.changelog(r.id).toArray();
    expect(await (await post()).json()).toEqual({ accepted: 2, rejected: [] });
    expect(await cdp.customers.list().toArray()).toEqual(before.customers);
    expect(await cdp.customers.changelog(r.id).toArray()).toEqual(before.changelog);
    const events = await backend.fetch(`http://cdp.test/v1/events?customerId=${r.id}`, {
      headers: { authorization: `Bearer ${backend.adminKey}` },
    });
    expect(((await events.json()) as { data: unknown[] }).data).toHaveLength(1);
  });

  it("8. one message that joins three profiles: one profile with every event, a changelog entry per absorbed profile", async () => {
    const { send, lookup, eventsOf, cdp } = world();
    await send("track", { userId: "U", event: "Product Viewed" });
    await send("track", { anonymousId: "D", traits: {}, event: "Cart Viewed", context: { traits: { email: "three@x.com" } } });
    await send("track", { anonymousId: "E", event: "Checkout Started", context: { traits: { phone: "+14155550199" } } });
    const u = await lookup("userId", "U");
    const d = await lookup("anonymousId", "D");
    const e = await lookup("anonymousId", "E");
    expect(new Set([u.id, d.id, e.id]).size).toBe(3);

    await send("identify", { userId: "U", anonymousId: "D", traits: { email: "three@x.com", phone: "+14155550199" } });
    const one = await lookup("userId", "U");
    expect(one.id).toBe(u.id);
    for (const id of [d.id, e.id]) expect((await cdp.customers.get(id)).id).toBe(u.id);
    expect((await eventsOf(u.id)).map((event) => event.type).sort()).toEqual(["Cart Viewed", "Checkout Started", "Product Viewed"]);
    const merges = (await cdp.customers.changelog(u.id).toArray()).filter((entry) => entry.kind === "merged");
    expect(merges.map((entry) => entry.merge?.absorbed).sort()).toEqual([d.id, e.id].sort());
    const live = await cdp.customers.list().toArray();
    expect(live.map((customer) => customer.id)).toEqual([u.id]);
  });
});

describe("identity resolution: the rules around the scenarios", () => {
  it("keeps numeric ids beyond 2^53 exact: two users one apart stay two profiles, found by their decimal ids", async () => {
    const { post, lookup, eventsOf, cdp } = world();
    // JSON.parse would read both as 12345678901234567000 and fold two people into one profile.
    await post("identify", '{"userId":12345678901234567890,"traits":{"email":"big1@x.com"}}');
    await post("identify", '{"userId":12345678901234567891,"traits":{"email":"big2@x.com"}}');
    await post(
      "track",
      '{"userId":12345678901234567891,"event":"Order Completed","properties":{"order_id":820982911946154508,"total":12}}',
    );
    const first = await lookup("userId", "12345678901234567890");
    const second = await lookup("userId", "12345678901234567891");
    expect(first.id).not.toBe(second.id);
    expect(first.identifiers).toContainEqual({ type: "email", value: "big1@x.com" });
    expect(second.identifiers).toContainEqual({ type: "email", value: "big2@x.com" });
    expect(await cdp.customers.list().toArray()).toHaveLength(2);
    const [order] = await eventsOf(second.id);
    expect((await cdp.events.get(order?.id as string)).properties).toEqual({ order_id: "820982911946154508", total: 12 });
    // A number within 2^53 is still its plain decimal string.
    await post("identify", '{"userId":9007199254740991}');
    expect((await lookup("userId", "9007199254740991")).identifiers).toEqual([{ type: "userId", value: "9007199254740991" }]);
  });
});

describe("the 50-profile cap (DESIGN §4)", () => {
  it("identifiers held by 51 profiles: a 422 identifier_limit at body.identifiers on event create, sync create and resolve; nothing written", async () => {
    const { cdp, send, eventsOf } = world();
    for (let i = 0; i < 52; i++) await send("track", { anonymousId: `a${i}`, event: "Product Viewed" });
    const devices = Array.from({ length: 52 }, (_, i) => ({ type: "anonymousId", value: `a${i}` }));
    const oldest = (await cdp.identity.resolve({ identifiers: devices.slice(0, 1) })).customerId as string;
    const refusal = {
      status: 422,
      code: "identifier_limit",
      issues: [{ path: "body.identifiers", message: expect.stringMatching(/51 profiles/) }],
    };

    const identifiers = devices.slice(0, 51);
    await expect(cdp.events.create({ type: "Order Completed", identifiers })).rejects.toMatchObject(refusal);
    await expect(cdp.customers.create({ identifiers, onConflict: "merge" })).rejects.toMatchObject(refusal);
    // Resolve writes nothing either way, and answers what a write would: no profile for a set no write may join.
    await expect(cdp.identity.resolve({ identifiers })).rejects.toMatchObject(refusal);
    expect((await cdp.customers.list({ limit: 100 }).page()).data).toHaveLength(52);
    expect((await eventsOf(oldest)).map((event) => event.type)).toEqual(["Product Viewed"]);

    // Fifty is within the cap: resolve answers the oldest, the profile a write merges them into.
    expect((await cdp.identity.resolve({ identifiers: devices.slice(0, 50) })).customerId).toBe(oldest);
    await cdp.events.create({ type: "Order Completed", identifiers: devices.slice(0, 50) });
    expect((await cdp.customers.list({ limit: 100 }).page()).data).toHaveLength(3);
    expect((await cdp.identity.resolve({ identifiers: devices.slice(49, 51) })).customerId).toBe(oldest);
  });
});
