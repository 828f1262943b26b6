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
