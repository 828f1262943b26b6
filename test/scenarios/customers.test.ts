import {
  AuthenticationError,
  type Cdp,
  ConflictError,
  type CustomerProjection,
  NotFoundError,
  PermissionError,
  type SearchCondition,
  ValidationError,
} from "@cdp/sdk";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { closeMsw, loggedErrors, setup, transports } from "./transports.js";

afterAll(closeMsw);
afterEach(() => {
  // every answer matched its schema and nothing failed unexpectedly on the backend
  expect(loggedErrors.splice(0)).toEqual([]);
});

async function collect<T>(list: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of list) out.push(item);
  return out;
}

const names = (customers: CustomerProjection[]) => customers.map((customer) => `${customer.firstName} ${customer.lastName}`).sort();

describe.each(transports)("customers through the SDK, $name", (transport) => {
  afterEach(() => transport.stop());

  it("creates, finds, updates and deletes a customer", async () => {
    const { cdp, clock } = await setup(transport);
    const { customer, outcome } = await cdp.customers.create({
      email: "  Ann.Lee@Example.COM ",
      phone: "+49 151 23456789",
      firstName: "Ann",
      identifiers: [{ type: "userId", value: "shop-1" }],
      tags: ["vip", "vip"],
    });
    expect(outcome).toBe("created");
    expect(customer).toMatchObject({
      email: "ann.lee@example.com",
      phone: "+4915123456789",
      firstName: "Ann",
      tags: ["vip"],
      status: "active",
      createdAt: "2026-05-01T09:00:00.000Z",
    });

    expect((await cdp.customers.lookup({ type: "email", value: "ANN.LEE@example.com" })).id).toBe(customer.id);
    expect((await cdp.customers.lookup({ type: "phone", value: "+49 (151) 234-56789" })).id).toBe(customer.id);
    expect((await cdp.customers.lookup({ type: "userId", value: "shop-1" })).id).toBe(customer.id);

    clock.advance(60_000);
    const updated = await cdp.customers.update(customer.id, {
      firstName: null,
      lastName: "Lee",
      address: { city: "Berlin" },
      traits: { plan: "pro" },
    });
    expect(updated).toMatchObject({
      firstName: null,
      lastName: "Lee",
      address: { city: "Berlin" },
      traits: { plan: "pro" },
      updatedAt: "2026-05-01T09:01:00.000Z",
    });
    const again = await cdp.customers.update(customer.id, { address: { country: "DE" }, traits: { plan: null } });
    expect(again.address).toEqual({ city: "Berlin", country: "DE" });
    expect(again.traits).toEqual({});

    expect(await cdp.customers.get(customer.id, { fields: "lastName" })).toEqual({ id: customer.id, lastName: "Lee" });

    await cdp.customers.delete(customer.id, { reason: "test over" });
    const missing = await cdp.customers.get(customer.id).catch((error: unknown) => error);
    expect(missing).toBeInstanceOf(NotFoundError);
    expect(missing).toMatchObject({ status: 404, code: "not_found", requestId: expect.stringMatching(/^req_/) });
    await expect(cdp.customers.lookup({ type: "email", value: "ann.lee@example.com" })).rejects.toBeInstanceOf(NotFoundError);
  });

  it("refuses a second profile for an identifier, and syncs into the holder with onConflict merge", async () => {
    const { cdp } = await setup(transport);
    const { customer } = await cdp.customers.create({ email: "a@x.com", firstName: "A", tags: ["one"] });
    const conflict = await cdp.customers.create({ email: "A@X.com" }).catch((error: unknown) => error);
    expect(conflict).toBeInstanceOf(ConflictError);
    expect(conflict).toMatchObject({ status: 409, code: "identifier_conflict", issues: [{ path: "body.email" }] });

    const synced = await cdp.customers.create({
      email: "a@x.com",
      phone: "+14155550100",
      lastName: "B",
      tags: ["two"],
      onConflict: "merge",
    });
    expect(synced.outcome).toBe("updated");
    expect(synced.customer).toMatchObject({ id: customer.id, firstName: "A", lastName: "B", phone: "+14155550100", tags: ["one", "two"] });
    expect(await collect(cdp.customers.list())).toHaveLength(1);
  });

  it("checks input before sending, naming the field and the reason", async () => {
    const { cdp } = await setup(transport);
    const error = await cdp.customers
      .create({ identifiers: [{ type: "email", value: "" }], birthDate: "not a date" })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ValidationError);
    expect(error).toMatchObject({ status: undefined, code: "validation_failed" });
    const paths = (error as ValidationError).issues?.map((issue) => issue.path);
    expect(paths).toEqual(expect.arrayContaining(["body.identifiers.0.value", "body.birthDate"]));
    // nothing was sent, so nothing was written or audited
    expect((await cdp.audit.list().page()).data).toEqual([]);

    // a wrong type says what it got; a bad search condition names its own field, not "no shape matched"
    const wrongType = await cdp.customers.create({ firstName: 3 as unknown as string }).catch((caught: unknown) => caught);
    expect((wrongType as ValidationError).issues).toEqual([{ path: "body.firstName", message: "expected string, got number" }]);
    const badCondition = await cdp.customers
      .search({ conditions: [{ field: "firstName", op: "like" as "eq", value: "a" }] })
      .page()
      .catch((caught: unknown) => caught);
    expect((badCondition as ValidationError).issues).toEqual([
      { path: "body.conditions.0.op", message: expect.stringContaining('expected one of "eq"') },
    ]);
    // a null is no value (a field set to null is missing): the error says what to send instead, per operator
    for (const [condition, advice] of [
      [{ field: "lastName", op: "eq", value: null }, '{ op: "exists", value: false }'],
      [{ field: "mergedInto", op: "neq", value: null }, '{ op: "exists", value: true }'],
      [
        { field: "tags", op: "in", value: ["vip", null] },
        'leave it out, and for a missing field add { op: "exists", value: false } under match "any"',
      ],
      [{ field: "createdAt", op: "between", value: [null, "2026-01-01"] }, '{ op: "exists", value: false }'],
    ] as const) {
      const nullCondition = await cdp.customers
        .search({ conditions: [{ match: "any", conditions: [condition as SearchCondition] }] })
        .page()
        .catch((caught: unknown) => caught);
      expect((nullCondition as ValidationError).issues).toEqual([
        { path: "body.conditions.0.conditions.0.value", message: expect.stringMatching(/^null is not a value: /) },
      ]);
      expect((nullCondition as ValidationError).issues?.[0]?.message).toContain(advice);
    }
  });

  it("lets the backend refuse what only it can judge, and writes nothing", async () => {
    const { cdp } = await setup(transport);
    await cdp.properties.define({ name: "tier", type: "enum", enum: ["silver", "gold"], required: true });
    const unknown = await cdp.customers
      .create({ email: "a@x.com", properties: { tier: "gold", shoeSize: 42 } })
      .catch((error: unknown) => error);
    expect(unknown).toMatchObject({ status: 422, code: "unknown_property", issues: [{ path: "body.properties.shoeSize" }] });
    const invalid = await cdp.customers.create({ email: "a@x.com", properties: { tier: "platinum" } }).catch((error: unknown) => error);
    expect(invalid).toMatchObject({ status: 422, code: "invalid_property", issues: [{ path: "body.properties.tier" }] });
    const missing = await cdp.customers.create({ email: "a@x.com" }).catch((error: unknown) => error);
    expect(missing).toMatchObject({ status: 422, code: "required_property" });
    const blocked = await cdp.customers
      .create({ identifiers: [{ type: "userId", value: "Anonymous" }], properties: { tier: "gold" } })
      .catch((error: unknown) => error);
    expect(blocked).toMatchObject({ status: 422, code: "blocked_identifier", issues: [{ path: "body.identifiers.0.value" }] });
    const badEmail = await cdp.customers.create({ email: "not-an-email", properties: { tier: "gold" } }).catch((error: unknown) => error);
    expect(badEmail).toMatchObject({ status: 400, code: "validation_failed", issues: [{ path: "body.email" }] });
    expect(await collect(cdp.customers.list())).toEqual([]);

    const { customer } = await cdp.customers.create({ email: "a@x.com", properties: { tier: "gold" } });
    const removed = await cdp.customers.update(customer.id, { properties: { tier: null } }).catch((error: unknown) => error);
    expect(removed).toMatchObject({ code: "required_property" });
    expect((await cdp.customers.get(customer.id)).properties).toEqual({ tier: "gold" });
    const identifierField = await cdp.customers.update(customer.id, { email: "b@x.com" }).catch((error: unknown) => error);
    // refused before sending, with the code the backend would give
    expect(identifierField).toMatchObject({ code: "identifier_field", issues: [{ path: "body.email" }] });
  });

  it("gives each kind of failure its own error class", async () => {
    const { cdp, client, backend } = await setup(transport);
    const { secret } = await cdp.keys.create({ name: "reader", role: "guest" });
    const guest = client({ apiKey: secret, maxRetries: 0 });
    await expect(guest.customers.list().page()).resolves.toMatchObject({ data: [] });
    const denied = await guest.customers.create({ email: "g@x.com" }).catch((error: unknown) => error);
    expect(denied).toBeInstanceOf(PermissionError);
    expect(denied).toMatchObject({ status: 403, code: "forbidden" });
    const stranger = client({ apiKey: "sk_not_a_key", maxRetries: 0 });
    await expect(stranger.customers.list().page()).rejects.toBeInstanceOf(AuthenticationError);
    const writer = client({ apiKey: backend.writeKey, maxRetries: 0 });
    await expect(writer.customers.list().page()).rejects.toMatchObject({ status: 403, code: "write_key_forbidden" });
  });

  it("issues OAuth tokens that act as their key", async () => {
    const { cdp, client } = await setup(transport);
    const { key, secret } = await cdp.keys.create({ name: "service", role: "user" });
    const token = await client({}).auth.token({ clientId: key.id, clientSecret: secret });
    expect(token).toMatchObject({ token_type: "Bearer", expires_in: 3600 });
    const service = client({ apiKey: token.access_token, maxRetries: 0 });
    expect(await service.auth.me()).toMatchObject({ keyId: key.id, kind: "token", role: "user" });
    await service.customers.create({ email: "svc@x.com" });
    await cdp.keys.revoke(key.id);
    await expect(service.customers.list().page()).rejects.toBeInstanceOf(AuthenticationError);
  });

  it("answers a repeated Idempotency-Key with the first answer and writes once", async () => {
    const { cdp } = await setup(transport);
    const first = await cdp.customers.create({ email: "i@x.com" }, { idempotencyKey: "order-1001" });
    const second = await cdp.customers.create({ email: "i@x.com" }, { idempotencyKey: "order-1001" });
    expect(second).toEqual(first);
    await expect(cdp.customers.create({ email: "j@x.com" }, { idempotencyKey: "order-1001" })).rejects.toMatchObject({
      status: 409,
      code: "idempotency_mismatch",
    });
    expect(await collect(cdp.customers.list())).toHaveLength(1);
    expect((await cdp.audit.list({ action: "customers.create" }).page()).data).toHaveLength(1);
  });

  it("treats the same JSON with other key order and spacing as the same idempotent request", async () => {
    const { backend } = await setup(transport);
    const send = (body: string) =>
      backend.fetch("http://cdp.test/v1/customers", {
        method: "POST",
        headers: { authorization: `Bearer ${backend.adminKey}`, "content-type": "application/json", "idempotency-key": "k-1" },
        body,
      });
    const first = await send('{"email":"k@x.com","firstName":"K"}');
    const second = await send('{ "firstName": "K",\n  "email": "k@x.com" }');
    expect(second.status).toBe(first.status);
    expect(second.headers.get("idempotent-replayed")).toBe("true");
    expect(await second.json()).toEqual(await first.json());
  });

  it("adds, moves and removes identifiers through their own routes", async () => {
    const { cdp } = await setup(transport);
    const ann = (await cdp.customers.create({ email: "ann@x.com" })).customer;
    const bob = (await cdp.customers.create({ email: "bob@x.com" })).customer;

    const withCard = await cdp.customers.addIdentifier(ann.id, { type: "loyaltyCard", value: " LC-1 " });
    expect(withCard.identifiers).toEqual([
      { type: "email", value: "ann@x.com" },
      { type: "loyaltyCard", value: "LC-1" },
    ]);
    const taken = await cdp.customers.addIdentifier(bob.id, { type: "email", value: "ANN@x.com" }).catch((error: unknown) => error);
    expect(taken).toBeInstanceOf(ConflictError);
    expect(taken).toMatchObject({ code: "identifier_conflict", issues: [{ path: "body.value" }] });

    const moved = await cdp.customers.addIdentifier(bob.id, { type: "email", value: "ann@x.com", move: true });
    expect(moved.identifiers.map((identifier) => identifier.value)).toEqual(["bob@x.com", "ann@x.com"]);
    expect((await cdp.customers.get(ann.id)).email).toBeNull();
    expect((await cdp.customers.lookup({ type: "email", value: "ann@x.com" })).id).toBe(bob.id);

    await expect(cdp.customers.addIdentifier(ann.id, { type: "userId", value: "null" })).rejects.toMatchObject({
      status: 422,
      code: "blocked_identifier",
    });
    await cdp.customers.addIdentifier(ann.id, { type: "userId", value: "u-1" });
    await expect(cdp.customers.addIdentifier(ann.id, { type: "userId", value: "u-2" })).rejects.toMatchObject({
      status: 422,
      code: "identifier_limit",
    });

    const removed = await cdp.customers.removeIdentifier(bob.id, { type: "email", value: "Bob@X.com" }, { reason: "address changed" });
    expect(removed.email).toBe("ann@x.com");
    await expect(cdp.customers.lookup({ type: "email", value: "bob@x.com" })).rejects.toBeInstanceOf(NotFoundError);
    await expect(cdp.customers.removeIdentifier(bob.id, { type: "email", value: "bob@x.com" }, { reason: "again" })).rejects.toBeInstanceOf(
      NotFoundError,
    );
    const [entry] = (await cdp.audit.list({ action: "customers.removeIdentifier" }).page()).data;
    expect(entry).toMatchObject({ target: bob.id, reason: "address changed" });
  });

  it("bulk-deletes all or nothing, and audits deletes with their reason", async () => {
    const { cdp } = await setup(transport);
    const ids: string[] = [];
    for (const email of ["1@x.com", "2@x.com", "3@x.com"]) ids.push((await cdp.customers.create({ email })).customer.id);
    const partial = await cdp.customers
      .bulkDelete({ ids: [ids[0] as string, "cus_01J00000000000000000000000"], reason: "cleanup" })
      .catch((error: unknown) => error);
    expect(partial).toMatchObject({ status: 404, issues: [{ path: "body.ids.1" }] });
    expect(await collect(cdp.customers.list())).toHaveLength(3);
    expect(await cdp.customers.bulkDelete({ ids: ids.slice(0, 2), reason: "cleanup" })).toEqual({ deleted: 2, ids: ids.slice(0, 2) });
    expect((await collect(cdp.customers.list())).map((customer) => customer.id)).toEqual([ids[2]]);
    const [entry] = (await cdp.audit.list({ action: "customers.bulkDelete" }).page()).data;
    expect(entry).toMatchObject({ reason: "cleanup", target: ids.slice(0, 2).join(",") });
  });
});

describe.each(transports)("search through the SDK, $name", (transport) => {
  afterEach(() => transport.stop());

  async function seed(cdp: Cdp) {
    await cdp.properties.define({ name: "age", type: "integer" });
    await cdp.properties.define({ name: "newsletter", type: "boolean" });
    const people = [
      { firstName: "Ann", lastName: "Lee", email: "ann@example.com", properties: { age: 34 }, address: { city: "Berlin" }, tags: ["vip"] },
      { firstName: "Annabel", lastName: "Smith", email: "annabel@example.com", properties: { age: 51 }, address: { city: "Paris" } },
      {
        firstName: "Lee",
        lastName: "Annan",
        email: "lee@example.org",
        properties: { age: 28, newsletter: true },
        address: { city: "Berlin" },
      },
      { firstName: "Bob", lastName: "Stone", email: "bob@example.com", properties: { age: 40 }, tags: ["vip", "wholesale"] },
      { firstName: "Cleo", lastName: "Park", phone: "+14155550123", company: "Anvil Works" },
    ];
    for (const person of people) await cdp.customers.create(person);
  }

  it("matches terms as AND-ed prefixes and a quoted phrase as a whole value", async () => {
    const { cdp } = await setup(transport);
    await seed(cdp);
    const q = async (text: string) => names(await collect(cdp.customers.list({ q: text })));
    expect(await q("ann")).toEqual(["Ann Lee", "Annabel Smith", "Lee Annan"]);
    expect(await q("ANN lee")).toEqual(["Ann Lee", "Lee Annan"]);
    expect(await q('"ann@example.com"')).toEqual(["Ann Lee"]);
    // unquoted, it is three terms (ann, example, com): prefixes, so Annabel matches too
    expect(await q("ann@example.com")).toEqual(["Ann Lee", "Annabel Smith"]);
    expect(await q('"ann"')).toEqual(["Ann Lee"]);
    expect(await q("anvil")).toEqual(["Cleo Park"]);
    expect(await q("+1 (415) 5550")).toEqual(["Cleo Park"]);
    expect(await q("1415 cleo")).toEqual(["Cleo Park"]);
    expect(await q("zzz")).toEqual([]);
  });

  it("combines conditions with all and any, in nested groups", async () => {
    const { cdp } = await setup(transport);
    await seed(cdp);
    const search = async (body: Parameters<Cdp["customers"]["search"]>[0]) => names(await collect(cdp.customers.search(body)));
    expect(
      await search({
        conditions: [
          { field: "address.city", op: "eq", value: "Berlin" },
          { field: "properties.age", op: "gte", value: 30 },
        ],
      }),
    ).toEqual(["Ann Lee"]);
    expect(
      await search({
        match: "any",
        conditions: [
          { field: "address.city", op: "eq", value: "Paris" },
          { field: "tags", op: "eq", value: "wholesale" },
        ],
      }),
    ).toEqual(["Annabel Smith", "Bob Stone"]);
    expect(
      await search({
        match: "all",
        conditions: [
          { field: "email", op: "exists" },
          {
            match: "any",
            conditions: [
              { field: "properties.age", op: "between", value: [30, 45] },
              {
                match: "all",
                conditions: [
                  { field: "address.city", op: "eq", value: "Berlin" },
                  { field: "properties.newsletter", op: "eq", value: true },
                ],
              },
            ],
          },
        ],
      }),
    ).toEqual(["Ann Lee", "Bob Stone", "Lee Annan"]);
    expect(await search({ conditions: [{ field: "identifiers.email", op: "eq", value: " ANN@example.com" }] })).toEqual(["Ann Lee"]);
    expect(await search({ conditions: [{ field: "lastName", op: "startsWith", value: "s" }] })).toEqual(["Annabel Smith", "Bob Stone"]);
    expect(
      await search({
        conditions: [
          { field: "tags", op: "in", value: ["vip"] },
          { field: "firstName", op: "neq", value: "Bob" },
        ],
      }),
    ).toEqual(["Ann Lee"]);
    expect(await search({ q: "ann", conditions: [{ field: "properties.age", op: "lt", value: 30 }] })).toEqual(["Lee Annan"]);
    await expect(search({ conditions: [{ field: "properties.shoeSize", op: "eq", value: 42 }] })).rejects.toMatchObject({
      status: 422,
      code: "unknown_property",
      issues: [{ path: "body.conditions.0.field" }],
    });
    await expect(search({ conditions: [{ field: "age", op: "between", value: [1] }] })).rejects.toBeInstanceOf(ValidationError);
  });

  it("projects fields and sorts", async () => {
    const { cdp } = await setup(transport);
    await seed(cdp);
    const page = await cdp.customers.list({ fields: "firstName,email", sort: "firstName", limit: 3 }).page();
    expect(page.data).toEqual([
      { id: expect.any(String), firstName: "Ann", email: "ann@example.com" },
      { id: expect.any(String), firstName: "Annabel", email: "annabel@example.com" },
      { id: expect.any(String), firstName: "Bob", email: "bob@example.com" },
    ]);
    expect(page.nextCursor).toEqual(expect.any(String));
    const ages = (await collect(cdp.customers.search({ sort: "-properties.age", fields: "properties" }))).map(
      (customer) => customer.properties?.age,
    );
    expect(ages).toEqual([51, 40, 34, 28, undefined]);
    await expect(cdp.customers.list({ fields: "firstName,password" }).page()).rejects.toMatchObject({
      status: 400,
      issues: [{ path: "query.fields" }],
    });
    await expect(cdp.customers.list({ sort: "shoe" }).page()).rejects.toMatchObject({ status: 400, issues: [{ path: "query.sort" }] });
  });

  it("pages neither skip nor repeat while customers are inserted between pages", async () => {
    const { cdp, clock } = await setup(transport);
    const original = new Set<string>();
    for (let i = 0; i < 25; i++) {
      clock.advance(1_000);
      original.add((await cdp.customers.create({ email: `p${i}@x.com`, lastName: `Name${String(i).padStart(2, "0")}` })).customer.id);
    }
    for (const sort of ["-createdAt", "createdAt", "lastName", "-lastName"]) {
      const seen: string[] = [];
      let cursor: string | undefined;
      let inserted = 0;
      do {
        const page: { data: CustomerProjection[]; nextCursor: string | null } = await cdp.customers
          .list({ limit: 7, sort, ...(cursor ? { cursor } : {}) })
          .page();
        seen.push(...page.data.map((customer) => customer.id));
        cursor = page.nextCursor ?? undefined;
        // insert before and after the cursor's position, in both orders
        clock.advance(1_000);
        await cdp.customers.create({ email: `${sort}-${inserted++}@y.com`, lastName: "Aaa" });
        await cdp.customers.create({ email: `${sort}-${inserted++}@y.com`, lastName: "Zzz" });
      } while (cursor);
      expect(new Set(seen).size).toBe(seen.length);
      for (const id of original) expect(seen).toContain(id);
    }
  });

  it("sorts a field that mixes numbers, booleans and text in one order, page by page", async () => {
    const { cdp, clock } = await setup(transport);
    // traits are free-form: one field may hold a number on one profile and text on another
    const codes: unknown[] = [9, 10, "10a", "9", true, false, "abc", -1.5, "10", "Z"];
    const ids = new Map<string, unknown>();
    for (const [i, code] of codes.entries()) {
      clock.advance(1_000);
      await cdp.identify({ userId: `mixed-${i}`, traits: { code } });
      const { customerId } = await cdp.identity.resolve({ identifiers: [{ type: "userId", value: `mixed-${i}` }] });
      ids.set(customerId as string, code);
    }
    const expected = [-1.5, 9, 10, false, true, "10", "10a", "9", "Z", "abc"];
    for (const [sort, order] of [
      ["traits.code", expected],
      ["-traits.code", [...expected].reverse()],
    ] as const) {
      const seen: unknown[] = [];
      let cursor: string | undefined;
      do {
        const page: { data: CustomerProjection[]; nextCursor: string | null } = await cdp.customers
          .list({ limit: 3, sort, ...(cursor ? { cursor } : {}) })
          .page();
        seen.push(...page.data.map((customer) => ids.get(customer.id)));
        cursor = page.nextCursor ?? undefined;
      } while (cursor);
      expect(seen).toEqual(order);
    }
  });

  it("keeps a cursor to its own list", async () => {
    const { cdp } = await setup(transport);
    await seed(cdp);
    const { nextCursor } = await cdp.customers.list({ limit: 2 }).page();
    await expect(cdp.customers.list({ cursor: nextCursor as string, sort: "firstName" }).page()).rejects.toMatchObject({
      status: 400,
      code: "invalid_cursor",
      issues: [{ path: "query.cursor" }],
    });
    await expect(cdp.customers.list({ cursor: "garbage" }).page()).rejects.toMatchObject({ status: 400, code: "invalid_cursor" });
  });
});
