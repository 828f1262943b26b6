import { createBackend, manualClock } from "@cdp/backend";
import { Cdp, NotFoundError } from "@cdp/sdk";
import { describe, expect, it } from "vitest";

/**
 * Identifier values as a demanding user sends them: Unicode emails in either spelling, traits of the
 * wrong JSON type, and type names no type can have. Through the SDK and over HTTP.
 */
function world() {
  const clock = manualClock("2026-06-01T10:00:00Z");
  const backend = createBackend({ clock, seed: 11 });
  const cdp = new Cdp({ fetch: backend.fetch, apiKey: backend.adminKey, maxRetries: 0 });
  let sequence = 0;
  /** Posts a tracking message as a tracker would: JSON with the write key as HTTP Basic user name. */
  const send = async (type: string, message: Record<string, unknown>) => {
    clock.advance(1_000);
    const response = await backend.fetch(`http://cdp.test/v1/${type}`, {
      method: "POST",
      headers: { authorization: `Basic ${btoa(`${backend.writeKey}:`)}`, "content-type": "application/json" },
      body: JSON.stringify({ messageId: `m-${++sequence}`, ...message }),
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };
  /** A request with the admin key, answered as status and JSON body (for what the SDK would refuse before sending). */
  const admin = async (method: string, path: string, body?: unknown) => {
    const response = await backend.fetch(`http://cdp.test/v1${path}`, {
      method,
      headers: { authorization: `Bearer ${backend.adminKey}`, "content-type": "application/json" },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: response.status, body: (await response.json()) as { error?: { code: string; issues?: unknown[] } } };
  };
  return { backend, clock, cdp, send, admin };
}

const composed = "jos\u00e9@x.com";
const decomposed = "jose\u0301@x.com";

describe("an email in either Unicode spelling is one identifier, stored composed (NFC)", () => {
  it("customer create, lookup, addIdentifier and identity.resolve treat both spellings as one", async () => {
    const { cdp } = world();
    const { customer } = await cdp.customers.create({ email: decomposed });
    expect(customer.email).toBe(composed);
    expect(customer.identifiers).toEqual([{ type: "email", value: composed }]);

    expect((await cdp.customers.lookup({ type: "email", value: composed })).id).toBe(customer.id);
    expect((await cdp.customers.lookup({ type: "email", value: decomposed })).id).toBe(customer.id);
    expect(await cdp.identity.resolve({ identifiers: [{ type: "email", value: composed }] })).toEqual({ customerId: customer.id });

    const other = await cdp.customers.create({ email: "ben@x.com" });
    await expect(cdp.customers.create({ email: composed })).rejects.toMatchObject({ status: 409 });
    await expect(cdp.customers.addIdentifier(other.customer.id, { type: "email", value: composed })).rejects.toMatchObject({ status: 409 });
    const secondary = await cdp.customers.addIdentifier(customer.id, { type: "email", value: "Ren\u0065\u0301e@X.com" });
    expect(secondary.identifiers).toContainEqual({ type: "email", value: "ren\u00e9e@x.com" });
    expect(await cdp.customers.list().toArray()).toHaveLength(2);
  });

  it("a tracked email in the other spelling joins the same profile", async () => {
    const { cdp, send } = world();
    await send("identify", { userId: "u-1", traits: { email: composed } });
    await send("identify", { anonymousId: "dev-1", traits: { email: decomposed } });
    await send("track", { anonymousId: "dev-2", event: "Product Viewed", context: { traits: { email: decomposed } } });

    const all = await cdp.customers.list().toArray();
    expect(all).toHaveLength(1);
    expect(all[0]?.identifiers).toEqual(
      expect.arrayContaining([
        { type: "email", value: composed },
        { type: "anonymousId", value: "dev-1" },
        { type: "anonymousId", value: "dev-2" },
      ]),
    );
    expect(all[0]?.identifiers?.filter((identifier) => identifier.type === "email")).toHaveLength(1);
  });

  it("userId and custom types stay exactly as sent: the two spellings are two values", async () => {
    const { cdp, send } = world();
    await send("identify", { userId: "jos\u00e9" });
    await send("identify", { userId: "jose\u0301" });
    expect(await cdp.customers.list().toArray()).toHaveLength(2);
    const { customer } = await cdp.customers.create({ identifiers: [{ type: "membership", value: "jose\u0301" }] });
    expect(customer.identifiers).toEqual([{ type: "membership", value: "jose\u0301" }]);
  });
});

describe("a type name no identifier type can have", () => {
  it("GET /v1/customers/lookup answers 400 naming query.type, as create does; an unused valid type stays 404", async () => {
    const { cdp, admin } = world();
    await cdp.customers.create({ email: "ann@x.com" });

    const created = await admin("POST", "/customers", { identifiers: [{ type: "Bad Type", value: "v" }] });
    expect(created.status).toBe(400);
    expect(created.body.error?.issues).toContainEqual(expect.objectContaining({ path: "body.identifiers.0.type" }));

    for (const type of ["Bad Type", "Email", "1st", "a-b", "x".repeat(65)]) {
      const looked = await admin("GET", `/customers/lookup?type=${encodeURIComponent(type)}&value=ann%40x.com`);
      expect(looked.status, type).toBe(400);
      expect(looked.body.error?.code).toBe("validation_failed");
      expect(looked.body.error?.issues).toEqual([expect.objectContaining({ path: "query.type" })]);
    }

    await expect(cdp.customers.lookup({ type: "membership", value: "M1" })).rejects.toBeInstanceOf(NotFoundError);
    expect((await cdp.customers.lookup({ type: "email", value: "ann@x.com" })).email).toBe("ann@x.com");
  });

  it("POST /v1/identity/resolve answers 400 naming body.identifiers.0.type too", async () => {
    const { admin } = world();
    const resolved = await admin("POST", "/identity/resolve", { identifiers: [{ type: "Bad Type", value: "v" }] });
    expect(resolved.status).toBe(400);
    expect(resolved.body.error?.issues).toEqual([expect.objectContaining({ path: "body.identifiers.0.type" })]);
  });
});

describe("an identifier holds a type and a value, nothing else", () => {
  it("a key of its own in an identifier is a 400 naming it, on create, resolve and event create, as addIdentifier does; nothing is written", async () => {
    const { cdp, admin } = world();
    const ann = (await cdp.customers.create({ email: "ann@x.com" })).customer.id;
    const typo = { type: "email", value: "z@x.com", foo: 1 };
    const bodies: Array<[string, Record<string, unknown>, string]> = [
      ["/customers", { identifiers: [{ type: "userId", value: "u-1" }, typo] }, "body.identifiers.1.foo"],
      ["/customers", { identifiers: [typo], onConflict: "merge" }, "body.identifiers.0.foo"],
      ["/identity/resolve", { identifiers: [typo] }, "body.identifiers.0.foo"],
      ["/events", { type: "Page Viewed", identifiers: [typo] }, "body.identifiers.0.foo"],
      [`/customers/${ann}/identifiers`, typo, "body.foo"],
    ];
    for (const [path, body, place] of bodies) {
      const answer = await admin("POST", path, body);
      expect(answer.status, path).toBe(400);
      expect(answer.body.error, path).toMatchObject({
        code: "validation_failed",
        issues: [{ path: place, message: "unknown field: foo" }],
      });
    }
    // The SDK refuses the same body before sending it, naming the same place.
    await expect(cdp.identity.resolve({ identifiers: [typo] })).rejects.toMatchObject({
      issues: [{ path: "body.identifiers.0.foo", message: "unknown field: foo" }],
    });
    const customers = await cdp.customers.list({ limit: 10 }).page();
    expect(customers.data.map((customer) => customer.identifiers)).toEqual([[{ type: "email", value: "ann@x.com" }]]);
    expect((await cdp.events.list({ limit: 10 }).page()).data).toEqual([]);
  });
});

describe("identity.resolve reads identifiers as a write does", () => {
  it("an invalid email or phone is a 400 naming its place, as on POST /v1/events; a blocked value matches nothing", async () => {
    const { cdp, admin } = world();
    const ann = (await cdp.customers.create({ email: "ann@x.com", phone: "+44 20 7946 0958" })).customer.id;
    await cdp.settings.update({ identity: { blockedValues: ["test@example.com"] } });

    const refusals: Array<[Array<{ type: string; value: string }>, string[]]> = [
      [[{ type: "email", value: "not an email" }], ["body.identifiers.0.value"]],
      [
        [
          { type: "email", value: "ann@x.com" },
          { type: "email", value: "bad email" },
        ],
        ["body.identifiers.1.value"],
      ],
      [
        [
          { type: "phone", value: "abc" },
          { type: "userId", value: "u-1" },
          { type: "email", value: "@x" },
        ],
        ["body.identifiers.0.value", "body.identifiers.2.value"],
      ],
    ];
    for (const [identifiers, places] of refusals) {
      const resolved = await cdp.identity.resolve({ identifiers }).catch((error: unknown) => error);
      expect(resolved, JSON.stringify(identifiers)).toMatchObject({
        status: 400,
        code: "validation_failed",
        issues: places.map((path) => expect.objectContaining({ path })),
      });
      const recorded = await admin("POST", "/events", { type: "Page Viewed", identifiers });
      expect(recorded.status).toBe(400);
      expect(recorded.body.error?.issues).toEqual(places.map((path) => expect.objectContaining({ path })));
    }

    // Blocked values (the built-in list and the workspace's) are nobody's: they match nothing, beside others too.
    for (const value of ["anonymous", "test@example.com", '"null"']) {
      expect((await cdp.identity.resolve({ identifiers: [{ type: "email", value }] })).customerId, value).toBeNull();
    }
    const beside = await cdp.identity.resolve({
      identifiers: [
        { type: "email", value: "ann@x.com" },
        { type: "userId", value: "guest" },
      ],
    });
    expect(beside.customerId).toBe(ann);
    // Values are normalised as on a write.
    expect((await cdp.identity.resolve({ identifiers: [{ type: "email", value: " ANN@x.COM " }] })).customerId).toBe(ann);
    expect((await cdp.identity.resolve({ identifiers: [{ type: "phone", value: "+442079460958" }] })).customerId).toBe(ann);
  });
});
