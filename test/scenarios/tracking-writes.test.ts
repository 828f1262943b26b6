import { Cdp } from "@cdp/sdk";
import { describe, expect, it } from "vitest";
import { trackingWorld } from "./tracking-world.js";

/**
 * What tracking writes leave behind, as an admin, a dpo and an auditor read it through the SDK:
 * audit entries (DESIGN §3: every write through the API), the changelog of each attach, notes on
 * traits kept apart, and consent withdrawals taken from a restricted profile (GDPR art. 7(3), 18).
 */
async function world() {
  const { clock, backend, cdp: admin, post } = trackingWorld(41, "2026-06-01T10:00:00.000Z");
  const { secret } = await admin.keys.create({ name: "dpo", role: "dpo" });
  const dpo = new Cdp({ fetch: backend.fetch, apiKey: secret, maxRetries: 0 });
  /** The audit entries the tracking routes left, oldest first. */
  const trackingAudit = async () =>
    (await admin.audit.list().toArray())
      .filter((entry) => ["identify", "track", "page", "screen", "group", "alias", "batch"].includes(entry.action))
      .reverse();
  return { clock, backend, admin, dpo, post, trackingAudit };
}

describe("tracking writes: the audit log", () => {
  it("a single message leaves one entry naming its profile and the write key; a replay leaves none", async () => {
    const { admin, post, trackingAudit } = await world();
    const message = { userId: "u-1", event: "Product Viewed", messageId: "m-1" };
    expect((await post("track", message)).status).toBe(200);
    const customer = await admin.customers.lookup({ type: "userId", value: "u-1" });

    expect(await trackingAudit()).toEqual([
      expect.objectContaining({ action: "track", target: customer.id, reason: null, actor: expect.objectContaining({ kind: "write" }) }),
    ]);
    const [entry] = await trackingAudit();
    const writeKey = (await admin.keys.list().toArray()).find((key) => key.kind === "write");
    expect(entry?.actor.keyId).toBe(writeKey?.id);

    expect((await post("track", message)).status).toBe(200);
    expect(await trackingAudit()).toHaveLength(1);
  });

  it("a batch leaves one entry (no target); a batch of replays and rejects only leaves none", async () => {
    const { post, trackingAudit } = await world();
    const batch = [
      { type: "page", anonymousId: "d-1", name: "Home", messageId: "b-1" },
      { type: "track", anonymousId: "d-2", event: "Product Viewed", messageId: "b-2" },
    ];
    expect((await post("batch", { batch })).body).toMatchObject({ accepted: 2, rejected: [] });
    expect(await trackingAudit()).toEqual([expect.objectContaining({ action: "batch", target: null })]);

    const again = await post("batch", { batch: [...batch, { type: "track", anonymousId: "d-3" }] });
    expect(again.body).toMatchObject({ accepted: 2, rejected: [{ index: 2, code: "validation_failed" }] });
    expect(await trackingAudit()).toHaveLength(1);
  });

  it("a message's own `reason` field is its data, not an audit reason", async () => {
    const { post, trackingAudit } = await world();
    await post("track", { anonymousId: "d-1", event: "Product Viewed", reason: "I was told to" });
    expect((await trackingAudit())[0]?.reason).toBeNull();
  });
});

describe("tracking writes: the changelog", () => {
  it("an identifier a message attaches to a known profile is an identifier_added entry; a new profile's first ones are its creation", async () => {
    const { admin, post } = await world();
    await post("page", { anonymousId: "d-1", name: "Home" });
    const id = (await admin.customers.lookup({ type: "anonymousId", value: "d-1" })).id;
    await post("identify", { anonymousId: "d-1", userId: "u-1", traits: { email: "Ann@Example.com" } });
    await post("track", { anonymousId: "d-1", userId: "u-1", event: "Product Viewed" });

    const entries = (await admin.customers.changelog(id).toArray()).reverse();
    expect(entries.map((entry) => [entry.kind, entry.identifier ?? null, entry.source])).toEqual([
      ["created", null, "tracking"],
      ["identifier_added", { type: "userId", value: "u-1" }, "tracking"],
      ["identifier_added", { type: "email", value: "ann@example.com" }, "tracking"],
    ]);
    // The ID changelog has each one too, the device's first included.
    const { changelog } = await admin.customers.identities(id);
    expect(changelog.map((change) => [change.action, change.type])).toEqual([
      ["added", "anonymousId"],
      ["added", "userId"],
      ["added", "email"],
    ]);
  });

  it("a trait that names a defined property but does not fit it is kept under traits, and the entry says why", async () => {
    const { admin, post } = await world();
    await admin.properties.define({ name: "age", type: "integer" });
    await admin.properties.define({ name: "vip", type: "boolean" });
    await post("identify", { userId: "u-1", traits: { age: "forty", vip: true, plan: "pro" } });

    const customer = await admin.customers.lookup({ type: "userId", value: "u-1" });
    expect(customer.properties).toEqual({ vip: true });
    expect(customer.traits).toEqual({ age: "forty", plan: "pro" });
    const updated = (await admin.customers.changelog(customer.id).toArray()).find((entry) => entry.kind === "updated");
    expect(updated?.changes).toEqual({ "traits.age": "forty", "properties.vip": true, "traits.plan": "pro" });
    expect(updated?.notes).toEqual({ "traits.age": "not properties.age: must be an integer" });

    // A value that fits leaves no note.
    await post("identify", { userId: "u-1", traits: { age: 40 } });
    const [latest] = (await admin.customers.changelog(customer.id).toArray()).filter((entry) => entry.kind === "updated");
    expect(latest?.changes).toEqual({ "properties.age": 40 });
    expect(latest?.notes).toBeUndefined();
  });

  it("a trait whose name no field can carry (empty, over 128 characters) is dropped, the message accepted and the entry says so", async () => {
    const { admin, post, trackingAudit } = await world();
    const long = "k".repeat(129);
    const first = await post("identify", { userId: "u-1", traits: { "": "blank", [long]: 1, plan: "pro" } });
    expect(first).toEqual({ status: 200, body: { accepted: 1, rejected: [] } });

    const customer = await admin.customers.lookup({ type: "userId", value: "u-1" });
    expect(customer.traits).toEqual({ plan: "pro" });
    const updated = (await admin.customers.changelog(customer.id).toArray()).find((entry) => entry.kind === "updated");
    expect(updated?.changes).toEqual({ "traits.plan": "pro" });
    expect(updated?.notes).toEqual({ traits: `dropped "", "${"k".repeat(40)}…": a trait's name takes 1 to 128 characters` });

    // Only an unfit name: the profile is unchanged, the drop still on record (and audited, as a write).
    const before = await admin.customers.get(customer.id);
    expect((await post("identify", { userId: "u-1", traits: { "": "again" } })).status).toBe(200);
    expect(await admin.customers.get(customer.id)).toEqual(before);
    const [latest] = (await admin.customers.changelog(customer.id).toArray()).filter((entry) => entry.kind === "updated");
    expect(latest).toMatchObject({ changes: {}, notes: { traits: `dropped "": a trait's name takes 1 to 128 characters` } });
    expect(await trackingAudit()).toHaveLength(2);
  });
});

describe("tracking writes: properties and context are any JSON object", () => {
  it("keeps an event's keys as sent, an empty or a long one too, and reads them back", async () => {
    const { admin, post } = await world();
    const long = "p".repeat(300);
    const properties = { "": 1, [long]: "long", price: 9.5 };
    const context = { "": { nested: true }, page: { path: "/" } };
    for (const type of ["track", "page", "screen"] as const) {
      const message = { anonymousId: "d-1", messageId: `m-${type}`, properties, context, integrations: { "": false } };
      const answer = await post(type, type === "track" ? { ...message, event: "Product Viewed" } : { ...message, name: "Home" });
      expect(answer).toEqual({ status: 200, body: { accepted: 1, rejected: [] } });
    }
    const customer = await admin.customers.lookup({ type: "anonymousId", value: "d-1" });
    const events = await admin.events.list({ customerId: customer.id }).toArray();
    expect(events).toHaveLength(3);
    for (const event of events) {
      // A page's or screen's name joins its properties, as Segment's do.
      const { name, ...sent } = event.properties;
      expect(name).toBe(event.type === "Product Viewed" ? undefined : "Home");
      expect(sent).toEqual(properties);
      expect(event.context).toEqual(context);
    }
    // An admin's event create and update take the same shapes.
    const created = await admin.events.create({ customerId: customer.id, type: "Product Viewed", properties: { "": 2 } });
    expect((await admin.events.get(created.id)).properties).toEqual({ "": 2 });
    expect((await admin.events.update(created.id, { context: { "": 3 } })).context).toEqual({ "": 3 });
  });
});

describe("tracking writes: a restricted profile", () => {
  it("takes a consent withdrawal from a tracker, refuses the rest of the message and says what it recorded", async () => {
    const { admin, dpo, post } = await world();
    await post("track", {
      userId: "r-1",
      event: "Segment Consent Preference Updated",
      context: { consent: { categoryPreferences: { marketing: true, profiling: true } } },
    });
    const rita = await admin.customers.lookup({ type: "userId", value: "r-1" });
    await dpo.customers.restrict(rita.id, { reason: "accuracy contested" });
    const eventsBefore = await dpo.events.list({ customerId: rita.id }).toArray();

    const withdrawn = await post("track", {
      userId: "r-1",
      event: "Segment Consent Preference Updated",
      messageId: "w-1",
      context: { consent: { categoryPreferences: { marketing: false, profiling: true, softSpam: false, notAPurpose: false } } },
    });
    expect(withdrawn.status).toBe(403);
    expect(withdrawn.body).toMatchObject({
      error: {
        code: "processing_restricted",
        issues: [
          {
            path: "body.context.consent.categoryPreferences",
            message: expect.stringMatching(/^the withdrawals \(marketing, softSpam\) were recorded; nothing else/),
          },
        ],
      },
    });
    const history = await dpo.consents.history(rita.id).toArray();
    expect(history.slice(0, 2).map((record) => [record.purpose, record.decision, record.source])).toEqual([
      ["softSpam", "denied", "tracking"],
      ["marketing", "denied", "tracking"],
    ]);
    // Nothing else: no event, no grant, no new identifier.
    expect(await dpo.events.list({ customerId: rita.id }).toArray()).toEqual(eventsBefore);
    expect((await dpo.consents.history(rita.id).toArray()).filter((record) => record.decision === "granted")).toHaveLength(2);

    // In a batch, the item is rejected with the same words; the other items go through.
    const batch = await post("batch", {
      batch: [
        {
          type: "track",
          userId: "r-1",
          event: "Segment Consent Preference Updated",
          context: { consent: { categoryPreferences: { profiling: false } } },
        },
        { type: "page", anonymousId: "d-9", name: "Home" },
      ],
    });
    expect(batch.body).toMatchObject({
      accepted: 1,
      rejected: [
        {
          index: 0,
          code: "processing_restricted",
          issues: [
            {
              path: "body.batch.0.context.consent.categoryPreferences",
              message: expect.stringMatching(/^the withdrawal \(profiling\) was recorded/),
            },
          ],
        },
      ],
    });
    expect((await dpo.consents.get(rita.id)).purposes.find((state) => state.purpose === "profiling")?.decision).toBe("denied");

    // A grant or a message with no withdrawal is refused and records nothing.
    const countBefore = (await dpo.consents.history(rita.id).toArray()).length;
    const granted = await post("track", {
      userId: "r-1",
      event: "Segment Consent Preference Updated",
      context: { consent: { categoryPreferences: { marketing: true } } },
    });
    expect(granted.status).toBe(403);
    expect((granted.body as { error: { issues?: unknown } }).error.issues).toBeUndefined();
    expect(await dpo.consents.history(rita.id).toArray()).toHaveLength(countBefore);
  });
});

describe("tracking writes: what brings nothing new writes nothing", () => {
  it("a repeated identify adds no changelog entry, no updatedAt and no audit entry; a group or an alias to itself neither", async () => {
    const { clock, admin, post, trackingAudit } = await world();
    await post("identify", { userId: "u-1", traits: { firstName: "Ann", plan: "pro" } });
    const first = await admin.customers.lookup({ type: "userId", value: "u-1" });
    clock.advance(5_000);
    await post("identify", { userId: "u-1", traits: { firstName: "Ann", plan: "pro" } });
    await post("identify", { userId: "u-1" });
    await post("group", { userId: "u-1", groupId: "g-1", traits: { name: "Acme" } });
    await post("alias", { userId: "u-1", previousId: "u-1" });

    const again = await admin.customers.lookup({ type: "userId", value: "u-1" });
    expect(again.updatedAt).toBe(first.updatedAt);
    expect((await admin.customers.changelog(first.id).toArray()).map((entry) => entry.kind)).toEqual(["updated", "created"]);
    expect((await trackingAudit()).map((entry) => entry.action)).toEqual(["identify"]);

    // One changed trait among the same ones: only it is written.
    clock.advance(5_000);
    await post("identify", { userId: "u-1", traits: { firstName: "Ann", plan: "max" } });
    const [latest] = await admin.customers.changelog(first.id).toArray();
    expect(latest?.changes).toEqual({ "traits.plan": "max" });
    expect(await trackingAudit()).toHaveLength(2);
  });

  it("keeps the parts of an address trait that are no address field under traits.address, with a note", async () => {
    const { admin, post } = await world();
    await post("identify", { userId: "u-1", traits: { address: { city: 5, zip: "75001", street: "1 Rue", foo: "bar" } } });
    const customer = await admin.customers.lookup({ type: "userId", value: "u-1" });
    expect(customer.address).toEqual({ street: "1 Rue" });
    expect(customer.traits).toEqual({ address: { city: 5, zip: "75001", foo: "bar" } });
    const [entry] = await admin.customers.changelog(customer.id).toArray();
    expect(entry?.notes).toEqual({ "traits.address": expect.stringMatching(/^not address: city, zip, foo are no address part/) });
  });
});

describe("tracking writes: a restricted profile keeps its devices", () => {
  it("refuses a message that would move the profile's anonymousId to another user (403), as an admin's move is refused", async () => {
    const { admin, dpo, post } = await world();
    await post("identify", { userId: "A", anonymousId: "dA" });
    const a = await admin.customers.lookup({ type: "userId", value: "A" });
    await dpo.customers.restrict(a.id);

    const moved = await post("track", { userId: "B", anonymousId: "dA", event: "Product Viewed" });
    expect(moved.status).toBe(403);
    expect(moved.body).toMatchObject({ error: { code: "processing_restricted" } });
    expect((await dpo.customers.lookup({ type: "anonymousId", value: "dA" })).id).toBe(a.id);
    await expect(admin.customers.lookup({ type: "userId", value: "B" })).rejects.toMatchObject({ status: 404 });
    expect((await dpo.customers.changelog(a.id).toArray()).map((entry) => entry.kind)).not.toContain("identifier_moved");
  });

  it("audits a withdrawal taken from a refused message, once: a second one is 'recorded before' and leaves no entry", async () => {
    const { admin, dpo, post, trackingAudit } = await world();
    await post("identify", { userId: "r-1" });
    const rita = await admin.customers.lookup({ type: "userId", value: "r-1" });
    await dpo.customers.restrict(rita.id);
    const withdraw = () =>
      post("track", {
        userId: "r-1",
        event: "Segment Consent Preference Updated",
        context: { consent: { categoryPreferences: { marketing: false } } },
      });

    expect((await withdraw()).body).toMatchObject({
      error: { issues: [{ message: "the withdrawal (marketing) was recorded; nothing else of the message was" }] },
    });
    expect((await trackingAudit()).map((entry) => [entry.action, entry.target])).toEqual([
      ["identify", rita.id],
      ["track", rita.id],
    ]);
    expect((await withdraw()).body).toMatchObject({
      error: { issues: [{ message: "the withdrawal (marketing) was recorded before; nothing else of the message was" }] },
    });
    expect(await trackingAudit()).toHaveLength(2);
  });
});
