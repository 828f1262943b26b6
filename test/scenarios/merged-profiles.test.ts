import { createBackend, manualClock } from "@cdp/backend";
import { Cdp, NotFoundError, ValidationError } from "@cdp/sdk";
import { describe, expect, it } from "vitest";

/**
 * Merged profiles seen from outside (DESIGN §3 `status`, `mergedInto`; §4: an absorbed profile keeps
 * its id as an alias that acts on the survivor): searches that ask for `status` or `mergedInto`
 * find the aliases, which show only what is left of them; deletion and erasure take them along; and
 * manual merges given ids that are aliases act on the survivors instead of answering 404.
 */
async function world() {
  const clock = manualClock("2026-05-01T10:00:00Z");
  const backend = createBackend({ clock, seed: 17 });
  const admin = new Cdp({ fetch: backend.fetch, apiKey: backend.adminKey, maxRetries: 0 });
  const { secret } = await admin.keys.create({ name: "dpo-key", role: "dpo" });
  const dpo = new Cdp({ fetch: backend.fetch, apiKey: secret, maxRetries: 0 });
  let sequence = 0;
  const track = async (type: string, message: Record<string, unknown>) => {
    clock.advance(1_000);
    const response = await backend.fetch(`http://cdp.test/v1/${type}`, {
      method: "POST",
      headers: { authorization: `Basic ${btoa(`${backend.writeKey}:`)}`, "content-type": "application/json" },
      body: JSON.stringify({ messageId: `m-${++sequence}`, ...message }),
    });
    expect(response.status).toBe(200);
  };
  /** A customer created through the API, one second after the previous one. */
  const customer = async (email: string, fields: Record<string, unknown> = {}) => {
    clock.advance(1_000);
    return (await admin.customers.create({ email, ...fields })).customer;
  };
  /** The raw HTTP answer, for what the SDK refuses before sending. */
  const post = async (path: string, body: unknown) => {
    const response = await backend.fetch(`http://cdp.test/v1${path}`, {
      method: "POST",
      headers: { authorization: `Bearer ${backend.adminKey}`, "content-type": "application/json" },
      body: JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as { error?: { code: string; issues?: unknown[] } } };
  };
  const mergedOnes = (cdp: Cdp = admin) => cdp.customers.search({ conditions: [{ field: "status", op: "eq", value: "merged" }] }).toArray();
  const mergedInto = (id: string) => admin.customers.search({ conditions: [{ field: "mergedInto", op: "eq", value: id }] }).toArray();
  return { clock, backend, admin, dpo, track, customer, post, mergedOnes, mergedInto };
}

describe("merged profiles are visible", () => {
  it("a search on status finds the absorbed profile as an alias: its id, createdAt and survivor, none of the data that moved", async () => {
    const { admin, track, customer, mergedOnes, mergedInto } = await world();
    const ann = await customer("ann@x.com", { firstName: "Ann", tags: ["vip"] });
    const bob = await customer("bob@x.com", { firstName: "Bob", company: "Acme", traits: { plan: "pro" } });
    await track("identify", { userId: "u-1", traits: { email: "ann@x.com" } });
    // The second message names Ann's user id and Bob's email: Bob merges into Ann, the older.
    await track("identify", { userId: "u-1", traits: { email: "bob@x.com" } });
    expect((await admin.customers.lookup({ type: "email", value: "bob@x.com" })).id).toBe(ann.id);

    const aliases = await mergedOnes();
    expect(aliases).toHaveLength(1);
    const alias = aliases[0];
    expect(alias).toMatchObject({
      id: bob.id,
      status: "merged",
      mergedInto: ann.id,
      restricted: false,
      createdAt: bob.createdAt,
      firstName: null,
      company: null,
      email: null,
      identifiers: [],
      properties: {},
      traits: {},
      tags: [],
    });
    expect(await mergedInto(ann.id)).toEqual(aliases);
    // Listing and searching without naming status answer live profiles only.
    expect((await admin.customers.list().toArray()).map((listed) => listed.id)).toEqual([ann.id]);
    expect((await admin.customers.search({ conditions: [{ field: "email", op: "exists" }] }).toArray()).map((found) => found.id)).toEqual([
      ann.id,
    ]);
    // The alias keeps none of the moved data: its old name, company and traits find nothing.
    for (const q of ["Bob", "Acme", "pro"]) {
      const found = await admin.customers.search({ q, conditions: [{ field: "status", op: "in", value: ["active", "merged"] }] }).toArray();
      expect(found.map((one) => one.id)).not.toContain(bob.id);
    }
    const byOldId = await admin.customers.search({ q: bob.id, conditions: [{ field: "status", op: "eq", value: "merged" }] }).toArray();
    expect(byOldId.map((one) => one.id)).toEqual([bob.id]);

    // The old id answers the survivor, whose identities name every id merged into it.
    expect((await admin.customers.get(bob.id)).id).toBe(ann.id);
    expect((await admin.customers.identities(ann.id)).aliases).toEqual([bob.id]);
    expect((await admin.customers.identities(bob.id)).aliases).toEqual([bob.id]);
    expect((await admin.customers.get(ann.id)).firstName).toBe("Bob");
  });

  it("an alias is a whole customer record: its id, times, status and survivor, every other field present and empty; its id read directly answers the survivor", async () => {
    const { clock, admin, customer, mergedOnes, mergedInto } = await world();
    const ann = await customer("ann@x.com", { firstName: "Ann", tags: ["vip"] });
    const bob = await customer("bob@x.com", {
      firstName: "Bob",
      lastName: "Lee",
      birthDate: "1990-01-02",
      gender: "male",
      locale: "en-GB",
      timeZone: "Europe/London",
      phone: "+14155550100",
      address: { city: "London" },
      company: "Acme",
      jobTitle: "CTO",
      traits: { plan: "pro" },
      tags: ["b"],
    });
    clock.advance(1_000);
    await admin.customers.merge({ into: ann.id, from: [bob.id], reason: "same person" });
    const mergedAt = new Date(clock.now()).toISOString();

    const alias = {
      id: bob.id,
      status: "merged",
      mergedInto: ann.id,
      restricted: false,
      firstName: null,
      lastName: null,
      birthDate: null,
      gender: null,
      locale: null,
      timeZone: null,
      email: null,
      phone: null,
      address: null,
      company: null,
      jobTitle: null,
      properties: {},
      traits: {},
      identifiers: [],
      tags: [],
      createdAt: bob.createdAt,
      updatedAt: mergedAt,
    };
    // Every search that lists the alias itself shows it so: on status, on mergedInto, and naming its id.
    expect(await mergedOnes()).toEqual([alias]);
    expect(await mergedInto(ann.id)).toEqual([alias]);
    expect(await admin.customers.search({ conditions: [{ field: "id", op: "eq", value: bob.id }] }).toArray()).toEqual([alias]);
    const both = await admin.customers.search({ conditions: [{ field: "id", op: "in", value: [ann.id, bob.id] }] }).toArray();
    expect(both.find((one) => one.id === bob.id)).toEqual(alias);

    // Read directly, the old id answers the survivor, whole: by get, and by a list whose q is the old id.
    const survivor = await admin.customers.get(ann.id);
    expect(survivor).toMatchObject({ id: ann.id, status: "active", mergedInto: null, firstName: "Bob", company: "Acme" });
    expect(await admin.customers.get(bob.id)).toEqual(survivor);
    expect(await admin.customers.list({ q: bob.id }).toArray()).toEqual([survivor]);
    // A list without q has no status filter: live profiles only.
    expect((await admin.customers.list().toArray()).map((one) => one.id)).toEqual([ann.id]);

    // When the survivor merges in turn, the alias names the new survivor; its updatedAt stays the time it merged.
    const cat = await customer("cat@x.com");
    clock.advance(1_000);
    await admin.customers.merge({ into: cat.id, from: [ann.id], reason: "same person" });
    expect((await admin.customers.search({ conditions: [{ field: "id", op: "eq", value: bob.id }] }).toArray())[0]).toEqual({
      ...alias,
      mergedInto: cat.id,
    });
  });

  it("after a chain of merges every alias names the live survivor, and the survivor names them all", async () => {
    const { admin, customer, mergedOnes, mergedInto } = await world();
    const a = await customer("a@x.com");
    const b = await customer("b@x.com");
    const c = await customer("c@x.com");
    await admin.customers.merge({ into: b.id, from: [a.id] });
    await admin.customers.merge({ into: c.id, from: [b.id] });

    const aliases = await mergedOnes();
    expect(aliases.map((alias) => [alias.id, alias.mergedInto]).sort()).toEqual(
      [
        [a.id, c.id],
        [b.id, c.id],
      ].sort(),
    );
    expect((await mergedInto(c.id)).map((alias) => alias.id).sort()).toEqual([a.id, b.id].sort());
    expect(await mergedInto(b.id)).toEqual([]);
    expect((await admin.customers.identities(c.id)).aliases.sort()).toEqual([a.id, b.id].sort());
    expect((await admin.customers.get(a.id)).id).toBe(c.id);
  });

  it("deleting the survivor takes its aliases along: no search finds them, and their ids answer 404", async () => {
    const { admin, customer, mergedOnes } = await world();
    const a = await customer("a@x.com");
    const b = await customer("b@x.com");
    const c = await customer("c@x.com");
    const d = await customer("d@x.com");
    await admin.customers.merge({ into: a.id, from: [b.id] });
    await admin.customers.merge({ into: c.id, from: [d.id] });
    expect(await mergedOnes()).toHaveLength(2);

    await admin.customers.delete(b.id, { reason: "test data" });
    await expect(admin.customers.get(a.id)).rejects.toBeInstanceOf(NotFoundError);
    await expect(admin.customers.get(b.id)).rejects.toBeInstanceOf(NotFoundError);
    expect((await mergedOnes()).map((alias) => alias.id)).toEqual([d.id]);

    await admin.customers.bulkDelete({ ids: [d.id], reason: "test data" });
    await expect(admin.customers.get(d.id)).rejects.toBeInstanceOf(NotFoundError);
    expect(await mergedOnes()).toEqual([]);
  });

  it("erasing the survivor leaves no alias record that could find the person again", async () => {
    const { admin, dpo, customer, mergedOnes } = await world();
    const a = await customer("a@x.com");
    const b = await customer("b@x.com");
    await admin.customers.merge({ into: a.id, from: [b.id] });
    await dpo.customers.erase(b.id, { reason: "Art. 17 request" });
    expect(await mergedOnes(dpo)).toEqual([]);
    expect(await mergedOnes()).toEqual([]);
    await expect(admin.customers.get(b.id)).rejects.toBeInstanceOf(NotFoundError);
  });

  it("erasing the end of a chain of merges erases every id merged into it on the way", async () => {
    const { admin, dpo, customer, mergedOnes } = await world();
    const a = await customer("a@x.com");
    const b = await customer("b@x.com");
    const c = await customer("c@x.com");
    const other = await customer("other@x.com");
    await admin.customers.merge({ into: b.id, from: [a.id] });
    await admin.customers.merge({ into: c.id, from: [b.id] });
    await admin.customers.merge({ into: other.id, from: [await customer("o2@x.com").then((found) => found.id)] });
    const request = await dpo.customers.erase(a.id, { reason: "Art. 17 request" });
    expect(request.erased).toEqual({ customers: 3, events: 0 });
    for (const id of [a.id, b.id, c.id]) await expect(admin.customers.get(id)).rejects.toBeInstanceOf(NotFoundError);
    expect((await mergedOnes(dpo)).map((alias) => alias.mergedInto)).toEqual([other.id]);
  });

  it("the aliases of a restricted survivor appear to a dpo only, marked restricted", async () => {
    const { admin, dpo, customer, mergedOnes } = await world();
    const a = await customer("a@x.com");
    const b = await customer("b@x.com");
    await admin.customers.merge({ into: a.id, from: [b.id] });
    await dpo.customers.restrict(a.id, { reason: "accuracy contested" });
    expect(await mergedOnes()).toEqual([]);
    expect(await mergedOnes(dpo)).toMatchObject([{ id: b.id, mergedInto: a.id, restricted: true }]);
  });
});

describe("manual merge given aliases, itself or duplicates", () => {
  it("merging a profile into itself is refused as invalid, naming the from entry, before and after sending", async () => {
    const { admin, customer, post } = await world();
    const x = await customer("x@x.com");
    const refused = await admin.customers.merge({ into: x.id, from: [x.id] }).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(ValidationError);
    expect(refused).toMatchObject({ code: "validation_failed", issues: [{ path: "body.from.0" }] });
    const answer = await post("/customers/merge", { into: x.id, from: [x.id] });
    expect(answer.status).toBe(400);
    expect(answer.body.error).toMatchObject({ code: "validation_failed", issues: [{ path: "body.from.0" }] });
  });

  it("a from list naming one id twice is refused as invalid, naming the second entry", async () => {
    const { customer, post, admin } = await world();
    const x = await customer("x@x.com");
    const y = await customer("y@x.com");
    const answer = await post("/customers/merge", { into: x.id, from: [y.id, y.id] });
    expect(answer.status).toBe(400);
    expect(answer.body.error).toMatchObject({ code: "validation_failed", issues: [{ path: "body.from.1" }] });
    expect((await admin.customers.get(y.id)).status).toBe("active");
  });

  it("a from id already merged into `into` is a no-op the answer counts, so a repeated merge succeeds", async () => {
    const { admin, customer } = await world();
    const x = await customer("x@x.com");
    const y = await customer("y@x.com");
    const first = await admin.customers.merge({ into: x.id, from: [y.id] });
    expect(first).toMatchObject({ customer: { id: x.id }, merged: [y.id], alreadyMerged: [] });
    const changes = (await admin.customers.changelog(x.id).toArray()).length;

    const again = await admin.customers.merge({ into: x.id, from: [y.id] });
    expect(again).toEqual({ customer: first.customer, merged: [], alreadyMerged: [y.id] });
    expect((await admin.customers.changelog(x.id).toArray()).length).toBe(changes);
  });

  it("`into` given as an old id acts on its survivor; a from id naming that survivor is the profile itself", async () => {
    const { admin, customer, post } = await world();
    const x = await customer("x@x.com");
    const old = await customer("old@x.com");
    const z = await customer("z@x.com");
    await admin.customers.merge({ into: x.id, from: [old.id] });

    const merged = await admin.customers.merge({ into: old.id, from: [z.id] });
    expect(merged).toMatchObject({ customer: { id: x.id }, merged: [z.id], alreadyMerged: [] });
    expect(merged.customer.identifiers.map((identifier) => identifier.value).sort()).toEqual(["old@x.com", "x@x.com", "z@x.com"]);

    const itself = await post("/customers/merge", { into: old.id, from: [x.id] });
    expect(itself.status).toBe(400);
    expect(itself.body.error).toMatchObject({ code: "validation_failed", issues: [{ path: "body.from.0" }] });
  });

  it("a from id merged into another profile merges that survivor, and its aliases follow", async () => {
    const { admin, customer, mergedOnes } = await world();
    const x = await customer("x@x.com");
    const y = await customer("y@x.com");
    const old = await customer("old@x.com");
    await admin.customers.merge({ into: y.id, from: [old.id] });

    const answer = await admin.customers.merge({ into: x.id, from: [old.id] });
    expect(answer).toMatchObject({ customer: { id: x.id }, merged: [y.id], alreadyMerged: [] });
    expect((await admin.customers.get(old.id)).id).toBe(x.id);
    expect((await admin.customers.get(y.id)).id).toBe(x.id);
    expect((await mergedOnes()).map((alias) => [alias.id, alias.mergedInto]).sort()).toEqual(
      [
        [old.id, x.id],
        [y.id, x.id],
      ].sort(),
    );
  });

  it("two from ids naming one survivor merge it once; an id that never existed still answers 404 naming its entry", async () => {
    const { admin, customer, post } = await world();
    const x = await customer("x@x.com");
    const y = await customer("y@x.com");
    const old = await customer("old@x.com");
    await admin.customers.merge({ into: y.id, from: [old.id] });
    const answer = await admin.customers.merge({ into: x.id, from: [old.id, y.id] });
    expect(answer).toMatchObject({ merged: [y.id], alreadyMerged: [] });

    const missing = await post("/customers/merge", { into: x.id, from: ["cus_0000000000000000000000000"] });
    expect(missing.status).toBe(404);
    expect(missing.body.error).toMatchObject({ code: "not_found", issues: [{ path: "body.from.0" }] });
  });
});
