import { createBackend, manualClock } from "@cdp/backend";
import { Cdp } from "@cdp/sdk";
import { describe, expect, it } from "vitest";

/**
 * What a user can still reach of a merged (absorbed) profile (DESIGN §4: its id stays an alias
 * that acts on the survivor): free text naming an old id finds the survivor; a search naming ids
 * one by one finds the alias records themselves.
 */
async function world() {
  const clock = manualClock("2026-06-01T10:00:00Z");
  const backend = createBackend({ clock, seed: 23 });
  const admin = new Cdp({ fetch: backend.fetch, apiKey: backend.adminKey, maxRetries: 0 });
  const { secret } = await admin.keys.create({ name: "dpo-key", role: "dpo" });
  const dpo = new Cdp({ fetch: backend.fetch, apiKey: secret, maxRetries: 0 });
  /** A customer created through the API, one second after the previous one. */
  const customer = async (email: string, fields: Record<string, unknown> = {}) => {
    clock.advance(1_000);
    return (await admin.customers.create({ email, ...fields })).customer;
  };
  /** The raw HTTP answer, for requests the SDK would never send. */
  const raw = async (method: string, path: string, body?: unknown) => {
    const response = await backend.fetch(`http://cdp.test/v1${path}`, {
      method,
      headers: { authorization: `Bearer ${backend.adminKey}`, "content-type": "application/json" },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> & { error?: Record<string, unknown> } };
  };
  return { clock, backend, admin, dpo, customer, raw };
}

const ids = (list: Array<{ id: string }>) => list.map((one) => one.id);

describe("free text naming an old id", () => {
  it("q equal to a live id finds that profile; q equal to an old id finds its survivor, once", async () => {
    const { admin, customer } = await world();
    const ann = await customer("ann@x.com", { firstName: "Ann" });
    const bob = await customer("bob@x.com");
    await customer("carl@x.com");
    expect(ids(await admin.customers.list({ q: ann.id }).toArray())).toEqual([ann.id]);

    await admin.customers.merge({ into: ann.id, from: [bob.id] });
    expect(ids(await admin.customers.list({ q: bob.id }).toArray())).toEqual([ann.id]);
    expect(ids(await admin.customers.list({ q: `"${bob.id}"` }).toArray())).toEqual([ann.id]);
    expect(ids(await admin.customers.search({ q: bob.id }).toArray())).toEqual([ann.id]);
    // Conditions still apply to the survivor.
    expect(
      ids(await admin.customers.search({ q: bob.id, conditions: [{ field: "firstName", op: "eq", value: "Ann" }] }).toArray()),
    ).toEqual([ann.id]);
    expect(await admin.customers.search({ q: bob.id, conditions: [{ field: "firstName", op: "eq", value: "Bob" }] }).toArray()).toEqual([]);
  });

  it("after a chain of merges the oldest id finds the live end of the chain", async () => {
    const { admin, customer } = await world();
    const a = await customer("a@x.com");
    const b = await customer("b@x.com");
    const c = await customer("c@x.com");
    await admin.customers.merge({ into: b.id, from: [a.id] });
    await admin.customers.merge({ into: c.id, from: [b.id] });
    expect(ids(await admin.customers.list({ q: a.id }).toArray())).toEqual([c.id]);
  });

  it("a restricted survivor found by an old id appears to a dpo only", async () => {
    const { admin, dpo, customer } = await world();
    const a = await customer("a@x.com");
    const b = await customer("b@x.com");
    await admin.customers.merge({ into: a.id, from: [b.id] });
    await dpo.customers.restrict(a.id, { reason: "accuracy contested" });
    expect(await admin.customers.list({ q: b.id }).toArray()).toEqual([]);
    expect(ids(await dpo.customers.list({ q: b.id }).toArray())).toEqual([a.id]);
  });
});

describe("a search naming ids one by one", () => {
  it("`id eq` and `id in` naming an old id list the alias record itself, beside live profiles named too", async () => {
    const { admin, customer } = await world();
    const ann = await customer("ann@x.com", { firstName: "Ann" });
    const bob = await customer("bob@x.com", { firstName: "Bob" });
    const carl = await customer("carl@x.com");
    await admin.customers.merge({ into: ann.id, from: [bob.id] });

    const byEq = await admin.customers.search({ conditions: [{ field: "id", op: "eq", value: bob.id }] }).toArray();
    expect(byEq).toHaveLength(1);
    expect(byEq[0]).toMatchObject({ id: bob.id, status: "merged", mergedInto: ann.id, createdAt: bob.createdAt, firstName: null });

    const byIn = await admin.customers.search({ conditions: [{ field: "id", op: "in", value: [bob.id, carl.id] }] }).toArray();
    expect(byIn.map((one) => [one.id, one.status])).toEqual([
      [carl.id, "active"],
      [bob.id, "merged"],
    ]);
    // A live id names the live profile, as before.
    expect(ids(await admin.customers.search({ conditions: [{ field: "id", op: "eq", value: ann.id }] }).toArray())).toEqual([ann.id]);
    // Other operators on id do not name ids one by one: live profiles only.
    expect(ids(await admin.customers.search({ conditions: [{ field: "id", op: "neq", value: carl.id }] }).toArray())).toEqual([ann.id]);
    expect(ids(await admin.customers.search({ conditions: [{ field: "id", op: "startsWith", value: "cus_" }] }).toArray()).sort()).toEqual(
      [ann.id, carl.id].sort(),
    );
  });

  it("a search naming no id still lists live profiles only", async () => {
    const { admin, customer } = await world();
    const ann = await customer("ann@x.com");
    const bob = await customer("bob@x.com");
    await admin.customers.merge({ into: ann.id, from: [bob.id] });
    expect(ids(await admin.customers.search({ conditions: [{ field: "createdAt", op: "exists" }] }).toArray())).toEqual([ann.id]);
    expect(ids(await admin.customers.list().toArray())).toEqual([ann.id]);
  });
});

describe("the history of merged profiles", () => {
  it("the survivor's changelog holds every absorbed profile's own entries, newest first, each naming its profile", async () => {
    const { clock, admin, customer } = await world();
    const ann = await customer("ann@x.com", { firstName: "Ann" });
    const bob = await customer("bob@x.com", { firstName: "Bob" });
    clock.advance(1_000);
    await admin.customers.update(bob.id, { company: "Acme" });
    clock.advance(1_000);
    await admin.customers.update(ann.id, { lastName: "Lee" });
    clock.advance(1_000);
    await admin.customers.merge({ into: ann.id, from: [bob.id] });

    const entries = await admin.customers.changelog(ann.id).toArray();
    expect(entries.map((entry) => [entry.kind, entry.customerId])).toEqual([
      ["merged", ann.id],
      ["updated", ann.id],
      ["updated", bob.id],
      ["created", bob.id],
      ["created", ann.id],
    ]);
    expect(entries[2]?.changes).toEqual({ company: "Acme" });
    const times = entries.map((entry) => entry.at);
    expect([...times].sort().reverse()).toEqual(times);
    // The old id answers the same merged history.
    expect(await admin.customers.changelog(bob.id).toArray()).toEqual(entries);
  });

  it("pages of the merged changelog neither skip nor repeat, across a chain of merges", async () => {
    const { clock, admin, customer } = await world();
    const a = await customer("a@x.com");
    const b = await customer("b@x.com");
    const c = await customer("c@x.com");
    for (const [index, profile] of [a, b, c, a, b, c, a].entries()) {
      clock.advance(1_000);
      await admin.customers.update(profile.id, { jobTitle: `job ${index}` });
    }
    await admin.customers.merge({ into: b.id, from: [c.id] });
    clock.advance(1_000);
    await admin.customers.merge({ into: a.id, from: [b.id] });

    const whole = await admin.customers.changelog(a.id, { limit: 1000 }).toArray();
    expect(whole).toHaveLength(3 + 7 + 2);
    const paged: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await admin.customers.changelog(a.id, { limit: 2, ...(cursor ? { cursor } : {}) }).page();
      expect(page.data.length).toBeLessThanOrEqual(2);
      paged.push(...page.data.map((entry) => entry.id));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(paged).toEqual(whole.map((entry) => entry.id));
    expect(new Set(whole.map((entry) => entry.customerId))).toEqual(new Set([a.id, b.id, c.id]));
  });

  it("the survivor's ID changelog holds the identifiers the absorbed profile was given, before their move", async () => {
    const { clock, admin, customer } = await world();
    const ann = await customer("ann@x.com");
    const bob = await customer("bob@x.com");
    clock.advance(1_000);
    await admin.customers.addIdentifier(bob.id, { type: "loyaltyCard", value: "L-7" });
    clock.advance(1_000);
    await admin.customers.merge({ into: ann.id, from: [bob.id] });

    const { changelog } = await admin.customers.identities(ann.id);
    expect(changelog.map((line) => [line.action, line.value, line.customerId])).toEqual([
      ["added", "ann@x.com", ann.id],
      ["added", "bob@x.com", bob.id],
      ["added", "L-7", bob.id],
      ["moved", "bob@x.com", ann.id],
      ["moved", "L-7", ann.id],
    ]);
  });

  it("an export of the survivor carries the absorbed profile's history too", async () => {
    const { admin, dpo, customer } = await world();
    const ann = await customer("ann@x.com");
    const bob = await customer("bob@x.com", { firstName: "Bob" });
    await admin.customers.merge({ into: ann.id, from: [bob.id] });
    const data = await dpo.customers.export(ann.id);
    expect(data.changelog.filter((entry) => entry.customerId === bob.id).map((entry) => entry.kind)).toEqual(["created"]);
    expect(data.identities.changelog.some((line) => line.customerId === bob.id && line.action === "added")).toBe(true);
  });

  it("erasing the survivor removes the absorbed profile's changelogs; deleting it removes them and everything else it held", async () => {
    const { backend, admin, dpo, customer } = await world();
    const ann = await customer("ann@x.com");
    const bob = await customer("bob@x.com");
    await admin.customers.merge({ into: ann.id, from: [bob.id] });
    expect((await admin.customers.changelog(ann.id).toArray()).some((entry) => entry.customerId === bob.id)).toBe(true);

    await dpo.customers.erase(ann.id, { reason: "Art. 17 request" });
    for (const id of [ann.id, bob.id]) {
      await expect(admin.customers.changelog(id).toArray()).rejects.toMatchObject({ status: 404 });
      expect(backend.store.listChangelog(backend.workspaceId, id, undefined, 1000)).toEqual([]);
      expect(backend.store.listIdentityChanges(backend.workspaceId, id)).toEqual([]);
    }

    const carl = await customer("carl@x.com");
    const dora = await customer("dora@x.com");
    const ed = await customer("ed@x.com");
    const list = await admin.lists.create({ name: "News", channel: "email", kind: "marketing" });
    for (const who of [carl, dora, ed]) {
      await admin.events.create({ customerId: who.id, type: "Product Viewed", properties: { sku: who.id } });
      await admin.consents.record(who.id, { purpose: "marketing", decision: "granted", source: "preference_center" });
    }
    await admin.subscriptions.subscribe(dora.id, list.id, { method: "web_form" });
    await admin.customers.merge({ into: carl.id, from: [dora.id] });
    expect(await admin.events.list({ customerId: carl.id }).toArray()).toHaveLength(2);

    await admin.customers.delete(carl.id, { reason: "test data" });
    for (const id of [carl.id, dora.id]) {
      await expect(admin.customers.changelog(id).toArray()).rejects.toMatchObject({ status: 404 });
      await expect(admin.customers.identities(id)).rejects.toMatchObject({ status: 404 });
      expect(backend.store.listChangelog(backend.workspaceId, id, undefined, 1000)).toEqual([]);
      expect(backend.store.listIdentityChanges(backend.workspaceId, id)).toEqual([]);
      expect(backend.store.eventsOfCustomer(backend.workspaceId, id)).toEqual([]);
    }
    // Its events go with it (no event names a customer that answers 404); Ed's stay, all of them.
    expect((await admin.events.list().toArray()).map((event) => event.customerId)).toEqual([ed.id]);
    expect((await admin.consents.get(ed.id)).purposes).toContainEqual(
      expect.objectContaining({ purpose: "marketing", decision: "granted" }),
    );
    // An answer kept for an Idempotency-Key that named it replays nothing of it; the delete's own replays.
    const keyed = async (method: string, path: string, key: string, body: unknown) => {
      const response = await backend.fetch(`http://cdp.test/v1${path}`, {
        method,
        headers: { authorization: `Bearer ${backend.adminKey}`, "content-type": "application/json", "idempotency-key": key },
        body: JSON.stringify(body),
      });
      return { status: response.status, text: await response.text() };
    };
    const fay = await keyed("POST", "/customers", "create-fay", { email: "fay@x.com", firstName: "Fay" });
    const fayId = (JSON.parse(fay.text) as { customer: { id: string } }).customer.id;
    const deleted = await keyed("DELETE", `/customers/${fayId}`, "delete-fay", { reason: "test data" });
    expect(deleted.status).toBe(200);
    expect(await keyed("DELETE", `/customers/${fayId}`, "delete-fay", { reason: "test data" })).toEqual(deleted);
    const replay = await keyed("POST", "/customers", "create-fay", { email: "fay@x.com", firstName: "Fay" });
    expect(replay.status).toBe(410);
    expect(replay.text).not.toContain("Fay");
    expect(replay.text).not.toContain(fayId);
    // The same address later is a new person with a history of its own, no consent and no subscription.
    const again = await customer("dora@x.com");
    expect(await admin.customers.changelog(again.id).toArray()).toHaveLength(1);
    expect((await admin.subscriptions.list(again.id)).data).toEqual([
      expect.objectContaining({ listId: list.id, state: "never_subscribed" }),
    ]);
  });
  it("a bulk delete naming an old id and a survivor removes both chains and their events, and leaves the rest", async () => {
    const { backend, admin, customer } = await world();
    const [ann, bob, cy, dee, eve] = [
      await customer("ann@x.com"),
      await customer("bob@x.com"),
      await customer("cy@x.com"),
      await customer("dee@x.com"),
      await customer("eve@x.com"),
    ];
    for (const who of [ann, bob, cy, dee, eve]) await admin.events.create({ customerId: who.id, type: "Product Viewed" });
    await admin.customers.merge({ into: ann.id, from: [bob.id] });
    await admin.customers.merge({ into: cy.id, from: [dee.id] });

    // bob's id acts on ann (its survivor); cy names its own chain.
    expect(await admin.customers.bulkDelete({ ids: [bob.id, cy.id], reason: "test data" })).toEqual({ deleted: 2, ids: [ann.id, cy.id] });
    for (const id of [ann.id, bob.id, cy.id, dee.id]) {
      await expect(admin.customers.get(id)).rejects.toMatchObject({ status: 404 });
      expect(backend.store.eventsOfCustomer(backend.workspaceId, id)).toEqual([]);
      expect(backend.store.listChangelog(backend.workspaceId, id, undefined, 1000)).toEqual([]);
    }
    expect((await admin.events.list().toArray()).map((event) => event.customerId)).toEqual([eve.id]);
    expect((await admin.customers.list().toArray()).map((one) => one.id)).toEqual([eve.id]);
  });
});
