import { createBackend, manualClock } from "@cdp/backend";
import { Cdp, ConflictError, NotFoundError, ValidationError } from "@cdp/sdk";
import { describe, expect, it } from "vitest";

/**
 * DESIGN §4: "a custom type declared non-unique is stored but never matched". A family's membership
 * number, shared by several customers, through every route that reads or writes identifiers; and
 * what becomes of the shared values when the type is made unique again.
 */
async function world(rule: { limit?: number } = {}) {
  const clock = manualClock("2026-05-01T10:00:00Z");
  const backend = createBackend({ clock, seed: 7 });
  const cdp = new Cdp({ fetch: backend.fetch, apiKey: backend.adminKey, maxRetries: 0 });
  const membership = (unique: boolean) =>
    cdp.settings.update({ identity: { types: { membership: { unique, limit: rule.limit ?? 5, priority: 5 } } } });
  await membership(false);
  /** Creates a customer a second after the last one (so "oldest" is plain), holding the given identifiers. */
  const customer = async (email: string, ...members: string[]) => {
    clock.advance(1_000);
    const { customer } = await cdp.customers.create({
      email,
      identifiers: members.map((value) => ({ type: "membership", value })),
    });
    return customer;
  };
  const holders = async (value: string) =>
    (await cdp.customers.search({ conditions: [{ field: "identifiers.membership", op: "eq", value }] }).toArray()).map((found) => found.id);
  const failure = (promise: Promise<unknown>) =>
    promise.then(
      () => undefined,
      (error: unknown) => error,
    );
  return { backend, clock, cdp, membership, customer, holders, failure };
}

describe("a custom identifier type declared non-unique", () => {
  it("lets a second customer be created with a value another holds: 201, both hold it, nothing merges", async () => {
    const { cdp, customer, holders } = await world();
    const ann = await customer("ann@x.com", "M1");
    const ben = await customer("ben@x.com", "M1");

    expect(ben.id).not.toBe(ann.id);
    expect(ben.identifiers).toContainEqual({ type: "membership", value: "M1" });
    expect((await cdp.customers.get(ann.id)).identifiers).toContainEqual({ type: "membership", value: "M1" });
    expect((await holders("M1")).sort()).toEqual([ann.id, ben.id].sort());
  });

  it('never merges on it with onConflict: "merge": a unique identifier picks the profile, the shared value picks none', async () => {
    const { cdp, customer } = await world();
    const ann = await customer("ann@x.com", "M1");
    const ben = await customer("ben@x.com", "M1");

    const onlyShared = await cdp.customers.create({ identifiers: [{ type: "membership", value: "M1" }], onConflict: "merge" });
    expect(onlyShared.outcome).toBe("created");
    expect([ann.id, ben.id]).not.toContain(onlyShared.customer.id);

    const synced = await cdp.customers.create({
      email: "ben@x.com",
      firstName: "Ben",
      identifiers: [{ type: "membership", value: "M1" }],
      onConflict: "merge",
    });
    expect(synced).toMatchObject({ outcome: "updated", customer: { id: ben.id, firstName: "Ben" } });
    expect((await cdp.customers.get(ann.id)).status).toBe("active");
    expect((await cdp.customers.get(ann.id)).firstName).toBeNull();
  });

  it("still answers 409 for a unique identifier of the same request, naming that one alone", async () => {
    const { customer, failure } = await world();
    await customer("ann@x.com", "M1");
    const error = await failure(customer("ann@x.com", "M1"));
    expect(error).toBeInstanceOf(ConflictError);
    expect((error as ConflictError).issues).toEqual([{ path: "body.email", message: "email belongs to another profile" }]);
  });

  it("is added to a customer whoever else holds it (no 409, no move), and move: true takes it from nobody", async () => {
    const { cdp, customer, holders } = await world();
    const ann = await customer("ann@x.com", "M1");
    const ben = await customer("ben@x.com");
    const cid = await customer("cid@x.com");

    const added = await cdp.customers.addIdentifier(ben.id, { type: "membership", value: "M1" });
    expect(added.identifiers).toContainEqual({ type: "membership", value: "M1" });
    await cdp.customers.addIdentifier(cid.id, { type: "membership", value: " M1 ", move: true });

    expect((await holders("M1")).sort()).toEqual([ann.id, ben.id, cid.id].sort());
    const { changelog } = await cdp.customers.identities(ben.id);
    expect(changelog).toContainEqual(expect.objectContaining({ type: "membership", value: "M1", action: "added" }));
    expect((await cdp.customers.identities(ann.id)).changelog.map((change) => change.action)).not.toContain("moved");
  });

  it("is refused by lookup with 422 identifier_not_unique, which points at search; resolve matches nobody", async () => {
    const { cdp, customer, holders, failure } = await world();
    const ann = await customer("ann@x.com", "M1");
    await customer("ben@x.com", "M1");

    const error = await failure(cdp.customers.lookup({ type: "membership", value: "M1" }));
    expect(error).toBeInstanceOf(ValidationError);
    expect(error).toMatchObject({ status: 422, code: "identifier_not_unique", issues: [{ path: "query.type" }] });
    expect((error as ValidationError).message).toContain("identifiers.membership");
    // Even a value nobody holds: the answer depends on the type, not on the data.
    await expect(cdp.customers.lookup({ type: "membership", value: "nobody" })).rejects.toMatchObject({ code: "identifier_not_unique" });
    expect(await holders("M1")).toHaveLength(2);

    expect((await cdp.identity.resolve({ identifiers: [{ type: "membership", value: "M1" }] })).customerId).toBeNull();
    const withEmail = await cdp.identity.resolve({
      identifiers: [
        { type: "email", value: "ann@x.com" },
        { type: "membership", value: "M1" },
      ],
    });
    expect(withEmail.customerId).toBe(ann.id);
  });

  it("does not stop a manual merge: two profiles sharing a value hold it once after, within the type's limit", async () => {
    const { cdp, customer } = await world({ limit: 1 });
    const ann = await customer("ann@x.com", "M1");
    const ben = await customer("ben@x.com", "M1");

    const { customer: survivor } = await cdp.customers.merge({ into: ann.id, from: [ben.id] });
    expect(survivor.identifiers.filter((identifier) => identifier.type === "membership")).toEqual([{ type: "membership", value: "M1" }]);
    expect((await cdp.customers.get(ben.id)).id).toBe(ann.id);
  });

  it("still guards a manual merge whose distinct values exceed the limit", async () => {
    const { cdp, customer, failure } = await world({ limit: 1 });
    const ann = await customer("ann@x.com", "M1");
    const ben = await customer("ben@x.com", "M2");
    expect(await failure(cdp.customers.merge({ into: ann.id, from: [ben.id] }))).toMatchObject({ status: 422, code: "identifier_limit" });
  });

  it("does not lead an erasure to the other customers sharing the value", async () => {
    const { backend, cdp, customer, holders } = await world();
    const ann = await customer("ann@x.com", "M1");
    const ben = await customer("ben@x.com", "M1");
    const { secret } = await cdp.keys.create({ name: "dpo", role: "dpo" });
    const dpo = new Cdp({ fetch: backend.fetch, apiKey: secret, maxRetries: 0 });

    // Each of them, newer and older: whichever the identifier index names, the other stays.
    expect((await dpo.customers.erase(ben.id, { reason: "Art. 17 request" })).erased).toEqual({ customers: 1, events: 0 });
    await expect(cdp.customers.get(ben.id)).rejects.toBeInstanceOf(NotFoundError);
    expect(await holders("M1")).toEqual([ann.id]);
    const cid = await customer("cid@x.com", "M1");
    expect((await dpo.customers.erase(ann.id, { reason: "Art. 17 request" })).erased).toEqual({ customers: 1, events: 0 });
    expect(await holders("M1")).toEqual([cid.id]);
  });

  it("through tracking (which carries userId, anonymousId, email and phone only): those stay unique, so a shared kiosk anonymousId moves to its last user", async () => {
    const { backend, cdp, failure } = await world();
    // Built-in types are unique (DESIGN §4): a kiosk's shared browser cannot be declared otherwise.
    expect(await failure(cdp.settings.update({ identity: { types: { anonymousId: { unique: false } } } }))).toMatchObject({
      code: "validation_failed",
      issues: [expect.objectContaining({ path: "body.identity.types.anonymousId.unique" })],
    });
    const writer = new Cdp({ fetch: backend.fetch, apiKey: backend.writeKey, maxRetries: 0 });
    await writer.identify({ userId: "u1", anonymousId: "kiosk" });
    await writer.identify({ userId: "u2", anonymousId: "kiosk" });
    const ann = await cdp.customers.lookup({ type: "userId", value: "u1" });
    const ben = await cdp.customers.lookup({ type: "userId", value: "u2" });
    expect(ben.id).not.toBe(ann.id);
    expect(ben.identifiers).toContainEqual({ type: "anonymousId", value: "kiosk" });
    expect(ann.identifiers).not.toContainEqual({ type: "anonymousId", value: "kiosk" });
    expect((await cdp.customers.lookup({ type: "anonymousId", value: "kiosk" })).id).toBe(ben.id);
  });
});

describe("an event recorded by identifiers", () => {
  it("refuses one given only a non-unique value (422 identifier_not_unique) instead of making a profile each time", async () => {
    const { cdp, customer, holders, failure } = await world();
    const ann = await customer("ann@x.com", "FAM-1");
    for (let attempt = 0; attempt < 2; attempt++) {
      expect(
        await failure(cdp.events.create({ type: "Order Completed", identifiers: [{ type: "membership", value: "FAM-1" }] })),
      ).toMatchObject({ code: "identifier_not_unique", issues: [expect.objectContaining({ path: "body.identifiers.0.type" })] });
    }
    expect(await holders("FAM-1")).toEqual([ann.id]);
    expect(await cdp.events.list({ type: "Order Completed" }).toArray()).toEqual([]);
    // With a unique identifier beside it, the event goes to that profile and the shared value is only stored.
    const event = await cdp.events.create({
      type: "Order Completed",
      identifiers: [
        { type: "membership", value: "FAM-1" },
        { type: "email", value: "ann@x.com" },
      ],
    });
    expect(event.customerId).toBe(ann.id);
  });
});

describe("a type switched between non-unique and unique", () => {
  it("keeps every shared value where it is; the oldest holder is the one lookup and matching find, new holders get 409", async () => {
    const { cdp, customer, membership, failure } = await world();
    const ann = await customer("ann@x.com", "M1");
    const ben = await customer("ben@x.com", "M1");
    await cdp.customers.update(ben.id, { firstName: "Ben" });

    await membership(true);
    expect((await cdp.customers.lookup({ type: "membership", value: "M1" })).id).toBe(ann.id);
    expect((await cdp.customers.get(ben.id)).identifiers).toContainEqual({ type: "membership", value: "M1" });
    expect((await cdp.identity.resolve({ identifiers: [{ type: "membership", value: "M1" }] })).customerId).toBe(ann.id);
    expect(await failure(customer("cid@x.com", "M1"))).toMatchObject({ status: 409, code: "identifier_conflict" });
    // Ben holds it too, but so does Ann: only `move` makes it Ben's alone.
    expect(await failure(cdp.customers.addIdentifier(ben.id, { type: "membership", value: "M1" }))).toBeInstanceOf(ConflictError);

    await membership(false);
    await expect(cdp.customers.lookup({ type: "membership", value: "M1" })).rejects.toMatchObject({ code: "identifier_not_unique" });
    await membership(true);
    expect((await cdp.customers.lookup({ type: "membership", value: "M1" })).id).toBe(ann.id);
  });

  it("move: true takes a shared value from every other holder, so the customer is its one holder", async () => {
    const { cdp, customer, membership, holders } = await world();
    const ann = await customer("ann@x.com", "M1");
    const ben = await customer("ben@x.com", "M1");
    const cid = await customer("cid@x.com", "M1");
    await membership(true);

    await cdp.customers.addIdentifier(cid.id, { type: "membership", value: "M1", move: true });
    expect(await holders("M1")).toEqual([cid.id]);
    expect((await cdp.customers.lookup({ type: "membership", value: "M1" })).id).toBe(cid.id);
    const { changelog } = await cdp.customers.identities(cid.id);
    expect(changelog.filter((change) => change.action === "moved").map((change) => change.from)).toEqual([ann.id, ben.id]);
    expect((await cdp.customers.get(ann.id)).identifiers).not.toContainEqual({ type: "membership", value: "M1" });
  });

  it("passes a shared value to the next holder when the one the index names is deleted or lets it go", async () => {
    const { cdp, customer, membership } = await world();
    const ann = await customer("ann@x.com", "M1", "M2");
    const ben = await customer("ben@x.com", "M1", "M2");
    const cid = await customer("cid@x.com", "M3");
    const dan = await customer("dan@x.com", "M3");

    await cdp.customers.removeIdentifier(ben.id, { type: "membership", value: "M2" }, { reason: "card returned" });
    await cdp.customers.delete(dan.id, { reason: "duplicate" });
    await cdp.customers.delete(ann.id, { reason: "duplicate" });
    await membership(true);
    expect((await cdp.customers.lookup({ type: "membership", value: "M1" })).id).toBe(ben.id);
    await expect(cdp.customers.lookup({ type: "membership", value: "M2" })).rejects.toBeInstanceOf(NotFoundError);
    expect((await cdp.customers.lookup({ type: "membership", value: "M3" })).id).toBe(cid.id);

    await cdp.customers.delete(ben.id, { reason: "duplicate" });
    await expect(cdp.customers.lookup({ type: "membership", value: "M1" })).rejects.toBeInstanceOf(NotFoundError);
  });

  it("answers lookups of a shared value that lost holders while it was non-unique", async () => {
    const { cdp, customer, membership } = await world();
    const ann = await customer("ann@x.com", "M1", "M2");
    const ben = await customer("ben@x.com", "M1", "M2");
    await cdp.customers.removeIdentifier(ben.id, { type: "membership", value: "M2" }, { reason: "card returned" });
    await membership(true);
    expect((await cdp.customers.lookup({ type: "membership", value: "M2" })).id).toBe(ann.id);
  });
});

describe("the cap on a workspace's own identifier types", () => {
  it("refuses a 51st custom type on every route that can bring one (422 identifier_types_exhausted), changing nothing", async () => {
    const { backend, cdp, failure } = await world();
    // The world declared `membership`: 1 known. 48 more through customers, 1 through the settings: 50.
    const { customer: ann } = await cdp.customers.create({
      email: "ann@x.com",
      identifiers: Array.from({ length: 48 }, (_, n) => ({ type: `kind${n}`, value: `v${n}` })),
    });
    await cdp.settings.update({ identity: { types: { declared: { unique: true, limit: 5, priority: 5 } } } });
    const before = await cdp.customers.list().toArray();

    const refusals = [
      await failure(
        cdp.customers.create({
          email: "bo@x.com",
          identifiers: [
            { type: "kind1", value: "w" },
            { type: "extra", value: "x" },
          ],
        }),
      ),
      await failure(cdp.customers.addIdentifier(ann.id, { type: "extra", value: "x" })),
      await failure(cdp.events.create({ identifiers: [{ type: "extra", value: "x" }], type: "Signed Up" })),
      await failure(cdp.settings.update({ identity: { types: { extra: { unique: true, limit: 5, priority: 5 } } } })),
    ];
    expect(refusals.map((error) => [(error as { status: number }).status, (error as { code: string }).code])).toEqual(
      Array(4).fill([422, "identifier_types_exhausted"]),
    );
    expect(refusals.map((error) => (error as { issues: Array<{ path: string }> }).issues.map((issue) => issue.path))).toEqual([
      ["body.identifiers.1.type"],
      ["body.type"],
      ["body.identifiers.0.type"],
      ["body.identity.types.extra"],
    ]);
    expect(await cdp.customers.list().toArray()).toEqual(before);
    expect(await cdp.events.list().toArray()).toEqual([]);
    expect(Object.keys((await cdp.settings.get()).identity.types)).not.toContain("extra");

    // Known types stay usable; a built-in one is never counted.
    await cdp.customers.create({
      email: "cy@x.com",
      identifiers: [
        { type: "kind2", value: "other" },
        { type: "loyaltyCard", value: "L1" },
      ],
    });
    // A type whose last value leaves is no longer known: there is room again.
    await cdp.customers.removeIdentifier(ann.id, { type: "kind47", value: "v47" }, { reason: "test" });
    await expect(cdp.customers.addIdentifier(ann.id, { type: "extra", value: "x" })).resolves.toMatchObject({
      identifiers: expect.arrayContaining([{ type: "extra", value: "x" }]),
    });
    expect(backend.store.identifierTypes(backend.workspaceId)).not.toContain("kind47");

    // At the cap, one settings update may swap a rule for another (counted after the patch), not add one.
    await cdp.settings.update({ identity: { types: { declared: null, swapped: { unique: true, limit: 5, priority: 5 } } } });
    expect(Object.keys((await cdp.settings.get()).identity.types)).toEqual(expect.arrayContaining(["swapped"]));
    expect(Object.keys((await cdp.settings.get()).identity.types)).not.toContain("declared");
    await expect(cdp.settings.update({ identity: { types: { another: { unique: true, limit: 5, priority: 5 } } } })).rejects.toMatchObject({
      status: 422,
      code: "identifier_types_exhausted",
      issues: [{ path: "body.identity.types.another", message: expect.stringContaining("(another)") }],
    });
  });
});
