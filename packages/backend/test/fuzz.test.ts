/**
 * Property tests: random and hostile input on every customer route of the contract's table (walked,
 * not listed). Whatever comes in, the answer is 2xx or 4xx, JSON, in the error envelope when it is an
 * error, and the store keeps its invariants: identifiers unique per workspace, one audit entry per
 * successful write, and nothing changed by a refused one.
 */
import { type Backend, createBackend, manualClock } from "@cdp/backend";
import {
  apiBasePath,
  ErrorBody,
  errorCodes,
  jsonSchema,
  type RouteDefinition,
  responseSchemas,
  routes,
  searchOperators,
} from "@cdp/contract";
import fc from "fast-check";
import { describe, expect, it } from "vitest";

const origin = "http://cdp.test";
const table = Object.values(routes) as RouteDefinition[];
const customerRoutes = table.filter((route) => route.name.startsWith("customers."));
/** Runs per property: 200, or more for a deeper local search (`FUZZ_RUNS=5000`). */
const runs = Math.max(200, Number(process.env.FUZZ_RUNS ?? 200) || 200);

// ---------------------------------------------------------------------------------------------
// The scenarios
// ---------------------------------------------------------------------------------------------

describe("hostile input on every customer route", () => {
  it("walks at least one customer route of each method the table has", () => {
    expect(customerRoutes.length).toBeGreaterThan(0);
    expect(new Set(customerRoutes.map((route) => route.method))).toEqual(new Set(["GET", "POST", "PATCH", "DELETE"]));
  });

  for (const route of customerRoutes) {
    it(`${route.name} (${route.method} ${apiBasePath}${route.path}): never 5xx, always the envelope, the store intact`, async () => {
      await fc.assert(
        fc.asyncProperty(requestArbitrary(route), async (request) => {
          const world = await createWorld();
          const before = await readAll(world.backend);

          const answer = await world.send(route, request);

          checkAnswer(route, answer, world.errors);
          if (route.audited && isSuccess(answer.status)) world.auditedWrites++;
          const after = await readAll(world.backend);
          checkInvariants(world, after);
          if (!route.audited || !isSuccess(answer.status)) expect(after).toEqual(before);
        }),
        { numRuns: runs },
      );
    });
  }

  for (const route of customerRoutes) {
    it(`${route.name}: a string over 1 MiB is refused with a 4xx and changes nothing`, async () => {
      const world = await createWorld();
      const before = await readAll(world.backend);
      // 600,000 two-byte characters: under a million characters, over a mebibyte of UTF-8.
      const huge = "é".repeat(600_000);

      const answer = await world.send(route, hugeRequest(route, huge));

      checkAnswer(route, answer, world.errors);
      expect(answer.status, answer.text.slice(0, 500)).toBeGreaterThanOrEqual(400);
      if (route.body) expect(answer.json).toMatchObject({ error: { code: "payload_too_large" } });
      expect(await readAll(world.backend)).toEqual(before);
    });
  }

  it("stores a trait of 1,000,000 characters (a body under 1 MiB) and finds and lists the customer", async () => {
    const world = await createWorld();
    const created = await world.send(routes["customers.create"], {
      body: JSON.stringify({ email: "long@example.com", traits: { note: "a".repeat(1_000_000) } }),
    });
    checkAnswer(routes["customers.create"], created, world.errors);
    expect(created.status).toBe(201);
    world.auditedWrites++;
    const found = await world.send(routes["customers.list"], { query: "q=long%40example.com" });
    expect(found.status).toBe(200);
    expect((found.json as { data: unknown[] }).data).toHaveLength(1);
    checkInvariants(world, await readAll(world.backend));
  });
});

describe("hostile input the fuzzer found, pinned as scenarios", () => {
  it("refuses a forged cursor whose position is an object: 400 invalid_cursor, not 500", async () => {
    const world = await createWorld();
    const cursor = base64url(JSON.stringify(["customers:-createdAt", { toString: 1 }, "cus_00000000000000000000000000"]));
    const byTier = base64url(JSON.stringify(["customers:-properties.tier", { toString: 1 }, "cus_00000000000000000000000000"]));

    const listed = await world.send(routes["customers.list"], { query: `cursor=${cursor}` });
    const searched = await world.send(routes["customers.search"], { body: JSON.stringify({ sort: "-properties.tier", cursor: byTier }) });

    checkAnswer(routes["customers.list"], listed, world.errors);
    checkAnswer(routes["customers.search"], searched, world.errors);
    expect(listed.json).toMatchObject({ error: { code: "invalid_cursor" } });
    expect(searched.json).toMatchObject({ error: { code: "invalid_cursor" } });
  });

  it("sorts by a trait whose stored values are objects with toString and valueOf keys (as a tracker may send them)", async () => {
    const world = await createWorld();

    const listed = await world.send(routes["customers.list"], { query: "sort=traits.profile" });
    const searched = await world.send(routes["customers.search"], { body: JSON.stringify({ sort: "-traits.profile" }) });

    checkAnswer(routes["customers.list"], listed, world.errors);
    checkAnswer(routes["customers.search"], searched, world.errors);
    expect((listed.json as { data: unknown[] }).data).toHaveLength(2);
    expect((searched.json as { data: unknown[] }).data).toHaveLength(2);
  });

  it("keeps prototype member names as identifier types under the custom types' limit of 5", async () => {
    const world = await createWorld();
    for (const type of ["constructor", "toString", "hasOwnProperty"]) {
      const identifiers = Array.from({ length: 6 }, (_, index) => ({ type, value: `${type}-${index}` }));

      const answer = await world.send(routes["customers.create"], { body: JSON.stringify({ identifiers }) });

      checkAnswer(routes["customers.create"], answer, world.errors);
      expect(answer.status, `${type}: ${answer.text.slice(0, 300)}`).toBe(422);
      expect(answer.json).toMatchObject({ error: { code: "identifier_limit" } });
    }
  });

  it("refuses a property named __proto__, which no workspace can define, naming it, and stores nothing", async () => {
    const world = await createWorld();
    const before = await readAll(world.backend);

    const created = await world.send(routes["customers.create"], {
      body: '{"email":"eve@example.com","properties":{"__proto__":{"tier":"gold"}}}',
    });
    const patched = await world.send(routes["customers.update"], {
      params: { id: { value: annId, raw: false } },
      body: '{"properties":{"__proto__":{"score":1}}}',
    });

    for (const [route, answer] of [
      [routes["customers.create"], created],
      [routes["customers.update"], patched],
    ] as const) {
      checkAnswer(route, answer, world.errors);
      expect(answer.status, answer.text).toBeGreaterThanOrEqual(400);
      expect(answer.json).toMatchObject({ error: { issues: [{ path: "body.properties.__proto__" }] } });
    }
    expect(await readAll(world.backend)).toEqual(before);
  });

  it("never drops a trait named __proto__ in silence: keeps it as the customer's own trait, or refuses the body", async () => {
    const world = await createWorld();

    const created = await world.send(routes["customers.create"], {
      body: '{"email":"eve@example.com","traits":{"__proto__":{"plan":"gold"},"constructor":"x"}}',
    });

    checkAnswer(routes["customers.create"], created, world.errors);
    if (isSuccess(created.status)) {
      const { traits } = (created.json as { customer: { traits: Record<string, unknown> } }).customer;
      expect(Object.keys(traits).sort()).toEqual(["__proto__", "constructor"]);
      expect(Object.getOwnPropertyDescriptor(traits, "__proto__")?.value).toEqual({ plan: "gold" });
    } else {
      expect(created.json).toMatchObject({ error: { issues: [{ path: "body.traits.__proto__" }] } });
    }
  });
});

describe("Idempotency-Key on POST /v1/customers", () => {
  const create = routes["customers.create"];

  it("replays the first answer for the same key and body, and refuses the key with another body", async () => {
    await fc.assert(
      fc.asyncProperty(validCustomer, fc.uuid(), async (customer, key) => {
        const backend = createBackend({ clock: manualClock("2026-03-01T10:00:00Z") });
        const body = JSON.stringify(customer);
        const post = (text: string) => send(backend, create.method, "/customers", text, "application/json", { "idempotency-key": key });

        const first = await post(body);
        const second = await post(body);

        expect(first.status, first.text).toBe(201);
        expect(first.headers.get("idempotent-replayed")).toBeNull();
        expect(second.status).toBe(first.status);
        expect(second.text).toBe(first.text);
        expect(second.headers.get("idempotent-replayed")).toBe("true");
        const once = await readAll(backend);
        expect(once.customers).toHaveLength(1);
        expect(once.audit).toHaveLength(1);

        const other = await post(JSON.stringify({ ...customer, firstName: `${customer.firstName ?? ""}!` }));

        expect(other.status, other.text).toBe(409);
        expect(other.json).toMatchObject({ error: { type: "conflict", code: "idempotency_mismatch" } });
        expect(await readAll(backend)).toEqual(once);
      }),
      { numRuns: runs },
    );
  });
});

// ---------------------------------------------------------------------------------------------
// A world per run: two defined properties and two customers, Ann's traits as a tracker might send
// them. Placeholders in generated requests name its records; the ids are only known once it exists.
// ---------------------------------------------------------------------------------------------

const annId = "@ANN_ID@";
const bobId = "@BOB_ID@";

interface World {
  backend: Backend;
  /** What the backend reported as unexpected errors (a 500's cause). */
  errors: string[];
  annId: string;
  bobId: string;
  /** Successful audited writes made so far, the arrangement's included. */
  auditedWrites: number;
  send(route: RouteDefinition, request: FuzzRequest): Promise<Answer>;
}

async function createWorld(): Promise<World> {
  const clock = manualClock("2026-03-01T10:00:00Z");
  const errors: string[] = [];
  const backend = createBackend({ clock, seed: 7, logError: (error) => errors.push(String((error as Error)?.stack ?? error)) });
  const admin = async (path: string, body: unknown) => {
    const answer = await send(backend, "POST", path, JSON.stringify(body), "application/json");
    expect(answer.status, answer.text).toBe(201);
    clock.advance(1_000);
    return answer.json as { customer: { id: string } };
  };
  await admin("/properties", { name: "tier", type: "enum", enum: ["gold", "silver"] });
  await admin("/properties", { name: "score", type: "number" });
  const ann = await admin("/customers", {
    email: "ann@example.com",
    phone: "+14155550100",
    identifiers: [{ type: "userId", value: "shop-1" }],
    firstName: "Ann",
    lastName: "Lee",
    tags: ["vip"],
    properties: { tier: "gold", score: 10 },
    traits: { plan: "gold", constructor: "x", profile: { toString: "x", valueOf: 1 } },
  });
  const bob = await admin("/customers", {
    email: "bob@example.com",
    firstName: "Bob",
    properties: { score: 2.5 },
    traits: { plan: "free", profile: { age: 30 } },
  });
  const world: World = {
    backend,
    errors,
    annId: ann.customer.id,
    bobId: bob.customer.id,
    auditedWrites: 4,
    send: (route, request) => {
      const resolve = (text: string) => text.replaceAll(annId, world.annId).replaceAll(bobId, world.bobId);
      const path = route.path.replace(/\{(\w+)\}/g, (_, name: string) => {
        const param = request.params?.[name] ?? { value: "", raw: true };
        return param.raw ? resolve(param.value) : encodePathSegment(resolve(param.value));
      });
      const query = request.query === undefined ? "" : `?${resolve(request.query)}`;
      const body = request.body === undefined ? undefined : resolve(request.body);
      return send(backend, route.method, `${path}${query}`, body, request.contentType ?? "application/json");
    },
  };
  return world;
}

interface State {
  customers: Array<{ id: string; identifiers: Array<{ type: string; value: string }> }>;
  audit: Array<{ id: string; action: string }>;
}

/** Every customer and every audit entry of the workspace, page after page, as the admin reads them. */
async function readAll(backend: Backend): Promise<State> {
  const all = async <T>(path: string): Promise<T[]> => {
    const out: T[] = [];
    let cursor: string | null = null;
    do {
      const page = await send(backend, "GET", `${path}?limit=1000${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`);
      expect(page.status, page.text.slice(0, 500)).toBe(200);
      const { data, nextCursor } = page.json as { data: T[]; nextCursor: string | null };
      out.push(...data);
      cursor = nextCursor;
    } while (cursor);
    return out;
  };
  return { customers: await all("/customers"), audit: await all("/audit") };
}

/** (a) no identifier on two customers; (b) exactly one audit entry per successful audited write; no prototype pollution. */
function checkInvariants(world: World, state: State): void {
  const holders = new Map<string, string>();
  for (const customer of state.customers) {
    for (const identifier of customer.identifiers) {
      const key = `${identifier.type}\u0000${identifier.value}`;
      const holder = holders.get(key);
      expect(
        holder === undefined || holder === customer.id,
        `${identifier.type} ${identifier.value} is on ${holder} and ${customer.id}`,
      ).toBe(true);
      holders.set(key, customer.id);
    }
  }
  expect(state.audit).toHaveLength(world.auditedWrites);
  expect(Object.keys(Object.prototype)).toEqual([]);
  expect(({} as Record<string, unknown>).polluted).toBeUndefined();
}

// ---------------------------------------------------------------------------------------------
// What every answer must look like
// ---------------------------------------------------------------------------------------------

interface Answer {
  status: number;
  headers: Headers;
  text: string;
  json: unknown;
  parseError?: string;
}

const issuePlace = /^(body|query|params|headers)(\.|$)/;

function checkAnswer(route: RouteDefinition, answer: Answer, errors: readonly string[] = []): void {
  const shown = `${answer.status} ${answer.text.slice(0, 1000)}${errors.length ? `\nlogged: ${errors.join("\n")}` : ""}`;
  expect(answer.status, shown).toBeGreaterThanOrEqual(200);
  expect(answer.status, shown).toBeLessThan(500);
  expect(answer.headers.get("content-type"), shown).toMatch(/^application\/json/);
  expect(answer.parseError, shown).toBeUndefined();
  if (isSuccess(answer.status)) {
    expect(responseSchemas[route.response].safeParse(answer.json).success, shown).toBe(true);
    return;
  }
  expect(answer.status, shown).toBeGreaterThanOrEqual(400);
  expect(ErrorBody.safeParse(answer.json).success, shown).toBe(true);
  const { error } = (answer.json as ErrorBody) ?? {};
  const definition = errorCodes[error.code as keyof typeof errorCodes];
  expect(definition, `unknown error code: ${shown}`).toBeDefined();
  expect({ status: answer.status, type: error.type }, shown).toEqual({ status: definition.status, type: definition.type });
  expect(error.requestId, shown).toBe(answer.headers.get("cdp-request-id"));
  for (const issue of error.issues ?? []) expect(issue.path, shown).toMatch(issuePlace);
}

function isSuccess(status: number): boolean {
  return status >= 200 && status < 300;
}

// ---------------------------------------------------------------------------------------------
// Requests, random and hostile. Field names come from each route's own schemas.
// ---------------------------------------------------------------------------------------------

interface FuzzRequest {
  /** Path parameters: `raw` ones go into the path as they are (broken escapes included). */
  params?: Record<string, { value: string; raw: boolean }>;
  /** The query string, without `?`. */
  query?: string;
  /** The body's exact text. */
  body?: string;
  contentType?: string;
}

function fieldsOf(schema: RouteDefinition["body"]): string[] {
  if (!schema) return [];
  return Object.keys((jsonSchema(schema, "input") as { properties?: Record<string, unknown> }).properties ?? {});
}

/** Builds an object whose keys are all own properties, `__proto__` included, as JSON.parse makes them. */
function ownObject(entries: ReadonlyArray<readonly [string, unknown]>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of entries) Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
  return out;
}

const loneSurrogates = ["\uD800", "a\uDC00b", "\uDBFF", "x\uD83D", "\uDE00\uD83D"];
const crockford = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
const randomCustomerId = fc.array(fc.constantFrom(...crockford), { minLength: 26, maxLength: 26 }).map((chars) => `cus_${chars.join("")}`);

const hostileKey = fc.oneof(
  fc.constantFrom("__proto__", "constructor", "prototype", "toString", "valueOf", "hasOwnProperty", "", " ", "a.b", "$where", "0"),
  fc.constantFrom(...loneSurrogates),
  fc.string({ maxLength: 8 }),
);

const hostileString = fc.oneof(
  fc.string({ maxLength: 20 }),
  fc.string({ unit: "binary", maxLength: 10 }),
  fc.constantFrom(...loneSurrogates),
  fc.string({ unit: fc.integer({ min: 0xd800, max: 0xdfff }).map((code) => String.fromCharCode(code)), maxLength: 4 }),
  fc.constantFrom(
    "",
    " ",
    "null",
    "undefined",
    "none",
    "0",
    "-1",
    "00-00",
    "__proto__",
    "constructor",
    "toString",
    "[object Object]",
    "\u0000",
    "%",
    "%00",
    "😀",
    "ann@example.com",
    " ANN@Example.COM ",
    "+14155550100",
    "shop-1",
    annId,
    bobId,
    "a".repeat(129),
    "a".repeat(1001),
    "1990-02-30",
    "2026-03-01T10:00:00Z",
  ),
);

const hostileObject = fc.oneof(
  fc.constantFrom(
    '{"__proto__":{"polluted":true}}',
    '{"constructor":{"prototype":{"polluted":true}}}',
    '{"toString":"x","valueOf":{"a":1}}',
    '{"toString":{"toString":1},"hasOwnProperty":1}',
    '{"\\ud800":"\\udc00"}',
  ),
  fc
    .array(fc.tuple(hostileKey, fc.oneof(hostileString, fc.integer(), fc.constant(null))), { maxLength: 4 })
    .map((entries) => JSON.stringify(ownObject(entries))),
);

const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  hostileString,
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  hostileObject.map((text) => JSON.parse(text)),
  fc.array(hostileString, { maxLength: 3 }),
  fc.anything({ maxDepth: 2 }),
);

const identifierType = fc.oneof(
  fc.constantFrom("email", "phone", "userId", "anonymousId", "loyaltyCard", "custom_id", "constructor", "__proto__", "toString", "Email!"),
  hostileString,
);
const identifierValue = fc.oneof(
  fc.constantFrom("ann@example.com", "bob@example.com", "new@example.com", "+14155550100", "+4915112345678", "shop-1", "shop-9"),
  hostileString,
);

const sortSpec = fc.constantFrom(
  "-createdAt",
  "createdAt",
  "firstName",
  "-firstName",
  "updatedAt",
  "id",
  "tags",
  "email",
  "address.city",
  "properties.score",
  "-properties.tier",
  "properties.nope",
  "traits.plan",
  "traits.profile",
  "-traits.profile",
  "traits.__proto__",
  "identifiers.email",
  "__proto__",
  "constructor",
  "toString",
  "???",
  "-",
  "",
);
const fieldsSpec = fc.constantFrom(
  "id",
  "email,firstName",
  "traits,properties",
  "__proto__",
  "constructor",
  "toString",
  "id,,x",
  "...",
  "x",
);

/** A cursor forged for the list it names: the right kind, any value, any id. */
const forgedCursor = fc
  .record({
    sort: fc.option(sortSpec, { nil: undefined }),
    value: fc.oneof(
      hostileValue,
      hostileObject.map((text) => JSON.parse(text)),
    ),
    id: fc.oneof(fc.constantFrom(annId, bobId), randomCustomerId, hostileString),
  })
  .map(({ sort, value, id }) => ({ sort, cursor: base64url(JSON.stringify([`customers:${sort ?? "-createdAt"}`, value, id])) }));

const cursor = fc.oneof(
  fc.constantFrom("garbage", "", "%", "e30", "W10", "bnVsbA"),
  hostileString,
  forgedCursor.map((forged) => forged.cursor),
);

const condition: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  condition: fc.oneof(
    { weight: 3, arbitrary: tie("leaf") },
    { weight: 1, arbitrary: tie("group") },
    { weight: 1, arbitrary: hostileValue },
  ),
  leaf: fc.record(
    {
      field: fc.oneof(sortSpec, fc.constantFrom("identifiers.userId", "traits.constructor", "properties.__proto__", "tags"), hostileString),
      op: fc.constantFrom("eq", "neq", "contains", "startsWith", "gt", "gte", "lt", "lte", "in", "exists", "between", "like"),
      value: fc.oneof(hostileValue, fc.array(fc.oneof(hostileString, fc.integer()), { maxLength: 3 })),
    },
    { requiredKeys: ["field", "op"] },
  ),
  group: fc.record(
    { match: fc.constantFrom("all", "any", "none"), conditions: fc.array(tie("condition"), { maxLength: 3 }) },
    { requiredKeys: ["conditions"] },
  ),
})).condition;

const name = fc.oneof(
  fc.constantFrom("Ann", "Zoë", "Lee", "", "O'Brien"),
  fc.string({ maxLength: 20 }),
  fc.constantFrom(...loneSurrogates),
);
const validSort = fc.constantFrom(
  "-createdAt",
  "createdAt",
  "firstName",
  "-firstName",
  "updatedAt",
  "id",
  "tags",
  "email",
  "address.city",
  "properties.score",
  "-properties.tier",
  "traits.plan",
  "traits.profile",
  "-traits.profile",
  "traits.constructor",
  "identifiers.email",
);
const searchField = fc.constantFrom(
  "firstName",
  "email",
  "phone",
  "tags",
  "createdAt",
  "id",
  "address.city",
  "traits.plan",
  "traits.profile",
  "traits.constructor",
  "traits.__proto__",
  "properties.score",
  "properties.tier",
  "identifiers.userId",
  "identifiers.email",
);
const scalar = fc.oneof(
  fc.constantFrom("Ann", "ann@example.com", "gold", "10", "2026-03-01T10:00:00.000Z", ""),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
);
/** A condition the schema accepts: the value's shape fits the operator. */
const validCondition = fc.record({ field: searchField, op: fc.constantFrom(...searchOperators) }).chain(({ field, op }) => {
  const value =
    op === "exists"
      ? fc.option(fc.boolean(), { nil: undefined })
      : op === "in"
        ? fc.array(scalar, { maxLength: 3 })
        : op === "between"
          ? fc.tuple(scalar, scalar)
          : op === "contains" || op === "startsWith"
            ? fc.oneof(name, fc.constantFrom("ann", "GOLD"))
            : scalar;
  return value.map((value) => (value === undefined ? { field, op } : { field, op, value }));
});
const validConditions: fc.Arbitrary<unknown[]> = fc.letrec<{ group: unknown; conditions: unknown[] }>((tie) => ({
  group: fc.record({ match: fc.constantFrom("all", "any"), conditions: tie("conditions") }, { requiredKeys: ["conditions"] }),
  conditions: fc.array(fc.oneof({ weight: 4, arbitrary: validCondition }, { weight: 1, arbitrary: tie("group") }), {
    maxLength: 3,
    depthIdentifier: "conditions",
  }),
})).conditions;

/** Values of the right shape for a field of that name (the schema accepts most): the fuzzer reaches the domain with them. */
const valid: Record<string, fc.Arbitrary<unknown>> = {
  firstName: name,
  lastName: name,
  gender: name,
  company: name,
  jobTitle: name,
  birthDate: fc.constantFrom("1990-01-31", "2000-02-29", "1970-01-01"),
  locale: fc.constantFrom("en-GB", "de", "pt-BR"),
  timeZone: fc.constantFrom("Europe/Berlin", "UTC", "America/Argentina/Buenos_Aires"),
  address: fc.record({ street: fc.option(name), city: fc.option(name), country: fc.constantFrom("DE", "FR", null) }, { requiredKeys: [] }),
  email: fc.constantFrom("ann@example.com", " ANN@Example.com ", "bob@example.com", "new@example.com", "a.b@gmail.com"),
  phone: fc.constantFrom("+14155550100", "+4915112345678", "+44 20 7946 0958"),
  identifiers: fc.array(
    fc.record({
      type: fc.constantFrom("email", "userId", "anonymousId", "custom_id", "constructor", "toString"),
      value: fc.constantFrom("ann@example.com", "bob@example.com", "new@example.com", "shop-1", "shop-9", "x"),
    }),
    { maxLength: 6 },
  ),
  properties: fc
    .array(
      fc.oneof(
        fc.tuple(fc.constant("tier"), fc.constantFrom("gold", "silver", null)),
        fc.tuple(fc.constant("score"), fc.oneof(fc.double({ noNaN: true, noDefaultInfinity: true }), fc.constant(null))),
      ),
      { maxLength: 2 },
    )
    .map(ownObject),
  traits: fc.array(fc.tuple(hostileKey, hostileValue), { maxLength: 4 }).map(ownObject),
  tags: fc.array(fc.oneof(fc.constantFrom("vip", "newsletter"), fc.string({ minLength: 1, maxLength: 10 })), { maxLength: 4 }),
  onConflict: fc.constantFrom("merge", "error"),
  ids: fc.array(fc.oneof(fc.constantFrom(annId, bobId), randomCustomerId), { minLength: 1, maxLength: 4 }),
  reason: fc.oneof(fc.constantFrom("duplicate", "asked to be forgotten"), fc.string({ minLength: 1, maxLength: 20 })),
  match: fc.constantFrom("all", "any"),
  conditions: validConditions,
  q: fc.oneof(fc.constantFrom("ann", '"ann@example.com"', "lee ann", "cus_", "gold", '"'), fc.string({ maxLength: 20 })),
  limit: fc.constantFrom(1, 2, 50, 1000),
  cursor: forgedCursor.map((forged) => forged.cursor),
  sort: validSort,
  fields: fc.constantFrom("id", "email,firstName", "traits,properties", "identifiers,tags,createdAt"),
  type: fc.constantFrom("email", "userId", "phone", "anonymousId", "loyaltyCard", "constructor"),
  value: fc.constantFrom(
    "ann@example.com",
    " ANN@example.COM ",
    "bob@example.com",
    "shop-1",
    "+14155550100",
    "+1 415 555 0100",
    "nobody@example.com",
    "x",
  ),
  id: fc.oneof(fc.constantFrom(annId, bobId), randomCustomerId),
  move: fc.boolean(),
};

/** Values of a plausible field that the schema or the domain refuses. */
const edge: Record<string, fc.Arbitrary<unknown>> = {
  birthDate: fc.constantFrom("1990-02-30", "31/01/1990", "", "1990-1-1"),
  locale: fc.constantFrom("x", "de_DE_1996_extra_long_subtag", ""),
  timeZone: fc.constantFrom("Mars/Olympus", "../etc", "Europe//Berlin"),
  address: fc.record({ country: fc.constantFrom("de", "DEU", 1), planet: name }, { requiredKeys: [] }),
  email: fc.constantFrom("not-an-email", "none", "a@b", "null@", "0"),
  phone: fc.constantFrom("12345", "0", "+1", "-1", "phone"),
  identifiers: fc.array(fc.record({ type: identifierType, value: identifierValue }, { requiredKeys: [] }), { maxLength: 8 }),
  properties: fc
    .array(fc.tuple(fc.oneof(fc.constantFrom("tier", "score", "nope"), hostileKey), hostileValue), { maxLength: 3 })
    .map(ownObject),
  tags: fc.array(hostileString, { maxLength: 4 }),
  onConflict: fc.constantFrom("MERGE", "skip", ""),
  ids: fc.array(fc.oneof(fc.constantFrom(annId, bobId), randomCustomerId, hostileString), { maxLength: 101 }),
  reason: fc.constantFrom("", " ", "x".repeat(1001)),
  match: fc.constantFrom("none", "ALL", ""),
  conditions: fc.array(condition, { maxLength: 4 }),
  limit: fc.constantFrom(1001, 0, -1, 2.5, "10", Number.POSITIVE_INFINITY, Number.MAX_SAFE_INTEGER + 2, "1e3"),
  cursor,
  sort: sortSpec,
  fields: fieldsSpec,
  type: identifierType,
  value: identifierValue,
  id: hostileString,
};

function valueFor(field: string): fc.Arbitrary<unknown> {
  const options: Array<fc.WeightedArbitrary<unknown>> = [{ weight: 1, arbitrary: hostileValue }];
  if (valid[field]) options.push({ weight: 6, arbitrary: valid[field] });
  if (edge[field]) options.push({ weight: 1, arbitrary: edge[field] });
  return fc.oneof(...options);
}

/** JSON nested deeper than the backend's limit of 32, or just within it, under one of the route's fields. */
function deepJson(fields: string[]): fc.Arbitrary<string> {
  return fc
    .record({ depth: fc.integer({ min: 20, max: 80 }), field: fc.constantFrom("traits", ...fields), arrays: fc.boolean() })
    .map(({ depth, field, arrays }) => {
      const inner = arrays ? `${"[".repeat(depth)}${"]".repeat(depth)}` : `${'{"a":'.repeat(depth)}1${"}".repeat(depth)}`;
      return `{${JSON.stringify(field)}:${inner}}`;
    });
}

/** JSON text no object literal can write: `__proto__` and `constructor` keys, lone surrogates raw and escaped. */
function hostileJson(fields: string[]): fc.Arbitrary<string> {
  return fc.oneof(
    fc.constantFrom(
      '{"__proto__":{"polluted":true},"firstName":"Ann"}',
      '{"constructor":{"prototype":{"polluted":true}},"reason":"x"}',
      '{"properties":{"__proto__":{"polluted":true}},"traits":{"constructor":{"prototype":{"polluted":true}}}}',
      '{"traits":{"__proto__":{"toString":"x"},"profile":{"valueOf":{}}}}',
      '{"firstName":"\\ud800","traits":{"\\udc00":"\\ud800x"},"reason":"\\udfff"}',
      `{"firstName":"${"\uD800"}","reason":"${"\uDC00"}"}`,
      '{"ids":["__proto__","constructor"],"reason":"\\ud800"}',
      '{"conditions":[{"field":"traits.__proto__","op":"eq","value":"x"},{"field":"constructor","op":"exists"}]}',
      '{"q":"\\ud800","sort":"__proto__","fields":"constructor"}',
      '{"firstName":"Ann","firstName":"Bob"}',
      '{"email":"ann@example.com","onConflict":"merge","traits":{"__proto__":{"polluted":true}}}',
    ),
    fc
      .record({ field: fc.constantFrom(...fields, "__proto__", "constructor"), value: hostileObject })
      .map(({ field, value }) => `{${JSON.stringify(field)}:${value}}`),
  );
}

/** A few of the fields, each with a value of the right shape: such bodies get past the schema into the domain. */
function validRecord(fields: string[]): fc.Arbitrary<Record<string, unknown>> {
  return fc
    .subarray(fields, { maxLength: Math.min(4, fields.length) })
    .chain((chosen) => fc.record(Object.fromEntries(chosen.map((field) => [field, valid[field] ?? hostileValue]))));
}

/** Any of the fields, each of the right shape or not. */
function mixedRecord(fields: string[]): fc.Arbitrary<Record<string, unknown>> {
  return fc.record(Object.fromEntries(fields.map((field) => [field, valueFor(field)])), { requiredKeys: [] });
}

function bodyArbitrary(route: RouteDefinition): fc.Arbitrary<string> {
  const fields = fieldsOf(route.body);
  const unknownField = fc.oneof(
    { weight: 6, arbitrary: fc.constant(undefined) },
    { weight: 1, arbitrary: fc.tuple(hostileKey, hostileValue) },
  );
  const mixed = fc
    .tuple(mixedRecord(fields), unknownField)
    .map(([body, extra]) => JSON.stringify(ownObject([...Object.entries(body), ...(extra ? [extra] : [])])));
  const options: Array<fc.WeightedArbitrary<string>> = [
    { weight: 6, arbitrary: validRecord(fields).map((body) => JSON.stringify(body)) },
    { weight: 4, arbitrary: mixed },
    { weight: 1, arbitrary: fc.anything({ maxDepth: 3 }).map((value) => JSON.stringify(value) ?? "undefined") },
    { weight: 1, arbitrary: fc.object({ maxDepth: 3 }).map((value) => JSON.stringify(value)) },
    { weight: 2, arbitrary: hostileJson(fields) },
    { weight: 1, arbitrary: deepJson(fields) },
    { weight: 1, arbitrary: fc.oneof(fc.string({ maxLength: 30 }), fc.constantFrom("", " ", "null", "[]", "{", '{"a":1}}', "\uFEFF{}")) },
  ];
  if (fields.includes("cursor")) {
    // A cursor forged for the very sort the body asks for reaches the store's keyset code.
    const forged = fc
      .tuple(validRecord(fields.filter((field) => field !== "sort" && field !== "cursor")), forgedCursor)
      .map(([body, { sort, cursor }]) => JSON.stringify({ ...body, cursor, ...(sort === undefined ? {} : { sort }) }));
    options.push({ weight: 2, arbitrary: forged });
  }
  return fc.oneof(...options);
}

function queryArbitrary(route: RouteDefinition): fc.Arbitrary<string> {
  const fields = fieldsOf(route.query);
  const asText = (value: unknown) => (typeof value === "string" ? value : (JSON.stringify(value) ?? ""));
  const toQuery = (query: Record<string, unknown>) =>
    new URLSearchParams(Object.entries(query).map(([name, value]) => [name, asText(value)])).toString();
  const validQuery = fc
    .record(Object.fromEntries(fields.map((field) => [field, valid[field] ?? hostileString])), { requiredKeys: [] })
    .map(toQuery);
  const structured = fc.record(Object.fromEntries(fields.map((field) => [field, valueFor(field)])), { requiredKeys: [] }).map(toQuery);
  const raw = fc
    .array(
      fc.constantFrom(
        "limit=-1",
        "limit=abc",
        "limit=0",
        "limit=1001",
        "limit=1e3",
        "limit=2.5",
        "limit=",
        "cursor=garbage",
        "cursor=",
        "sort=???",
        "sort=-",
        "sort=__proto__",
        "fields=...",
        "fields=id,,x",
        "fields=constructor",
        "limit=1&limit=2",
        "q=%",
        "q=%ED%A0%80",
        "%ZZ=1",
        "__proto__=1",
        "constructor=1",
        "type=email",
        "value=ann%40example.com",
        "type=constructor&value=x",
        "value=",
        "id=1",
      ),
      { maxLength: 4 },
    )
    .map((pieces) => pieces.join("&"));
  const options: Array<fc.WeightedArbitrary<string>> = [
    { weight: 6, arbitrary: validQuery },
    { weight: 3, arbitrary: structured },
    { weight: 2, arbitrary: raw },
    { weight: 1, arbitrary: fc.string({ maxLength: 30 }) },
  ];
  if (fields.includes("cursor")) {
    const forged = forgedCursor.map(({ sort, cursor }) =>
      new URLSearchParams({ ...(sort === undefined ? {} : { sort }), cursor }).toString(),
    );
    options.push({ weight: 2, arbitrary: forged });
  }
  return fc.oneof(...options);
}

/** A path segment named `name`: a value of the right shape, hostile text (escaped), or a broken escape (raw). */
function pathParam(name: string): fc.Arbitrary<{ value: string; raw: boolean }> {
  const text = (value: unknown) => (typeof value === "string" ? value : String(value));
  return fc.oneof(
    { weight: 6, arbitrary: (valid[name] ?? hostileString).map((value) => ({ value: text(value), raw: false })) },
    { weight: 2, arbitrary: randomCustomerId.map((value) => ({ value, raw: false })) },
    { weight: 3, arbitrary: hostileString.map((value) => ({ value, raw: false })) },
    {
      weight: 1,
      arbitrary: fc
        .constantFrom("%", "%ZZ", "%ED%A0%80", "..", "%2e%2e", "a%2Fb", "%00", "%C0%AF", "")
        .map((value) => ({ value, raw: true })),
    },
  );
}

function requestArbitrary(route: RouteDefinition): fc.Arbitrary<FuzzRequest> {
  const params = fieldsOf(route.params);
  const parts: { [K in keyof FuzzRequest]-?: fc.Arbitrary<FuzzRequest[K]> } = {
    params: fc.record(Object.fromEntries(params.map((name) => [name, pathParam(name)]))),
    query: route.query ? fc.option(queryArbitrary(route), { nil: undefined, freq: 5 }) : fc.constant(undefined),
    body: route.body ? bodyArbitrary(route) : fc.constant(undefined),
    contentType: fc.oneof(
      { weight: 12, arbitrary: fc.constant("application/json") },
      {
        weight: 2,
        arbitrary: fc.constantFrom(
          "text/plain",
          "application/json; charset=utf-8",
          "application/vnd.api+json",
          "application/xml",
          "application/x-www-form-urlencoded",
          "multipart/form-data; boundary=x",
          "",
        ),
      },
    ),
  };
  return fc.record(parts) as fc.Arbitrary<FuzzRequest>;
}

/** A string over 1 MiB where the route takes input: a body field, else a query field, else the path. */
function hugeRequest(route: RouteDefinition, huge: string): FuzzRequest {
  if (route.body) return { body: JSON.stringify({ [fieldsOf(route.body)[0] ?? "x"]: huge }), ...paramsWith(route, annId) };
  if (route.query && !route.params) return { query: new URLSearchParams({ [fieldsOf(route.query)[0] ?? "x"]: huge }).toString() };
  return paramsWith(route, huge);
}

function paramsWith(route: RouteDefinition, value: string): Pick<FuzzRequest, "params"> {
  return { params: Object.fromEntries(fieldsOf(route.params).map((name) => [name, { value, raw: false }])) };
}

/** A customer body the API accepts. */
const validCustomer = fc.record(
  {
    email: fc.stringMatching(/^[a-z][a-z0-9]{0,9}@[a-z]{1,10}\.(com|de)$/),
    firstName: fc.string({ minLength: 1, maxLength: 30 }),
    lastName: fc.string({ maxLength: 30 }),
    tags: fc.array(fc.stringMatching(/^[a-z]{1,10}$/), { maxLength: 3 }),
    traits: fc.dictionary(fc.stringMatching(/^[a-z]{1,8}$/), fc.oneof(fc.string(), fc.integer(), fc.boolean())),
  },
  { requiredKeys: ["email"] },
);

// ---------------------------------------------------------------------------------------------
// HTTP
// ---------------------------------------------------------------------------------------------

async function send(
  backend: Backend,
  method: string,
  path: string,
  body?: string,
  contentType?: string,
  headers: Record<string, string> = {},
): Promise<Answer> {
  const response = await backend.fetch(`${origin}${apiBasePath}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${backend.adminKey}`,
      ...(body === undefined || !contentType ? {} : { "content-type": contentType }),
      ...headers,
    },
    ...(body === undefined ? {} : { body }),
  });
  const text = await response.text();
  try {
    return { status: response.status, headers: response.headers, text, json: JSON.parse(text) };
  } catch (error) {
    return { status: response.status, headers: response.headers, text, json: undefined, parseError: String(error) };
  }
}

/** encodeURIComponent, or UTF-8 bytes with lone surrogates passed through as WTF-8 (which no decoder accepts). */
function encodePathSegment(value: string): string {
  try {
    return encodeURIComponent(value);
  } catch {
    return Array.from(value, (char) => {
      try {
        return encodeURIComponent(char);
      } catch {
        const code = char.charCodeAt(0);
        return [0xe0 | (code >> 12), 0x80 | ((code >> 6) & 0x3f), 0x80 | (code & 0x3f)]
          .map((byte) => `%${byte.toString(16).toUpperCase()}`)
          .join("");
      }
    }).join("");
  }
}

function base64url(text: string): string {
  return btoa(String.fromCharCode(...new TextEncoder().encode(text)))
    .replace(/\+/g, "-")
    .replace(/\//g, "_")
    .replace(/=+$/, "");
}
