import { Cdp } from "@cdp/sdk";
import { describe, expect, it } from "vitest";
import { trackingWorld } from "./tracking-world.js";

/** Defects a review of identity resolution and merge found, each held here through the public API. */

describe("a workspace's blocked values", () => {
  it("block a phone however it is written, so two strangers sharing a formatted placeholder number stay apart", async () => {
    const { cdp, post } = trackingWorld(61);
    await cdp.settings.update({ identity: { blockedValues: ["+14155550100"] } });

    await post("identify", { anonymousId: "v1", traits: { phone: "+1 415 555 0100", firstName: "Ann" } });
    await post("identify", { anonymousId: "v2", traits: { phone: "(+1) 415-555-0100", firstName: "Bob" } });

    const ann = await cdp.customers.lookup({ type: "anonymousId", value: "v1" });
    const bob = await cdp.customers.lookup({ type: "anonymousId", value: "v2" });
    expect(ann.id).not.toBe(bob.id);
    expect(ann.firstName).toBe("Ann");
    expect(ann.identifiers.map(({ type }) => type)).toEqual(["anonymousId"]);
    await expect(cdp.customers.lookup({ type: "phone", value: "+14155550100" })).rejects.toMatchObject({ status: 404 });
  });

  it("refuse a formatted blocked phone or a differently cased blocked email on customer create (422, naming the field)", async () => {
    const { cdp } = trackingWorld(62);
    await cdp.settings.update({ identity: { blockedValues: ["+14155550100", "Info@Shop.example"] } });

    await expect(cdp.customers.create({ phone: "+1 415 555 0100" })).rejects.toMatchObject({
      status: 422,
      code: "blocked_identifier",
      issues: [{ path: "body.phone" }],
    });
    await expect(cdp.customers.create({ email: " INFO@shop.example " })).rejects.toMatchObject({ status: 422, code: "blocked_identifier" });
    expect((await cdp.customers.list().page()).data).toEqual([]);
    expect((await cdp.customers.create({ phone: "+1 415 555 0101" })).customer.phone).toBe("+14155550101");
  });
});

describe("a merge of three or more profiles", () => {
  it("credits each field's value to the profile it came from, in every absorbed profile's entry", async () => {
    const { cdp, clock } = trackingWorld(63);
    const make = async (body: Parameters<typeof cdp.customers.create>[0]) => {
      clock.advance(1_000);
      return (await cdp.customers.create(body)).customer.id;
    };
    const a = await make({ email: "a@x.com" });
    const b = await make({ email: "b@x.com", lastName: "Bee" });
    const c = await make({ email: "c@x.com", firstName: "Cee" });

    await cdp.customers.merge({ into: a, from: [b, c] });

    const entries = (await cdp.customers.changelog(a).page()).data.flatMap((entry) =>
      entry.kind === "merged" && entry.merge ? [entry.merge] : [],
    );
    const decision = (absorbed: string, field: string) =>
      entries.find((merge) => merge.absorbed === absorbed)?.decisions.find((made) => made.field === field);
    expect(decision(b, "lastName")).toMatchObject({ value: "Bee", from: b, rule: "non_empty" });
    // When C is absorbed, the survivor's lastName is B's: the entry says so, not that A had it.
    expect(decision(c, "lastName")).toMatchObject({ value: "Bee", from: b, rule: "only_value" });
    expect(decision(c, "firstName")).toMatchObject({ value: "Cee", from: c, rule: "non_empty" });
  });
});

describe("a merge of profiles sharing a non-unique value", () => {
  it("records no move of the value the survivor already held", async () => {
    const { cdp, clock } = trackingWorld(64);
    await cdp.settings.update({ identity: { types: { household: { unique: false } } } });
    const household = { type: "household", value: "H1" };
    const a = (await cdp.customers.create({ email: "a@x.com", identifiers: [household] })).customer.id;
    clock.advance(1_000);
    const b = (await cdp.customers.create({ email: "b@x.com", identifiers: [household] })).customer.id;

    await cdp.customers.merge({ into: a, from: [b] });

    const moves = (await cdp.customers.identities(a)).changelog.filter((change) => change.action === "moved");
    expect(moves.map(({ type, value, from, to }) => ({ type, value, from, to }))).toEqual([
      { type: "email", value: "b@x.com", from: b, to: a },
    ]);
  });
});

describe("a device that moves to another profile", () => {
  it("leaves an identifier_moved entry in the changelog of the profile that lost it, and of the one that took it", async () => {
    const { cdp, post } = trackingWorld(65);
    await post("identify", { anonymousId: "dev-1", userId: "u1", traits: { email: "ann@x.com" } });
    const ann = await cdp.customers.lookup({ type: "userId", value: "u1" });

    // The same device logs in as another user, naming Ann's email: the email stays (userId limit 1), the device moves.
    await post("identify", { anonymousId: "dev-1", userId: "u2", traits: { email: "ann@x.com" } });
    const other = await cdp.customers.lookup({ type: "userId", value: "u2" });
    expect(other.id).not.toBe(ann.id);
    expect((await cdp.customers.lookup({ type: "anonymousId", value: "dev-1" })).id).toBe(other.id);

    const moved = async (id: string) =>
      (await cdp.customers.changelog(id).page()).data
        .filter((entry) => entry.kind === "identifier_moved")
        .map(({ identifier, from, to }) => ({ identifier, from, to }));
    // Both entries say where it came from and where it went.
    const move = { identifier: { type: "anonymousId", value: "dev-1" }, from: ann.id, to: other.id };
    expect(await moved(ann.id)).toEqual([move]);
    expect(await moved(other.id)).toEqual([move]);
  });

  it("names from and to when an admin moves an identifier (move: true)", async () => {
    const { cdp } = trackingWorld(67);
    const { customer: first } = await cdp.customers.create({ identifiers: [{ type: "userId", value: "m-1" }], email: "m@x.com" });
    const { customer: second } = await cdp.customers.create({ identifiers: [{ type: "userId", value: "m-2" }] });
    await cdp.customers.addIdentifier(second.id, { type: "email", value: "m@x.com", move: true });
    for (const id of [first.id, second.id]) {
      const entries = (await cdp.customers.changelog(id).toArray()).filter((entry) => entry.kind === "identifier_moved");
      expect(entries).toEqual([
        expect.objectContaining({ identifier: { type: "email", value: "m@x.com" }, from: first.id, to: second.id }),
      ]);
    }
  });
});

describe("an erased person's identifiers", () => {
  it("re-create no one through an event by identifiers or a sync: 422 identifier_erased, nothing written", async () => {
    const { backend, cdp } = trackingWorld(66);
    const { secret } = await cdp.keys.create({ name: "dpo-key", role: "dpo" });
    const dpo = new Cdp({ fetch: backend.fetch, apiKey: secret });
    const { customer } = await cdp.customers.create({ email: "d@x.com", identifiers: [{ type: "userId", value: "ud" }] });
    await dpo.customers.erase(customer.id, { reason: "Art. 17" });

    await expect(cdp.events.create({ type: "Email Opened", identifiers: [{ type: "userId", value: "ud" }] })).rejects.toMatchObject({
      status: 422,
      code: "identifier_erased",
      issues: [{ path: "body.identifiers" }],
    });
    await expect(cdp.customers.create({ email: " D@x.com ", firstName: "Back", onConflict: "merge" })).rejects.toMatchObject({
      status: 422,
      code: "identifier_erased",
    });
    expect(await cdp.identity.resolve({ identifiers: [{ type: "userId", value: "ud" }] })).toEqual({ customerId: null });
    expect((await cdp.customers.list().page()).data).toEqual([]);
    expect((await cdp.events.list().page()).data).toEqual([]);
  });
});

describe("a sync (create with onConflict: merge) onto an existing profile", () => {
  it("never empties a real value with an empty one", async () => {
    const { cdp, clock } = trackingWorld(67);
    await cdp.customers.create({ email: "a@x.com", firstName: "Ann", lastName: "Lee" });
    clock.advance(60_000);

    const { customer, outcome } = await cdp.customers.create({ email: "A@x.com", firstName: "", lastName: "Leigh", onConflict: "merge" });

    expect(outcome).toBe("updated");
    expect(customer).toMatchObject({ firstName: "Ann", lastName: "Leigh" });
    const [latest] = (await cdp.customers.changelog(customer.id).page()).data.filter((entry) => entry.kind === "updated");
    expect(latest?.changes).toEqual({ lastName: "Leigh" });
  });

  it("that names only identifiers the profile holds changes nothing: no new updatedAt, no empty changelog entry", async () => {
    const { cdp, clock } = trackingWorld(68);
    const { customer: before } = await cdp.customers.create({ email: "a@x.com", firstName: "Ann" });
    const entriesBefore = (await cdp.customers.changelog(before.id).page()).data.length;
    clock.advance(60_000);

    const { customer, outcome } = await cdp.customers.create({ email: "a@x.com", onConflict: "merge" });

    expect(outcome).toBe("updated");
    expect(customer).toEqual(before);
    expect((await cdp.customers.changelog(before.id).page()).data).toHaveLength(entriesBefore);
  });

  it("leaves out empty values at any depth and what the profile holds already; writes and logs only what changes", async () => {
    const { cdp, clock } = trackingWorld(69);
    await cdp.properties.define({ name: "tier", type: "string" });
    const { customer: before } = await cdp.customers.create({
      email: "a@x.com",
      lastName: "Lee",
      tags: ["vip"],
      address: { city: "Berlin", country: "DE" },
      traits: { t: 1, prefs: { color: "red" } },
      properties: { tier: "gold" },
    });
    const entriesBefore = (await cdp.customers.changelog(before.id).page()).data.length;
    for (const nothingNew of [
      { lastName: null },
      { lastName: "Lee" },
      { tags: [] },
      { tags: ["vip"] },
      { address: {} },
      { address: { city: "" } },
      { address: { city: "Berlin", street: "  " } },
      { traits: {} },
      { traits: { t: null } },
      { traits: { prefs: { color: null } } },
      { traits: { t: 1, prefs: { color: "red" } } },
      { properties: {} },
      { properties: { tier: "gold" } },
    ]) {
      clock.advance(1_000);
      const { customer } = await cdp.customers.create({ email: "a@x.com", ...nothingNew, onConflict: "merge" });
      expect(customer, JSON.stringify(nothingNew)).toEqual(before);
    }
    expect((await cdp.customers.changelog(before.id).page()).data).toHaveLength(entriesBefore);

    clock.advance(1_000);
    const { customer } = await cdp.customers.create({
      email: "a@x.com",
      lastName: "",
      tags: ["vip", "new"],
      address: { city: "Paris", street: "" },
      traits: { t: 1, prefs: { size: "M", color: null } },
      properties: { tier: "gold" },
      onConflict: "merge",
    });
    expect(customer).toMatchObject({
      lastName: "Lee",
      tags: ["vip", "new"],
      address: { city: "Paris", country: "DE" },
      traits: { t: 1, prefs: { color: "red", size: "M" } },
      properties: { tier: "gold" },
    });
    expect(customer.updatedAt).not.toBe(before.updatedAt);
    const [latest] = (await cdp.customers.changelog(before.id).page()).data;
    expect(latest).toMatchObject({
      kind: "updated",
      changes: { tags: ["new"], address: { city: "Paris" }, traits: { prefs: { size: "M" } } },
    });
  });
});

describe("an empty value inside an object", () => {
  it("written by identify never replaces a real one (company, a trait object)", async () => {
    const { cdp, post } = trackingWorld(70);
    await post("identify", { userId: "n1", traits: { prefs: { color: "red" }, company: { name: "Acme" } } });
    await post("identify", { userId: "n1", traits: { prefs: { color: null }, company: { name: "" }, address: { city: " " } } });
    const profile = await cdp.customers.lookup({ type: "userId", value: "n1" });
    expect(profile).toMatchObject({ company: "Acme", traits: { prefs: { color: "red" } } });
    expect(profile.address).toBeNull();
  });

  it("in a merge, counts as no value: the survivor keeps its real address", async () => {
    const { cdp, clock } = trackingWorld(71);
    const { customer: paris } = await cdp.customers.create({ email: "m1@x.com", address: { city: "Paris" } });
    clock.advance(1_000);
    const { customer: blank } = await cdp.customers.create({ email: "m2@x.com", address: { city: "" } });
    const { customer } = await cdp.customers.merge({ into: paris.id, from: [blank.id] });
    expect(customer.address).toEqual({ city: "Paris" });
  });
});

describe("a sync that drops an identifier to respect a limit", () => {
  it("answers which identifier the profile did not take, where the body had it and the rule; none when all were taken", async () => {
    const { cdp } = trackingWorld(71);
    const { customer: a } = await cdp.customers.create({ email: "f@x.com", identifiers: [{ type: "userId", value: "A" }] });

    const synced = await cdp.customers.create({ email: " F@x.com ", identifiers: [{ type: "userId", value: "B" }], onConflict: "merge" });

    // B cannot join A's profile (userId limit 1): the email, lower in priority, stays with A and B starts its own profile.
    expect(synced.outcome).toBe("created");
    expect(synced.customer.id).not.toBe(a.id);
    expect(synced.customer.email).toBeNull();
    expect(synced.dropped).toEqual([{ path: "body.email", type: "email", value: "f@x.com", rule: "userId limit 1" }]);
    expect((await cdp.customers.get(a.id)).email).toBe("f@x.com");
    const entries = await cdp.customers.changelog(synced.customer.id).toArray();
    expect(entries.find((entry) => entry.kind === "identifier_dropped")).toMatchObject({
      identifier: { type: "email", value: "f@x.com" },
      rule: "userId limit 1",
    });

    const again = await cdp.customers.create({ identifiers: [{ type: "userId", value: "B" }], firstName: "Bo", onConflict: "merge" });
    expect(again).toMatchObject({ outcome: "updated", customer: { id: synced.customer.id, firstName: "Bo" } });
    expect(again).not.toHaveProperty("dropped");
  });
});

describe("an identifier whose value is a URL's dot segment", () => {
  it("is refused before sending: removing userId '..' never reaches DELETE /customers/{id}", async () => {
    const { cdp } = trackingWorld(68);
    const { customer } = await cdp.customers.create({ identifiers: [{ type: "userId", value: "u-dots" }] });
    for (const value of [".", ".."]) {
      await expect(cdp.customers.removeIdentifier(customer.id, { type: "userId", value }, { reason: "test" })).rejects.toThrow(
        `path parameter value cannot be "${value}"`,
      );
    }
    expect((await cdp.customers.get(customer.id)).status).toBe("active");
  });
});
