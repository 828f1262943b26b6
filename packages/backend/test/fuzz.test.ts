/**
 * Property tests: random and hostile input on every data route of the contract's table (walked, not
 * listed): customers, events and event types, settings, identity resolution and Segment tracking.
 * Whatever comes in, the answer is 2xx or 4xx, JSON, in the error envelope when it is an error, and
 * the store keeps its invariants: identifiers unique per workspace, one audit entry per successful
 * audited write, nothing changed by a refused request, Object.prototype untouched, every answer
 * (reads included) matching its schema, no event on a merged customer, and every merged id
 * answering a live survivor.
 */
import { type Backend, createBackend, manualClock } from "@cdp/backend";
import {
  apiBasePath,
  CustomerUpdate,
  ErrorBody,
  errorCodes,
  jsonSchema,
  type MessageType,
  messageTypes,
  type ResponseName,
  type RouteDefinition,
  type RouteName,
  responseSchemas,
  roleAllows,
  routes,
  searchOperators,
  type TrackingResult,
} from "@cdp/contract";
import fc from "fast-check";
import { describe, expect, it } from "vitest";

const origin = "http://cdp.test";
const table = Object.values(routes) as RouteDefinition[];
const customerRoutes = table.filter((route) => route.name.startsWith("customers."));
const eventRoutes = table.filter((route) => route.name.startsWith("events.") || route.name.startsWith("eventTypes."));
const settingsRoutes = table.filter((route) => route.name.startsWith("settings."));
const identityRoutes = table.filter((route) => route.name.startsWith("identity."));
const trackingRoutes = table.filter((route) => route.auth === "tracking");
/** Consents, purposes, subscriptions, lists, suppressions and privacy requests (export, erase and restrict are customer routes). */
const privacyRoutes = table.filter((route) => /^(consents|purposes|subscriptions|lists|suppressions|privacyRequests)\./.test(route.name));
/** Tracking routes that carry one message (all but /batch). */
const messageRoutes = trackingRoutes.filter((route) => route.name !== "batch");
const fuzzedRoutes = [...customerRoutes, ...eventRoutes, ...settingsRoutes, ...identityRoutes, ...privacyRoutes, ...trackingRoutes];
/** Runs per property: 200, or more for a deeper local search (`FUZZ_RUNS=5000`). */
const runs = Math.max(200, Number(process.env.FUZZ_RUNS ?? 200) || 200);
/** Segment's limit for one message: the UTF-8 bytes of `JSON.stringify(message)` (DESIGN §5). */
const messageBytes = 32 * 1024;

// ---------------------------------------------------------------------------------------------
// The scenarios
// ---------------------------------------------------------------------------------------------

describe("hostile input on every data route", () => {
  it("walks at least one customer route of each method the table has, every event route and every tracking route", () => {
    expect(customerRoutes.length).toBeGreaterThan(0);
    expect(new Set(customerRoutes.map((route) => route.method))).toEqual(new Set(["GET", "POST", "PATCH", "DELETE"]));
    // Every route under /events or /event-types is walked as an event route.
    expect(eventRoutes.map((route) => route.name).sort()).toEqual(
      table
        .filter((route) => /^\/(events|event-types)(\/|$)/.test(route.path))
        .map((route) => route.name)
        .sort(),
    );
    expect(trackingRoutes.map((route) => route.name).sort()).toEqual([...messageTypes, "batch"].sort());
    expect(fuzzedRoutes.map((route) => route.name)).toEqual(
      expect.arrayContaining(["customers.merge", "identity.resolve", "settings.update"]),
    );
    // Every route under /customers (consents and subscriptions too), and every privacy route, is walked.
    expect(fuzzedRoutes.map((route) => route.name)).toEqual(
      expect.arrayContaining([
        ...table.filter((route) => route.path.startsWith("/customers")).map((route) => route.name),
        ...["purposes.define", "lists.create", "suppressions.create", "privacyRequests.list", "customers.erase", "customers.restrict"],
      ]),
    );
  });

  it("starts every run from the same world, which keeps every invariant", async () => {
    const world = await createWorld();
    const state = await readAll(world.backend);
    expect(state.customers.map((customer) => customer.id).sort()).toEqual([world.annId, world.bobId].sort());
    expect(state.events).toHaveLength(4);
    expect(state.events.map((event) => event.customerId)).not.toContain(world.catId);
    await checkInvariants(world, state, { deep: true });
    expect(state).toEqual(await freshState());
  });

  for (const route of fuzzedRoutes) {
    it(`${route.name} (${route.method} ${apiBasePath}${route.path}): never 5xx, always the envelope, the store intact`, async () => {
      await fc.assert(
        fc.asyncProperty(requestArbitrary(route), async (request) => {
          const world = await worlds.take();
          const before = await freshState();

          const answer = await world.send(route, request);

          checkAnswer(servedRoute(route, request), answer, world.errors);
          note(world, route, answer);
          const after = await readAll(world.backend);
          await checkInvariants(world, after, { deep: mayChange(route, answer) });
          if (!mayChange(route, answer)) {
            expect(after).toEqual(before);
            worlds.keep(world);
          }
        }),
        { numRuns: runs },
      );
    });
  }

  for (const route of fuzzedRoutes.filter((route) => route.body || route.query || route.params)) {
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
    await checkInvariants(world, await readAll(world.backend));
  });
});

describe("tracking: hostile Segment messages", () => {
  for (const route of trackingRoutes) {
    const wrap = (message: Record<string, unknown>, type: MessageType) =>
      route.name === "batch" ? { batch: [{ type, ...message }] } : message;
    const typeOf = (route.name === "batch" ? "track" : route.name) as MessageType;

    it(`${route.name}: a field of the wrong type is refused naming it (${route.name === "batch" ? "one rejected entry" : "400"}), and nothing changes`, async () => {
      await fc.assert(
        fc.asyncProperty(
          route.name === "batch"
            ? fc.constantFrom(...messageTypes).chain((type) => wrongField(type).map((wrong) => ({ ...wrong, type })))
            : wrongField(typeOf).map((wrong) => ({ ...wrong, type: typeOf })),
          authArbitrary,
          async ({ message, field, type }, auth) => {
            const world = await worlds.take();
            const before = await freshState();

            const answer = await world.send(route, { body: JSON.stringify(wrap(message, type)), auth });

            checkAnswer(route, answer, world.errors);
            if (route.name === "batch") {
              expect(answer.status, answer.text).toBe(200);
              const result = answer.json as TrackingResult;
              expect(result.accepted, answer.text).toBe(0);
              expect(result.rejected, answer.text).toMatchObject([{ index: 0, code: "validation_failed" }]);
              expect(result.rejected[0]?.issues?.map((issue) => issue.path) ?? [], answer.text).toContainEqual(
                expect.stringMatching(new RegExp(`^body\\.batch\\.0\\.${field}(\\.|$)`)),
              );
            } else {
              expect(answer.status, answer.text).toBe(400);
              expect(answer.json).toMatchObject({ error: { code: "validation_failed" } });
              const paths = (answer.json as ErrorBody).error.issues?.map((issue) => issue.path) ?? [];
              expect(paths, answer.text).toContainEqual(expect.stringMatching(new RegExp(`^body\\.${field}(\\.|$)`)));
            }
            expect(await readAll(world.backend)).toEqual(before);
            await checkInvariants(world, before);
            worlds.keep(world);
          },
        ),
        { numRuns: runs },
      );
    });

    it(`${route.name}: a __proto__ key in traits, properties or context is refused naming its path (or kept as an own key)`, async () => {
      await fc.assert(
        fc.asyncProperty(
          segmentMessage(typeOf, false),
          fc.constantFrom("(root)", "traits", "properties", "context", "context.traits", "integrations"),
          hostileObject.map((text) => JSON.parse(text) as unknown),
          async (message, place, value) => {
            const world = await worlds.take();
            const before = await freshState();
            const poisoned = withOwnKeyAt(message, place, "__proto__", value);

            const answer = await world.send(route, { body: JSON.stringify(wrap(poisoned, typeOf)) });

            checkAnswer(route, answer, world.errors);
            const where = `${route.name === "batch" ? "body.batch.0" : "body"}${place === "(root)" ? "" : `.${place}`}.__proto__`;
            if (isSuccess(answer.status)) {
              // Kept: then as an own key, never as the object's prototype.
              expect(Object.keys(Object.prototype)).toEqual([]);
              await checkInvariants(world, await readAll(world.backend), { deep: true });
            } else {
              expect(answer.status, answer.text).toBe(400);
              expect(
                (answer.json as ErrorBody).error.issues?.map((issue) => issue.path),
                answer.text,
              ).toContain(where);
              expect(await readAll(world.backend)).toEqual(before);
              await checkInvariants(world, before);
              worlds.keep(world);
            }
            expect(({} as Record<string, unknown>).polluted).toBeUndefined();
          },
        ),
        { numRuns: runs },
      );
    });
  }

  for (const route of messageRoutes) {
    it(`${route.name}: a message over 32 KiB (UTF-8 bytes of JSON.stringify(message)) answers 413 and changes nothing; one within is applied`, async () => {
      await fc.assert(
        fc.asyncProperty(sizeSpec, async (spec) => {
          const world = await worlds.take();
          const before = await freshState();
          const { form } = spec;
          const message = sizedMessage(route.name as MessageType, spec);
          const size = utf8Bytes(JSON.stringify(message));

          const answer = await world.send(route, { body: encodeJson(message, form) });

          checkAnswer(route, answer, world.errors);
          const shown = `${size} bytes as JSON.stringify, ${utf8Bytes(encodeJson(message, form))} as sent (${form}): ${answer.status} ${answer.text.slice(0, 300)}`;
          if (size > messageBytes) {
            expect(answer.status, shown).toBe(413);
            expect(answer.json).toMatchObject({ error: { code: "payload_too_large" } });
            expect(await readAll(world.backend)).toEqual(before);
            await checkInvariants(world, before);
            worlds.keep(world);
          } else {
            expect(answer.status, shown).toBe(200);
            const holder = await world.send(routes["customers.lookup"], { query: "type=userId&value=sized-user" });
            expect(holder.status, holder.text).toBe(200);
          }
        }),
        { numRuns: runs },
      );
    });
  }

  it("batch: an item over 32 KiB is one rejected entry (payload_too_large), the others go through; a body over 500 KiB answers 413", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.integer({ min: 0, max: 120_000 }), { minLength: 1, maxLength: 6 }),
        fc.boolean(),
        async (sizes, pretty) => {
          const world = await worlds.take();
          const before = await freshState();
          const items = sizes.map((size, index) => ({
            type: "track",
            userId: `sized-${index}`,
            event: "Product Viewed",
            properties: { blob: "é".repeat(Math.floor(size / 2)) },
          }));
          const body = pretty ? JSON.stringify({ batch: items }, null, 2) : JSON.stringify({ batch: items });

          const answer = await world.send(routes.batch, { body });

          checkAnswer(routes.batch, answer, world.errors);
          if (utf8Bytes(body) > 500 * 1024) {
            expect(answer.status, answer.text.slice(0, 300)).toBe(413);
            expect(await readAll(world.backend)).toEqual(before);
            worlds.keep(world);
            return;
          }
          expect(answer.status, answer.text.slice(0, 300)).toBe(200);
          const oversized = items.flatMap((item, index) => (utf8Bytes(JSON.stringify(item)) > messageBytes ? [index] : []));
          const result = answer.json as TrackingResult;
          expect(result.rejected.map((entry) => [entry.index, entry.code])).toEqual(oversized.map((index) => [index, "payload_too_large"]));
          expect(result.accepted).toBe(items.length - oversized.length);
          for (const [index] of items.entries()) {
            const holder = await world.send(routes["customers.lookup"], { query: `type=userId&value=sized-${index}` });
            expect(holder.status, `item ${index}`).toBe(oversized.includes(index) ? 404 : 200);
          }
        },
      ),
      { numRuns: runs },
    );
  });

  it("batch: valid and invalid messages mixed answer 200 with accepted + rejected; each rejected index is an invalid item, every valid item takes effect", async () => {
    await fc.assert(
      fc.asyncProperty(mixedBatch, authArbitrary, async (items, auth) => {
        const world = await worlds.take();

        const answer = await world.send(routes.batch, { body: JSON.stringify({ batch: items.map((item) => item.message) }), auth });

        checkAnswer(routes.batch, answer, world.errors);
        note(world, routes.batch, answer);
        expect(answer.status, answer.text.slice(0, 500)).toBe(200);
        const result = answer.json as TrackingResult;
        const invalid = items.flatMap((item, index) => (item.valid ? [] : [index]));
        expect(
          result.rejected.map((entry) => entry.index),
          answer.text.slice(0, 2000),
        ).toEqual(invalid);
        expect(result.accepted).toBe(items.length - invalid.length);
        for (const entry of result.rejected) {
          const item = items[entry.index]?.message;
          const messageId = item !== null && typeof item === "object" && typeof (item as { messageId?: unknown }).messageId === "string";
          expect(entry.messageId).toBe(messageId ? (item as { messageId: string }).messageId : null);
          expect(Object.keys(errorCodes)).toContain(entry.code);
          if (entry.code === "payload_too_large") expect((items[entry.index] as BatchItem).oversized).toBe(true);
        }
        for (const [index, item] of items.entries()) if (item.valid) await item.check(world, index);
        await checkInvariants(world, await readAll(world.backend), { deep: true });
      }),
      { numRuns: runs },
    );
  });
});

describe("random sequences over events, merges, settings, identity and tracking", () => {
  const steps: RouteName[] = [
    "customers.create",
    "customers.merge",
    "customers.addIdentifier",
    "customers.delete",
    "identity.resolve",
    "settings.update",
    "events.create",
    "events.update",
    "events.delete",
    "events.duplicate",
    "eventTypes.define",
    "consents.record",
    "subscriptions.subscribe",
    "subscriptions.unsubscribe",
    "suppressions.create",
    "customers.restrict",
    "customers.erase",
    ...messageTypes,
    "batch",
  ];

  it("keeps every invariant after each step; a refused step changes nothing", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.constantFrom(...steps).chain((step) => validRequest(routes[step]).map((request) => ({ step, request }))),
          { minLength: 2, maxLength: 6 },
        ),
        async (sequence) => {
          const world = await worlds.take();
          let before = await freshState();
          for (const { step, request } of sequence) {
            const route = routes[step] as RouteDefinition;
            const answer = await world.send(route, request);
            checkAnswer(route, answer, world.errors);
            note(world, route, answer);
            const after = await readAll(world.backend);
            await checkInvariants(world, after);
            if (!mayChange(route, answer)) expect(after, `${route.name} ${answer.status}`).toEqual(before);
            before = after;
          }
          await checkInvariants(world, before, { deep: true });
        },
      ),
      { numRuns: runs },
    );
  });
});
describe("hostile input the fuzzer found, pinned as scenarios", () => {
  it("refuses a forged cursor whose position is an object: 400 invalid_cursor, not 500", async () => {
    const world = await createWorld();
    const cursor = base64url(JSON.stringify(["customers:-createdAt", "0", { toString: 1 }, "cus_00000000000000000000000000"]));
    const byTier = base64url(JSON.stringify(["customers:-properties.tier", "0", { toString: 1 }, "cus_00000000000000000000000000"]));

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

/**
 * Ten custom types t0 … t9 of 100 values each: with at most 50 custom types of 5 values by default,
 * 1,000 identifiers on one profile take raised limits.
 */
async function allowHundredsOfValues(world: Awaited<ReturnType<typeof createWorld>>): Promise<void> {
  const types = Object.fromEntries(Array.from({ length: 10 }, (_, n) => [`t${n}`, { unique: true, limit: 100, priority: 5 }]));
  const answer = await world.send(routes["settings.update"], { body: JSON.stringify({ identity: { types } }) });
  expect(answer.status, answer.text.slice(0, 300)).toBe(200);
}
describe("bugs the fuzzer found on the event, merge and tracking routes, pinned as scenarios", () => {
  const getCustomer = (world: World, id: string) => world.send(routes["customers.get"], { params: { id: { value: id, raw: false } } });

  it("merge keeps a trait named like an Object.prototype member (constructor): the survivor's value stays, the changelog answers its schema", async () => {
    const world = await createWorld();
    // Ann holds traits.constructor = "x"; Bob holds no trait of that name.

    const merged = await world.send(routes["customers.merge"], { body: JSON.stringify({ into: annId, from: [bobId] }) });

    checkAnswer(routes["customers.merge"], merged, world.errors);
    expect(merged.status, merged.text).toBe(200);
    const ann = await getCustomer(world, world.annId);
    // Bob's plan and profile were written later and win; Bob has no constructor trait, so Ann's stays.
    expect((ann.json as CustomerRead).traits).toEqual({ plan: "free", profile: { age: 30 }, constructor: "x" });
    const changelog = await world.send(routes["customers.changelog"], { params: { id: { value: annId, raw: false } } });
    expectSchema("ChangelogPage", changelog);
    const [entry] = (changelog.json as { data: Array<{ merge?: { decisions: Array<{ field: string; value?: unknown; rule: string }> } }> })
      .data;
    expect(entry?.merge?.decisions).toContainEqual({ field: "traits.constructor", value: "x", from: world.annId, rule: "only_value" });
    expect(world.errors).toEqual([]);
  });

  it("counts an event whose category is constructor on the timeline as a number", async () => {
    const world = await createWorld();
    const created = await world.send(routes["events.create"], {
      body: JSON.stringify({ customerId: annId, type: "Gift Card Bought", category: "constructor", timestamp: "2026-02-27T12:00:00.000Z" }),
    });
    expect(created.status, created.text).toBe(201);

    const timeline = await world.send(routes["customers.timeline"], { params: { id: { value: annId, raw: false } } });

    checkAnswer(routes["customers.timeline"], timeline, world.errors);
    expectSchema("Timeline", timeline);
    const weeks = (timeline.json as { data: Array<{ week: string; counts: Record<string, unknown> }> }).data;
    // Ann's world has an order within the 52 weeks too: every week names its category, 0 here.
    expect(weeks.find((week) => week.week === "2026-W09")?.counts).toEqual({ constructor: 1, ecommerce: 0 });
    expect(world.errors).toEqual([]);
  });

  it("stores a tracked event at a time the API can answer when the message's timestamp is past year 9999", async () => {
    const world = await createWorld();

    const tracked = await world.send(routes.track, {
      body: JSON.stringify({ userId: "u-far", event: "Product Viewed", timestamp: "+010000-01-01T00:00:00.000Z" }),
    });

    checkAnswer(routes.track, tracked, world.errors);
    const listed = await world.send(routes["events.list"], { query: "type=Product%20Viewed" });
    expectSchema("EventPage", listed);
    expect(world.errors).toEqual([]);
  });

  it("never answers 500 to a tracker whose clock skew (sentAt − originalTimestamp) leaves the range of dates", async () => {
    const world = await createWorld();
    const before = await readAll(world.backend);

    const tracked = await world.send(routes.track, {
      body: JSON.stringify({
        userId: "u-skew",
        event: "Product Viewed",
        sentAt: "2027-01-01T00:00:00Z",
        originalTimestamp: "-271821-04-20T00:00:00Z",
      }),
    });

    checkAnswer(routes.track, tracked, world.errors);
    if (!isSuccess(tracked.status)) expect(await readAll(world.backend)).toEqual(before);
    expect(world.errors).toEqual([]);
  });

  it("measures a single message as the UTF-8 bytes of JSON.stringify(message), not of the body as sent (\\u escapes, indentation)", async () => {
    const world = await createWorld();
    const message = { userId: "u-escaped", event: "Product Viewed", properties: { blob: "é".repeat(16_000) } };
    expect(utf8Bytes(JSON.stringify(message))).toBeLessThan(messageBytes);

    // Many small keys: indentation adds more than the 32 KiB leave over JSON.stringify's bytes.
    const keyed = {
      ...message,
      userId: "u-pretty",
      properties: { blob: "a".repeat(29_000), ...Object.fromEntries(Array.from({ length: 300 }, (_, i) => [`k${i}`, i])) },
    };
    expect(utf8Bytes(JSON.stringify(keyed))).toBeLessThan(messageBytes);
    expect(utf8Bytes(encodeJson(keyed, "pretty"))).toBeGreaterThan(messageBytes);

    const escaped = await world.send(routes.track, { body: encodeJson(message, "escaped") });
    const pretty = await world.send(routes.track, { body: encodeJson(keyed, "pretty") });

    expect(escaped.status, escaped.text).toBe(200);
    expect(pretty.status, pretty.text).toBe(200);
  });

  it("names each blocked identifier (body.userId, body.anonymousId) when every identifier of a message is blocked (no_identifier)", async () => {
    const world = await createWorld();

    const answer = await world.send(routes.track, {
      body: JSON.stringify({ userId: "none", anonymousId: "null", event: "Product Viewed" }),
    });

    checkAnswer(routes.track, answer, world.errors);
    expect(answer.json).toMatchObject({
      error: { code: "no_identifier", issues: [{ path: "body.userId" }, { path: "body.anonymousId" }] },
    });
  });

  it("names the message's event field (body.event, body.batch.0.event) when the workspace refuses an unknown event type", async () => {
    const world = await createWorld();
    expect((await world.send(routes["settings.update"], { body: JSON.stringify({ unknownEventTypes: "reject" }) })).status).toBe(200);

    const single = await world.send(routes.track, { body: JSON.stringify({ userId: "u-1", event: "Gift Card Bought" }) });
    const batched = await world.send(routes.batch, {
      body: JSON.stringify({ batch: [{ type: "track", userId: "u-1", event: "Gift Card Bought" }] }),
    });

    expect(single.json).toMatchObject({ error: { code: "unknown_event_type", issues: [{ path: "body.event" }] } });
    expect(batched.json).toMatchObject({
      accepted: 0,
      rejected: [{ index: 0, code: "unknown_event_type", issues: [{ path: "body.batch.0.event" }] }],
    });
  });

  it("refuses to retype an event to an unknown type when the workspace refuses unknown types, category given or not", async () => {
    const world = await createWorld();
    expect((await world.send(routes["settings.update"], { body: JSON.stringify({ unknownEventTypes: "reject" }) })).status).toBe(200);
    const before = await readAll(world.backend);

    const withCategory = await world.send(routes["events.update"], {
      params: { id: { value: annEvent, raw: false } },
      body: JSON.stringify({ type: "Gift Card Bought", category: "custom" }),
    });
    const without = await world.send(routes["events.update"], {
      params: { id: { value: annEvent, raw: false } },
      body: JSON.stringify({ type: "Gift Card Bought" }),
    });

    expect(without.json).toMatchObject({ error: { code: "unknown_event_type" } });
    expect(withCategory.json).toMatchObject({ error: { code: "unknown_event_type" } });
    expect(await readAll(world.backend)).toEqual(before);
  });

  it("writes a reserved or defined trait that does not fit its field to traits, never into the profile's base fields or properties", async () => {
    const world = await createWorld();
    const traits = {
      address: { city: "Berlin", country: "Germany" },
      birthday: "not a date",
      locale: "x",
      timezone: "Mars/Olympus",
      tier: "platinum",
      score: "ten",
    };

    const identified = await world.send(routes.identify, { body: JSON.stringify({ userId: "u-misfit", traits }) });

    expect(identified.status, identified.text).toBe(200);
    const holder = await world.send(routes["customers.lookup"], { query: "type=userId&value=u-misfit" });
    expect(holder.status, holder.text).toBe(200);
    expectSchema("Customer", holder);
    checkProfile(holder.json as CustomerRead);
    expect(world.errors).toEqual([]);
  });

  it("drops an email identifier longer than an identifier may be (512) from a tracked message, as it drops an invalid one", async () => {
    const world = await createWorld();
    const email = `${"a".repeat(600)}@example.com`;

    const identified = await world.send(routes.identify, { body: JSON.stringify({ userId: "u-long", traits: { email } }) });

    expect(identified.status, identified.text).toBe(200);
    const holder = await world.send(routes["customers.lookup"], { query: "type=userId&value=u-long" });
    expect(holder.status, holder.text).toBe(200);
    expectSchema("Customer", holder);
    expect((holder.json as CustomerRead).identifiers).toEqual([{ type: "userId", value: "u-long" }]);
    expect(world.errors).toEqual([]);
  });

  it("merges the survivor when from names a merged id (an old id acts on its survivor)", async () => {
    const world = await createWorld();
    // Cat was merged into Bob.

    const merged = await world.send(routes["customers.merge"], { body: JSON.stringify({ into: annId, from: [catId] }) });

    checkAnswer(routes["customers.merge"], merged, world.errors);
    expect(merged.status, merged.text).toBe(200);
    expect(merged.json).toMatchObject({ customer: { id: world.annId }, merged: [world.bobId] });
    const bob = await getCustomer(world, world.bobId);
    expect(bob.json).toMatchObject({ id: world.annId, status: "active" });
  });

  it("refuses a merge that would give a profile more than 1,000 identifiers: 422 identifier_limit, and nothing changes", async () => {
    const world = await createWorld();
    await allowHundredsOfValues(world);
    const identifiers = Array.from({ length: 1_000 }, (_, index) => ({ type: `t${Math.floor(index / 100)}`, value: `v${index}` }));
    const big = await world.send(routes["customers.create"], { body: JSON.stringify({ identifiers }) });
    expect(big.status, big.text.slice(0, 300)).toBe(201);
    const bigId = (big.json as { customer: { id: string } }).customer.id;
    const before = await readAll(world.backend);

    const merged = await world.send(routes["customers.merge"], { body: JSON.stringify({ into: bigId, from: [annId] }) });

    checkAnswer(routes["customers.merge"], merged, world.errors);
    expect(merged.json).toMatchObject({ error: { code: "identifier_limit" } });
    expect(await readAll(world.backend)).toEqual(before);
  });

  it("never lets tracking give a profile more than 1,000 identifiers: the message is taken, the extra identifier dropped with a changelog entry", async () => {
    const world = await createWorld();
    await allowHundredsOfValues(world);
    const identifiers = [
      { type: "email", value: "big@example.com" },
      ...Array.from({ length: 999 }, (_, index) => ({ type: `t${Math.floor(index / 100)}`, value: `v${index}` })),
    ];
    const big = await world.send(routes["customers.create"], { body: JSON.stringify({ identifiers }) });
    expect(big.status, big.text.slice(0, 300)).toBe(201);
    const bigId = (big.json as { customer: { id: string } }).customer.id;

    const identified = await world.send(routes.identify, {
      body: JSON.stringify({ anonymousId: "anon-new", traits: { email: "big@example.com" } }),
    });

    expect(identified.json).toEqual({ accepted: 1, rejected: [] });
    const holder = await getCustomer(world, bigId);
    expect((holder.json as CustomerRead).identifiers.length).toBeLessThanOrEqual(1_000);
    const changelog = await world.send(routes["customers.changelog"], { params: { id: { value: bigId, raw: false } } });
    expect((changelog.json as { data: Array<{ kind: string }> }).data.map((entry) => entry.kind)).toContain("identifier_dropped");
  });

  it("never brings a deleted event back through events.create with its messageId (dedupe has no expiry)", async () => {
    const world = await createWorld();
    const deleted = await world.send(routes["events.delete"], {
      params: { id: { value: annEvent, raw: false } },
      body: JSON.stringify({ reason: "a test order" }),
    });
    expect(deleted.status, deleted.text).toBe(200);
    const tracked = await world.send(routes.track, {
      body: JSON.stringify({ userId: "shop-1", event: "Order Completed", messageId: "m-ann-order" }),
    });
    expect(tracked.json).toEqual({ accepted: 1, rejected: [] });
    const before = await readAll(world.backend);

    const replayed = await world.send(routes["events.create"], {
      body: JSON.stringify({ customerId: annId, type: "Order Completed", messageId: "m-ann-order", properties: { order_id: "o-1" } }),
    });

    checkAnswer(routes["events.create"], replayed, world.errors);
    expect((await readAll(world.backend)).events).toEqual(before.events);
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
// A world per run: two defined properties and three customers (Cat merged into Bob), Ann's traits
// as a tracker might send them, an order and its refund for Ann, a product view of Cat's (moved to
// Bob by the merge), and a page view tracked for Bob with the write key. Placeholders in generated
// requests name its records; the ids are only known once it exists.
// ---------------------------------------------------------------------------------------------

const annId = "@ANN_ID@";
const bobId = "@BOB_ID@";
/** Cat was merged into Bob: her id is an alias of Bob's. */
const catId = "@CAT_ID@";
const annEvent = "@ANN_EVENT@";
const bobEvent = "@BOB_EVENT@";
const writeKeyPlaceholder = "@WRITE_KEY@";
/** The world's marketing email list (double opt-in). */
const listIdPlaceholder = "@LIST_ID@";
/** Each world's dpo key, for reads that must see restricted profiles and for the routes only a dpo may call. */
const dpoKeys = new WeakMap<Backend, string>();

interface World {
  backend: Backend;
  /** What the backend reported as unexpected errors (a 500's cause, an answer that fails its schema). */
  errors: string[];
  annId: string;
  bobId: string;
  catId: string;
  annEventId: string;
  bobEventId: string;
  listId: string;
  /** Successful audited writes made so far, the arrangement's included. */
  auditedWrites: number;
  /**
   * Tracking requests that accepted a message or were refused for a restricted profile: each leaves
   * one audit entry if it wrote anything (an event, a trait, a withdrawal taken all the same), none if
   * it brought nothing new (a replay, an erased person's message: this model does not follow those).
   */
  trackingAccepted: number;
  /** Every customer id the run has seen: the world's own, and any an answer named. */
  knownIds: Set<string>;
  send(route: RouteDefinition, request: FuzzRequest): Promise<Answer>;
}

async function createWorld(): Promise<World> {
  const clock = manualClock("2026-03-01T10:00:00Z");
  const errors: string[] = [];
  const backend = createBackend({
    clock,
    seed: 7,
    // Every answer checked against its schema: a mismatch is logged, and a run with anything logged fails.
    validateResponses: true,
    logError: (error) => errors.push(String((error as Error)?.stack ?? error)),
  });
  const admin = async (path: string, body: unknown, status = 201) => {
    const answer = await send(backend, "POST", path, JSON.stringify(body), "application/json");
    expect(answer.status, answer.text).toBe(status);
    clock.advance(1_000);
    return answer.json as { customer: { id: string }; id: string };
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
  const cat = await admin("/customers", {
    email: "cat@example.com",
    identifiers: [{ type: "anonymousId", value: "anon-cat" }],
    tags: ["cat"],
  });
  const order = await admin("/events", {
    customerId: ann.customer.id,
    type: "Order Completed",
    messageId: "m-ann-order",
    timestamp: "2026-02-20T12:00:00.000Z",
    properties: { order_id: "o-1", total: "19.99", currency: "EUR", products: [{ product_id: "p-1", quantity: 2 }] },
  });
  await admin("/events", {
    customerId: ann.customer.id,
    type: "Order Refunded",
    timestamp: "2026-02-21T12:00:00.000Z",
    properties: { order_id: "o-1", total: "5.00", currency: "EUR" },
  });
  await admin("/events", { customerId: cat.customer.id, type: "Product Viewed", properties: { product_id: "p-2" } });
  await admin("/customers/merge", { into: bob.customer.id, from: [cat.customer.id], reason: "the same person" }, 200);
  const page = await send(
    backend,
    "POST",
    "/page",
    JSON.stringify({ anonymousId: "anon-bob", name: "Home", context: { traits: { email: "bob@example.com" } } }),
    "application/json",
    { authorization: `Basic ${btoa(`${backend.writeKey}:`)}` },
  );
  expect(page.status, page.text).toBe(200);
  const dpo = (await admin("/keys", { name: "dpo", role: "dpo" })) as unknown as { secret: string };
  dpoKeys.set(backend, dpo.secret);
  const list = await admin("/lists", { name: "Newsletter", channel: "email", kind: "marketing", doubleOptIn: true });
  const viewsOfBob = await send(backend, "GET", `/events?customerId=${bob.customer.id}`);
  const bobEventId = (viewsOfBob.json as { data: Array<{ id: string }> }).data[0]?.id as string;
  expect(bobEventId, viewsOfBob.text).toBeDefined();
  clock.advance(1_000);

  const world: World = {
    backend,
    errors,
    annId: ann.customer.id,
    bobId: bob.customer.id,
    catId: cat.customer.id,
    annEventId: order.id,
    bobEventId,
    listId: list.id,
    // The arrangement's 11 API writes and its page message.
    auditedWrites: 12,
    trackingAccepted: 0,
    knownIds: new Set([ann.customer.id, bob.customer.id, cat.customer.id]),
    send: (route, request) => {
      const resolve = (text: string) =>
        text
          .replaceAll(annId, world.annId)
          .replaceAll(bobId, world.bobId)
          .replaceAll(catId, world.catId)
          .replaceAll(annEvent, world.annEventId)
          .replaceAll(bobEvent, world.bobEventId)
          .replaceAll(listIdPlaceholder, world.listId)
          .replaceAll(writeKeyPlaceholder, backend.writeKey);
      const path = route.path.replace(/\{(\w+)\}/g, (_, name: string) => {
        const param = request.params?.[name] ?? { value: "", raw: true };
        return param.raw ? resolve(param.value) : encodePathSegment(resolve(param.value));
      });
      const query = request.query === undefined ? "" : `?${resolve(request.query)}`;
      let body = request.body === undefined ? undefined : resolve(request.body);
      const headers: Record<string, string> = {};
      // Routes an admin may not call (erase, restrict, privacy requests) are called by the world's dpo.
      if (route.permission !== null && !roleAllows("admin", route.permission)) headers.authorization = `Bearer ${dpoKeys.get(backend)}`;
      if (request.auth === "basic") headers.authorization = `Basic ${btoa(`${backend.writeKey}:`)}`;
      if (request.auth === "body" && body !== undefined) {
        headers.authorization = "";
        body = withWriteKey(body, backend.writeKey);
      }
      return send(backend, route.method, `${path}${query}`, body, request.contentType ?? "application/json", headers);
    },
  };
  return world;
}

/**
 * Worlds for the runs. Building one takes a dozen requests, so a world whose run changed nothing
 * (its state still equals a fresh world's: the run checked) serves the next run, and the next
 * fresh world is built while the current run goes on.
 */
const worlds = {
  spare: undefined as World | undefined,
  next: undefined as Promise<World> | undefined,
  async take(): Promise<World> {
    const spare = this.spare;
    this.spare = undefined;
    if (spare) return spare;
    const next = this.next ?? createWorld();
    this.next = createWorld();
    // A failure surfaces when that world is taken.
    this.next.catch(() => {});
    return next;
  },
  /** Gives back a world whose run changed nothing. */
  keep(world: World): void {
    world.knownIds = new Set([world.annId, world.bobId, world.catId]);
    this.spare = world;
  },
};

let fresh: Promise<State> | undefined;

/** What a fresh world holds (every world is built the same way, with seeded ids and a manual clock). */
function freshState(): Promise<State> {
  fresh ??= createWorld().then((world) => readAll(world.backend));
  return fresh;
}

/** The body with `writeKey` added first (a writeKey the body carries itself comes later and wins), when it is a JSON object. */
function withWriteKey(body: string, key: string): string {
  try {
    const parsed: unknown = JSON.parse(body);
    if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) return body;
    if (Object.keys(parsed).length === 0) return JSON.stringify({ writeKey: key });
    return body.replace(/^\s*\{/, `{"writeKey":${JSON.stringify(key)},`);
  } catch {
    return body;
  }
}

interface CustomerRead {
  id: string;
  status: string;
  traits: Record<string, unknown>;
  identifiers: Array<{ type: string; value: string }>;
  properties: Record<string, unknown>;
  [field: string]: unknown;
}

interface EventRead {
  id: string;
  customerId: string;
  type: string;
  category: string;
}

interface State {
  customers: CustomerRead[];
  audit: Array<{ id: string; action: string }>;
  events: EventRead[];
  settings: { identity: { types: Record<string, { unique: boolean }> } };
  eventTypes: unknown[];
}

/**
 * Every customer, audit entry and event of the workspace (page after page), its settings and event
 * types, as the admin reads them. The backend checks each answer against its schema and logs a
 * mismatch, which `checkInvariants` reports.
 */
async function readAll(backend: Backend): Promise<State> {
  // The dpo reads: restricted profiles are left out of everyone else's lists.
  const asDpo = { authorization: `Bearer ${dpoKeys.get(backend) ?? backend.adminKey}` };
  const one = async <T>(path: string): Promise<T> => {
    const answer = await send(backend, "GET", path, undefined, undefined, asDpo);
    expect(answer.status, answer.text.slice(0, 500)).toBe(200);
    return answer.json as T;
  };
  const all = async <T>(path: string): Promise<T[]> => {
    const out: T[] = [];
    let cursor: string | null = null;
    do {
      const page: { data: T[]; nextCursor: string | null } = await one(
        `${path}?limit=1000${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`,
      );
      out.push(...page.data);
      cursor = page.nextCursor;
    } while (cursor);
    return out;
  };
  return {
    customers: await all("/customers"),
    audit: await all("/audit"),
    events: await all("/events"),
    settings: await one("/settings"),
    eventTypes: (await one<{ data: unknown[] }>("/event-types")).data,
  };
}

function expectSchema(schema: ResponseName, answer: Answer): void {
  const parsed = responseSchemas[schema].safeParse(answer.json);
  expect(parsed.success, `${schema} ${JSON.stringify(parsed.error?.issues ?? []).slice(0, 1000)}\n${answer.text.slice(0, 1000)}`).toBe(
    true,
  );
}

/** Whether the call may have changed the store: a successful audited write, or a tracking call that accepted a message. */
/** A tracking message refused for a restricted profile whose consent withdrawals were taken all the same. */
function tookWithdrawal(route: RouteDefinition, answer: Answer): boolean {
  if (route.auth !== "tracking" || answer.status !== 403) return false;
  const issues = (answer.json as ErrorBody | undefined)?.error?.issues ?? [];
  return issues.some((issue) => issue.path === "body.context.consent.categoryPreferences");
}

function mayChange(route: RouteDefinition, answer: Answer): boolean {
  if (tookWithdrawal(route, answer)) return true;
  if (!isSuccess(answer.status)) return false;
  if (route.audited) return true;
  return route.auth === "tracking" && ((answer.json as Partial<TrackingResult> | undefined)?.accepted ?? 0) > 0;
}

/** Counts a successful audited write and remembers every customer id the answer names. */
function note(world: World, route: RouteDefinition, answer: Answer): void {
  // A replayed messageId on POST /events answers 200 and writes nothing: no audit entry.
  const replay = route.name === "events.create" && answer.status === 200;
  if (route.auth === "tracking") {
    const result = answer.json as TrackingResult;
    const restricted = isSuccess(answer.status) && result.rejected.some((item) => item.code === "processing_restricted");
    if ((isSuccess(answer.status) && result.accepted > 0) || restricted || tookWithdrawal(route, answer)) world.trackingAccepted++;
  } else if (route.audited && isSuccess(answer.status) && !replay) world.auditedWrites++;
  for (const id of answer.text.match(/cus_[0-9A-HJKMNP-TV-Z]{26}/g) ?? []) world.knownIds.add(id);
}

/** Base fields as a PATCH may write them: what every stored profile must hold, whatever wrote it. */
const writableBaseFields = ["firstName", "lastName", "birthDate", "gender", "locale", "timeZone", "address", "company", "jobTitle"];

/**
 * (a) no identifier of a unique type on two customers; (b) exactly one audit entry per successful
 * audited write; (c) no prototype pollution; (d) nothing logged as unexpected; (e) every profile's
 * extended properties fit their definitions and its base fields their schema. With `deep`, also:
 * (f) no event belongs to a merged customer, and the events listed per customer are exactly its
 * own; (g) every customer id seen answers 404 or a live customer (a merged id: its survivor);
 * (h) every live customer's card (timeline, purchases) and changelog match their schemas.
 */
async function checkInvariants(world: World, state: State, options: { deep?: boolean } = {}): Promise<void> {
  const unique = (type: string) => state.settings.identity.types[type]?.unique ?? true;
  const holders = new Map<string, string>();
  for (const customer of state.customers) {
    for (const identifier of customer.identifiers) {
      if (!unique(identifier.type)) continue;
      const key = `${identifier.type}\u0000${identifier.value}`;
      const holder = holders.get(key);
      expect(
        holder === undefined || holder === customer.id,
        `${identifier.type} ${identifier.value} is on ${holder} and ${customer.id}`,
      ).toBe(true);
      holders.set(key, customer.id);
    }
  }
  expect(state.audit.length).toBeGreaterThanOrEqual(world.auditedWrites);
  expect(state.audit.length).toBeLessThanOrEqual(world.auditedWrites + world.trackingAccepted);
  expect(Object.keys(Object.prototype)).toEqual([]);
  expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  for (const customer of state.customers) checkProfile(customer);

  if (options.deep) {
    const live = new Set(state.customers.map((customer) => customer.id));
    for (const customerId of new Set(state.events.map((event) => event.customerId))) {
      const owner = await send(world.backend, "GET", `/customers/${encodeURIComponent(customerId)}`);
      // A merged customer's events must have moved (a deleted one's went with it).
      if (owner.status === 404) continue;
      expect(owner.status, owner.text).toBe(200);
      const answered = owner.json as CustomerRead;
      expect(answered.id, `events still belong to ${customerId}, which was merged into ${answered.id}`).toBe(customerId);
      expect(answered.status).toBe("active");
    }
    for (const customer of state.customers) {
      // As the dpo: a restricted profile's events are left out of everyone else's lists.
      const asDpo = { authorization: `Bearer ${dpoKeys.get(world.backend) ?? world.backend.adminKey}` };
      const listed = await send(world.backend, "GET", `/events?customerId=${customer.id}&limit=1000`, undefined, undefined, asDpo);
      expect(listed.status, listed.text).toBe(200);
      const ids = (listed.json as { data: EventRead[] }).data.map((event) => event.id).sort();
      expect(ids, `events of ${customer.id}`).toEqual(
        state.events
          .filter((event) => event.customerId === customer.id)
          .map((event) => event.id)
          .sort(),
      );
      for (const [path, schema] of [
        ["timeline", "Timeline"],
        ["purchases?period=month", "Purchases"],
        ["changelog?limit=1000", "ChangelogPage"],
        ["consents", "ConsentState"],
        ["consents/history?limit=1000", "ConsentRecordPage"],
        ["subscriptions", "CustomerSubscriptions"],
      ] as const) {
        const card = await send(world.backend, "GET", `/customers/${customer.id}/${path}`);
        expect(card.status, card.text).toBe(200);
        expectSchema(schema, card);
      }
    }
    for (const id of world.knownIds) {
      const answer = await send(world.backend, "GET", `/customers/${id}`);
      if (answer.status === 404) continue;
      expect(answer.status, answer.text).toBe(200);
      const survivor = answer.json as CustomerRead;
      expect(
        survivor.status,
        `${id} answers ${survivor.id}, which is ${survivor.status}: the mergedInto chain ends at no live customer`,
      ).toBe("active");
      expect(live.has(survivor.id), `${id} answers ${survivor.id}, which the list does not hold`).toBe(true);
    }
  }
  expect(world.errors, world.errors.join("\n").slice(0, 3000)).toEqual([]);
}

/** A stored profile holds what the API could have written: at most 1,000 identifiers, defined properties that fit, base fields that pass their schema. */
function checkProfile(customer: CustomerRead): void {
  const shown = JSON.stringify(customer).slice(0, 1500);
  expect(customer.identifiers.length, `${customer.id} holds more identifiers than a profile may (1,000)`).toBeLessThanOrEqual(1_000);
  for (const [name, value] of Object.entries(customer.properties)) {
    if (name === "tier") expect(["gold", "silver"], `properties.tier of ${shown}`).toContain(value);
    else if (name === "score") expect(typeof value === "number" && Number.isFinite(value), `properties.score of ${shown}`).toBe(true);
    else expect.fail(`properties.${name} is not a defined property: ${shown}`);
  }
  const base = Object.fromEntries(writableBaseFields.filter((field) => customer[field] != null).map((field) => [field, customer[field]]));
  const parsed = CustomerUpdate.safeParse(base);
  expect(parsed.success, `base fields ${JSON.stringify(parsed.error?.issues ?? []).slice(0, 600)} of ${shown}`).toBe(true);
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
  if (route.csv && isSuccess(answer.status) && /^text\/csv/.test(answer.headers.get("content-type") ?? "")) {
    // An export asked for as CSV: a header row and one row.
    expect(answer.text.split("\r\n").filter(Boolean).length, shown).toBeGreaterThanOrEqual(2);
    return;
  }
  expect(answer.headers.get("content-type"), shown).toMatch(/^application\/json/);
  expect(answer.parseError, shown).toBeUndefined();
  if (isSuccess(answer.status)) {
    expect(responseSchemas[route.response].safeParse(answer.json).success, shown).toBe(true);
    if (route.name === "batch") checkRejections(answer, shown);
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

/** Each rejected entry of a batch: a known 4xx code, and issue paths that name the item (`body.batch.3.userId`). */
function checkRejections(answer: Answer, shown: string): void {
  const { rejected } = answer.json as TrackingResult;
  const indexes = rejected.map((entry) => entry.index);
  expect(new Set(indexes).size, shown).toBe(indexes.length);
  for (const entry of rejected) {
    const definition = errorCodes[entry.code as keyof typeof errorCodes];
    expect(definition, `unknown code in a rejection: ${shown}`).toBeDefined();
    expect(definition.status, shown).toBeGreaterThanOrEqual(400);
    expect(definition.status, shown).toBeLessThan(500);
    for (const issue of entry.issues ?? []) expect(issue.path, shown).toMatch(new RegExp(`^body\\.batch\\.${entry.index}(\\.|$)`));
  }
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
  /** Tracking routes only: the admin's secret key (Bearer, the default), the write key by Basic, or the write key in the body. */
  auth?: "admin" | "basic" | "body";
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

/** Sorts every world accepts (its properties score and tier are defined). */
const validSorts = [
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
];
const sortSpec = fc.constantFrom(
  ...validSorts,
  "properties.nope",
  "traits.__proto__",
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

/** A cursor forged for the list it names: the right kind, any value, any id (its fingerprint, "0", is none a list issues). */
const forgedCursor = fc
  .record({
    sort: fc.option(sortSpec, { nil: undefined }),
    value: fc.oneof(
      hostileValue,
      hostileObject.map((text) => JSON.parse(text)),
    ),
    id: fc.oneof(fc.constantFrom(annId, bobId), randomCustomerId, hostileString),
  })
  .map(({ sort, value, id }) => ({ sort, cursor: base64url(JSON.stringify([`customers:${sort ?? "-createdAt"}`, "0", value, id])) }));

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
const validSort = fc.constantFrom(...validSorts);
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
  id: fc.oneof(fc.constantFrom(annId, bobId, catId), randomCustomerId),
  move: fc.boolean(),
  into: fc.oneof(fc.constantFrom(annId, bobId, catId), randomCustomerId),
  from: fc.array(fc.oneof(fc.constantFrom(annId, bobId, catId), randomCustomerId), { minLength: 1, maxLength: 3 }),
  force: fc.boolean(),
  period: fc.constantFrom("month", "year"),
  identity: fc.record(
    {
      types: fc.dictionary(
        fc.constantFrom("userId", "email", "phone", "anonymousId", "loyaltyCard", "custom_id", "constructor", "toString", "valueOf"),
        fc.option(fc.record({ unique: fc.boolean(), limit: fc.integer({ min: 1, max: 6 }), priority: fc.integer({ min: 1, max: 10 }) }), {
          nil: null,
        }),
        { maxKeys: 3 },
      ),
      blockedValues: fc.array(fc.constantFrom("shop-1", "ann@example.com", "anon-bob", "n/a", "x", "constructor"), { maxLength: 3 }),
    },
    { requiredKeys: [] },
  ),
  unknownEventTypes: fc.constantFrom("custom", "reject"),
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
  into: hostileString,
  from: fc.oneof(fc.constant([]), fc.array(fc.oneof(hostileString, fc.constantFrom(annId, bobId, catId)), { maxLength: 51 })),
  force: fc.constantFrom("true", 1, null),
  period: fc.constantFrom("week", "MONTH", "", "constructor"),
  identity: fc.oneof(
    fc.record(
      {
        types: fc.dictionary(
          fc.oneof(identifierType, fc.constantFrom("Email!", "__proto__", "1x")),
          fc.oneof(
            hostileValue,
            fc.record({ unique: fc.boolean(), limit: fc.constantFrom(0, 1001, 1.5, -1), priority: fc.constantFrom(0, 101, "1") }),
          ),
          { maxKeys: 3 },
        ),
        blockedValues: fc.oneof(fc.array(hostileString, { maxLength: 3 }), hostileValue),
      },
      { requiredKeys: [] },
    ),
    hostileValue,
  ),
  unknownEventTypes: fc.constantFrom("Custom", "drop", "", null),
};

// Events, event types and tracking: the same field names mean other things there (`type` is an
// event type or a message type, `properties` free-form), so each group has its own vocabulary.

const randomEventId = fc.array(fc.constantFrom(...crockford), { minLength: 26, maxLength: 26 }).map((chars) => `evt_${chars.join("")}`);
const customerIdValue = fc.oneof(fc.constantFrom(annId, bobId, catId), randomCustomerId);
/** Keys a tracker may send that the body parser lets through (it refuses `__proto__`; the schema refuses ""). */
const trackerKey = hostileKey.filter((key) => key !== "__proto__" && key !== "");
/** JSON values without `__proto__` keys: such bodies get past the parser into the domain. */
const plainValue: fc.Arbitrary<unknown> = fc.oneof(
  hostileString,
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.boolean(),
  fc.constant(null),
  fc.array(hostileString, { maxLength: 3 }),
  fc.dictionary(trackerKey, fc.oneof(hostileString, fc.integer(), fc.constant(null)), { maxKeys: 3 }),
);
const withExtras = (record: fc.Arbitrary<Record<string, unknown>>) =>
  fc
    .tuple(record, fc.array(fc.tuple(trackerKey, plainValue), { maxLength: 2 }))
    .map(([known, extra]) => ownObject([...Object.entries(known), ...extra]));

const eventName = fc.constantFrom(
  "Order Completed",
  "Order Refunded",
  "Order Cancelled",
  "Product Viewed",
  "Signed Up",
  "Gift Card Bought",
  " Order Completed ",
  "constructor",
  "toString",
  "hasOwnProperty",
  "Segment Consent Preference Updated",
);
const eventCategory = fc.constantFrom("ecommerce", "browsing", "custom", "retail", "constructor", "x_1");
const timestampValue = fc.constantFrom(
  "2026-02-20T12:00:00.000Z",
  "2026-03-01T10:00:00Z",
  "2025-03-03T00:00:00Z",
  "2024-12-30T23:59:59.999Z",
  "1970-01-01T00:00:00Z",
  "2027-01-01T00:00:00Z",
);
/** Segment's times are strings of at most 64 characters; what they hold is the tracker's business. */
const segmentTime = fc.constantFrom(
  "2026-02-28T10:00:00Z",
  "2026-03-01T09:59:00.000Z",
  "2026-03-01T10:00:00+02:00",
  "2025-03-01",
  "2027-01-01T00:00:00Z",
  "not a time",
  "",
  "1",
  "2026-02-30T00:00:00Z",
  "+010000-01-01T00:00:00.000Z",
  "+275760-09-13T00:00:00.000Z",
  "-271821-04-20T00:00:00.000Z",
);
const messageIdValue = fc.oneof(fc.constantFrom("m-1", "m-2", "m-ann-order"), fc.uuid());
const money = fc.oneof(
  fc.constantFrom("19.99", "0.10", "100", "-3", "1e3", "abc", " 5.5 ", "0.0000001", "99999999999999999999.99"),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.integer(),
);
const segmentProperties = withExtras(
  fc.record(
    {
      order_id: fc.oneof(fc.constantFrom("o-1", "o-2", "o-3"), fc.integer({ min: 1, max: 3 })),
      total: money,
      revenue: money,
      currency: fc.constantFrom("EUR", "usd", "constructor", "toString", ""),
      products: fc.array(
        fc.record(
          { product_id: fc.string({ maxLength: 5 }), quantity: fc.oneof(fc.integer({ min: -2, max: 5 }), fc.constant("2"), fc.double()) },
          {
            requiredKeys: [],
          },
        ),
        { maxLength: 3 },
      ),
      url: fc.constantFrom("https://shop.test/", "javascript:alert(1)"),
    },
    { requiredKeys: [] },
  ),
);
const segmentTraits = withExtras(
  fc.record(
    {
      email: fc.constantFrom("ann@example.com", "cat@example.com", "new@example.com", " BOB@Example.com ", "not-an-email", "none"),
      phone: fc.oneof(fc.constantFrom("+14155550100", "+4915112345678", "12345"), fc.constant(4155550100)),
      firstName: name,
      first_name: name,
      last_name: name,
      name: fc.constantFrom("Ann Lee", "  ", "Zoë"),
      birthday: fc.constantFrom("1990-01-31", "1990-01-31T00:00:00Z"),
      title: name,
      gender: fc.constantFrom("female", "x"),
      locale: fc.constantFrom("en-GB", "de"),
      timezone: fc.constantFrom("Europe/Berlin", "UTC"),
      address: fc.record(
        { street: name, city: name, postal_code: fc.constantFrom("10115", ""), state: name, country: fc.constantFrom("DE", "FR") },
        { requiredKeys: [] },
      ),
      company: fc.oneof(name, fc.record({ name })),
      tier: fc.constantFrom("gold", "silver"),
      score: fc.double({ noNaN: true, noDefaultInfinity: true }),
      plan: plainValue,
    },
    { requiredKeys: [] },
  ),
);
/** Traits a tracker may send whose values fit no field they name: tracking takes them, and the profile must stay valid. */
const misfitTraits = fc.record(
  {
    address: fc.record({ city: name, country: fc.constantFrom("Germany", "de") }, { requiredKeys: [] }),
    birthday: fc.constantFrom("not a date", "1990-02-30", "31/01/1990"),
    locale: fc.constantFrom("x", "de_DE_1996_extra_long_subtag"),
    timezone: fc.constantFrom("Mars/Olympus", "../etc"),
    firstName: fc.constant("a".repeat(300)),
    tier: fc.constantFrom("platinum", 1),
    score: fc.constantFrom("ten", true),
    email: fc.constant(`${"a".repeat(600)}@example.com`),
  },
  { requiredKeys: [] },
);
const trackedTraits = fc.oneof({ weight: 4, arbitrary: segmentTraits }, { weight: 1, arbitrary: misfitTraits });
const segmentContext = withExtras(
  fc.record(
    {
      traits: fc.record(
        { email: fc.constantFrom("bob@example.com", "new@example.com", "x"), phone: fc.constantFrom("+4915112345678") },
        {
          requiredKeys: [],
        },
      ),
      ip: fc.constant("203.0.113.7"),
      page: fc.record({ url: fc.constantFrom("https://shop.test/", "https://shop.test/cart") }),
      consent: fc.record({ categoryPreferences: fc.dictionary(fc.constantFrom("profiling", "marketing", "constructor"), fc.boolean()) }),
      library: fc.constant({ name: "analytics.js", version: "2.0.0" }),
    },
    { requiredKeys: [] },
  ),
);
const trackingId = fc.oneof(fc.constantFrom("shop-1", "shop-2", "u-1", "u-2", " shop-1 ", "anon-bob"), fc.integer({ min: 0, max: 20 }));
const anonymousIdValue = fc.oneof(fc.constantFrom("anon-bob", "anon-cat", "anon-1", "anon-2"), fc.uuid());
const previousIdValue = fc.oneof(fc.constantFrom("anon-bob", "anon-cat", "shop-1", "shop-2", "anon-new"), fc.integer({ min: 0, max: 20 }));

/** A message of the type that the schema accepts; its values may still be ones the domain refuses (blocked ids, skewed times). */
function segmentMessage(type: MessageType, withType: boolean): fc.Arbitrary<Record<string, unknown>> {
  const ids = fc.oneof(
    fc.record({ userId: trackingId }),
    fc.record({ anonymousId: anonymousIdValue }),
    fc.record({ userId: trackingId, anonymousId: anonymousIdValue }),
  );
  const common = fc.record(
    {
      messageId: messageIdValue,
      timestamp: segmentTime,
      sentAt: segmentTime,
      originalTimestamp: segmentTime,
      context: segmentContext,
      integrations: fc.constant({ All: true }),
    },
    { requiredKeys: [] },
  );
  const pageName = fc.oneof(name, fc.constant(null));
  const specific: fc.Arbitrary<Record<string, unknown>> = {
    identify: fc.record({ traits: trackedTraits }, { requiredKeys: [] }),
    track: fc.record({ event: eventName, properties: segmentProperties }, { requiredKeys: ["event"] }),
    page: fc.record({ name: pageName, category: pageName, properties: segmentProperties }, { requiredKeys: [] }),
    screen: fc.record({ name: pageName, properties: segmentProperties }, { requiredKeys: [] }),
    group: fc.record(
      { groupId: fc.oneof(fc.constantFrom("acme", "g-1"), fc.integer()), traits: trackedTraits },
      { requiredKeys: ["groupId"] },
    ),
    alias: fc.record({ previousId: previousIdValue, userId: trackingId }),
  }[type];
  return fc.tuple(ids, common, specific).map(([id, shared, own]) => ({ ...(withType ? { type } : {}), ...id, ...shared, ...own }));
}

/** A batch item: mostly a message that names its type, sometimes anything at all. */
const batchItemArbitrary: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...messageTypes).chain((type) => segmentMessage(type, true)) },
  { weight: 1, arbitrary: plainValue },
  {
    weight: 1,
    arbitrary: fc.record(
      {
        type: fc.constantFrom("track", "Track", "nope", ""),
        userId: fc.oneof(trackingId, plainValue),
        event: fc.oneof(eventName, plainValue),
      },
      { requiredKeys: [] },
    ),
  },
);

const forgedEventCursor = fc
  .record({
    value: fc.oneof(timestampValue, hostileValue),
    id: fc.oneof(fc.constantFrom(annEvent, bobEvent), randomEventId, hostileString),
  })
  .map(({ value, id }) => base64url(JSON.stringify(["events", "0", value, id])));
const forgedChangelogCursor = fc
  .record({ value: hostileValue, id: fc.oneof(hostileString, fc.constant("chg_00000000000000000000000000")) })
  .map(({ value, id }) => base64url(JSON.stringify(["changelog", "0", value, id])));

interface Vocabulary {
  valid: Record<string, fc.Arbitrary<unknown>>;
  edge: Record<string, fc.Arbitrary<unknown>>;
}

const wrongId = fc.oneof(
  fc.constantFrom("", "none", "null", "0", "[object Object]", "a".repeat(513)),
  fc.boolean(),
  fc.dictionary(fc.string(), fc.string()),
  fc.array(fc.string()),
);
const notAnObject = fc.oneof(
  fc.string({ maxLength: 5 }),
  fc.integer(),
  fc.boolean(),
  fc.array(fc.integer(), { maxLength: 2 }),
  fc.constant(null),
);

const eventVocabulary: Vocabulary = {
  valid: {
    ...valid,
    customerId: customerIdValue,
    type: eventName,
    category: eventCategory,
    timestamp: timestampValue,
    from: timestampValue,
    to: timestampValue,
    properties: segmentProperties,
    context: segmentContext,
    messageId: messageIdValue,
    q: fc.constantFrom("order", "o-1", "viewed", "eur", "p-", ""),
    cursor: forgedEventCursor,
    id: fc.oneof(fc.constantFrom(annEvent, bobEvent), randomEventId),
    name: fc.constantFrom("Gift Wrapped", "Order Completed", "constructor", " Padded ", "toString"),
    description: fc.string({ maxLength: 20 }),
  },
  edge: {
    ...edge,
    customerId: hostileString,
    type: fc.oneof(fc.constantFrom("", " ", "a".repeat(201)), plainValue),
    category: fc.constantFrom("Ecommerce", "__proto__", "", "a".repeat(65), "x-y", "1abc"),
    timestamp: fc.constantFrom("2026-02-30T00:00:00Z", "+275760-09-13T00:00:00.000Z", "2026-03-01T10:00:00+02:00", "", "now", "2026-03-01"),
    from: fc.constantFrom("2026-02-30T00:00:00Z", "yesterday", ""),
    to: fc.constantFrom("+275760-09-13T00:00:00.000Z", "2026-03-01", ""),
    properties: notAnObject,
    context: notAnObject,
    messageId: fc.oneof(fc.constantFrom("", "a".repeat(201)), fc.integer()),
    cursor: fc.oneof(cursor, forgedEventCursor),
    id: fc.oneof(hostileString, randomCustomerId),
    name: fc.oneof(fc.constantFrom("", " ", "a".repeat(201)), plainValue),
    description: fc.oneof(fc.constant("a".repeat(1001)), fc.integer()),
  },
};

const identityVocabulary: Vocabulary = {
  valid: { ...valid, cursor: forgedChangelogCursor },
  edge: { ...edge, cursor: fc.oneof(cursor, forgedChangelogCursor) },
};

function trackingVocabulary(route: RouteDefinition): Vocabulary {
  return {
    valid: {
      ...valid,
      type: fc.constant(route.name),
      messageId: messageIdValue,
      userId: trackingId,
      anonymousId: anonymousIdValue,
      timestamp: segmentTime,
      sentAt: segmentTime,
      originalTimestamp: segmentTime,
      context: segmentContext,
      integrations: fc.constant({ All: true }),
      writeKey: fc.constantFrom(writeKeyPlaceholder, "wk_forged"),
      traits: trackedTraits,
      event: eventName,
      properties: segmentProperties,
      name: fc.oneof(name, fc.constant(null)),
      category: fc.oneof(name, fc.constant(null)),
      groupId: fc.oneof(fc.constantFrom("acme", "g-1"), fc.integer()),
      previousId: previousIdValue,
      batch: fc.array(batchItemArbitrary, { minLength: 1, maxLength: 6 }),
    },
    edge: {
      ...edge,
      type: fc.constantFrom(...messageTypes, "Track", "nope", ""),
      messageId: fc.oneof(fc.constantFrom("", "a".repeat(201)), fc.integer()),
      userId: wrongId,
      anonymousId: wrongId,
      timestamp: fc.oneof(fc.integer(), fc.constant("a".repeat(65))),
      sentAt: fc.oneof(fc.integer(), fc.constant("a".repeat(65))),
      originalTimestamp: fc.oneof(fc.integer(), fc.constant("a".repeat(65))),
      context: notAnObject,
      integrations: notAnObject,
      writeKey: fc.oneof(fc.integer(), fc.constant(""), fc.constant(null)),
      traits: notAnObject,
      event: fc.oneof(fc.constantFrom("", " ", "a".repeat(201)), fc.integer(), fc.constant(null)),
      properties: notAnObject,
      name: fc.oneof(fc.constant("a".repeat(501)), fc.integer()),
      category: fc.oneof(fc.constant("a".repeat(501)), fc.integer()),
      groupId: fc.oneof(fc.constant(null), fc.boolean(), fc.constant({})),
      previousId: fc.oneof(fc.constant(null), fc.boolean(), fc.constant({})),
      batch: fc.oneof(fc.constant([]), fc.string({ maxLength: 5 }), fc.constant(null), fc.array(plainValue, { maxLength: 3 })),
    },
  };
}

function vocabularyOf(route: RouteDefinition): Vocabulary {
  if (route.auth === "tracking") return trackingVocabulary(route);
  if (privacyRoutes.includes(route) || /^customers\.(export|erase|restrict|unrestrict)$/.test(route.name)) return privacyVocabulary(route);
  if (eventRoutes.includes(route)) return eventVocabulary;
  if (route.name === "customers.changelog") return identityVocabulary;
  return { valid, edge };
}

const purposeIdValue = fc.constantFrom("marketing", "profiling", "softSpam", "thirdPartyTransfer", "personalisation", "constructor");
const consentFields = {
  purpose: purposeIdValue,
  decision: fc.constantFrom("granted", "denied"),
  active: fc.boolean(),
  disclaimer: fc.record({ version: fc.constantFrom("v1", "2026-01"), approvedAt: fc.constantFrom("2026-01-01T00:00:00.000Z") }),
  source: fc.constantFrom("web_form", "checkout", "import"),
  // The world's clock stands at 2026-03-01T10:00:04Z or later: now-ish, far past, and the future.
  collectedAt: fc.constantFrom(
    "2026-03-01T10:00:05.000Z",
    "2025-12-24T08:00:00.000Z",
    "2026-03-01T09:58:00.000Z",
    "2027-01-01T00:00:00.000Z",
  ),
  historicalImport: fc.boolean(),
  proof: fc.record(
    {
      ip: fc.constantFrom("203.0.113.7", "2001:db8::1"),
      userAgent: fc.constantFrom("Mozilla/5.0"),
      url: fc.constantFrom("https://shop.test/"),
    },
    { requiredKeys: [] },
  ),
  tcfString: fc.constantFrom("CPXxRfAPXxRfAAfKABENB-CgAAAAAAAAAAYgAAAAAAAA", " x "),
};
const contactValue = fc.constantFrom("ann@example.com", " ANN@example.com ", "bob@example.com", "+14155550100", "nobody@example.com", "x");

/** Consents, purposes, lists, subscriptions, suppressions and privacy requests: `kind`, `type` and `id` mean their own things there. */
function privacyVocabulary(route: RouteDefinition): Vocabulary {
  const lists = route.name === "lists.create";
  return {
    valid: {
      ...valid,
      ...consentFields,
      kind: lists ? fc.constantFrom("marketing", "transactional") : fc.constantFrom("decision", "limitation", "objection"),
      name,
      channel: fc.constantFrom("email", "sms", "push", "whatsapp"),
      doubleOptIn: fc.boolean(),
      description: name,
      value: contactValue,
      method: fc.constantFrom("web_form", "link", "double_opt_in"),
      listId: fc.oneof(fc.constant(listIdPlaceholder), fc.constant("lst_01HZZZZZZZZZZZZZZZZZZZZZZZ")),
      format: fc.constantFrom("json", "csv"),
      type: fc.constantFrom("access", "erasure", "restriction"),
      status: fc.constantFrom("pending", "completed"),
      consentMode: fc.subarray(["ad_storage", "analytics_storage", "ad_user_data", "ad_personalization"]),
      tcfPurposes: fc.array(fc.integer({ min: 1, max: 11 }), { maxLength: 4 }),
      ...(route.name === "purposes.define" ? { id: purposeIdValue } : {}),
    },
    edge: {
      ...edge,
      purpose: fc.constantFrom("", "1x", "__proto__", "a".repeat(65), "has space"),
      decision: fc.constantFrom("GRANTED", "yes", true, null),
      kind: fc.constantFrom("", "Limitation", "consent"),
      collectedAt: fc.constantFrom("2026-13-01T00:00:00Z", "yesterday", "2026-03-01T10:00:00+02:00"),
      proof: fc.record(
        { ip: fc.constantFrom("999.1.1.1", "localhost"), url: fc.constantFrom("javascript:alert(1)", "not a url") },
        { requiredKeys: [] },
      ),
      channel: fc.constantFrom("fax", "EMAIL", ""),
      value: fc.constantFrom("", "not-an-email", "0", "a".repeat(513)),
      format: fc.constantFrom("xml", "CSV", ""),
      tcfPurposes: fc.constantFrom([0], [12], [1.5], ["1"]),
      consentMode: fc.constantFrom(["ad_storage", "ad_storage"], ["cookies"], "ad_storage"),
    },
  };
}

/** Bodies that get past the schema and exercise the domain: what a well-meaning client sends for routes with rules across fields. */
function domainBody(route: RouteDefinition): fc.Arbitrary<Record<string, unknown>> | undefined {
  if (route.auth === "tracking") {
    if (route.name !== "batch") return segmentMessage(route.name as MessageType, false);
    return fc.record(
      { batch: fc.array(batchItemArbitrary, { minLength: 1, maxLength: 6 }), context: segmentContext, sentAt: segmentTime },
      { requiredKeys: ["batch"] },
    );
  }
  switch (route.name as RouteName) {
    case "events.create":
      return fc
        .tuple(
          fc.record(
            {
              type: eventName,
              category: eventCategory,
              timestamp: timestampValue,
              properties: segmentProperties,
              context: segmentContext,
              messageId: messageIdValue,
            },
            { requiredKeys: ["type"] },
          ),
          fc.oneof(fc.record({ customerId: customerIdValue }), fc.record({ identifiers: valid.identifiers as fc.Arbitrary<unknown[]> })),
        )
        .map(([event, owner]) => ({ ...event, ...owner }));
    case "customers.merge":
      return fc.record(
        {
          into: valid.into as fc.Arbitrary<unknown>,
          from: valid.from as fc.Arbitrary<unknown>,
          force: fc.boolean(),
          reason: valid.reason as fc.Arbitrary<unknown>,
        },
        {
          requiredKeys: ["into", "from"],
        },
      );
    case "consents.record":
      return fc.oneof(
        fc.record(
          {
            purpose: consentFields.purpose,
            decision: consentFields.decision,
            disclaimer: consentFields.disclaimer,
            source: consentFields.source,
            collectedAt: consentFields.collectedAt,
            historicalImport: consentFields.historicalImport,
            proof: consentFields.proof,
            tcfString: consentFields.tcfString,
          },
          { requiredKeys: ["purpose", "decision"] },
        ),
        fc.record({ kind: fc.constant("objection"), purpose: consentFields.purpose, active: fc.boolean(), source: consentFields.source }),
        fc.record({ kind: fc.constant("limitation"), active: fc.boolean() }),
      );
    case "subscriptions.subscribe":
    case "subscriptions.confirm":
    case "subscriptions.unsubscribe":
      return fc
        .record(
          { value: contactValue, method: fc.constantFrom("web_form", "link"), reason: fc.constantFrom("too many emails", "objection") },
          { requiredKeys: [] },
        )
        .map((body) => (route.name === "subscriptions.unsubscribe" ? body : { ...body, reason: undefined }));
    case "suppressions.create":
      return fc.record({
        channel: fc.constantFrom("email", "sms"),
        value: contactValue,
        reason: fc.constantFrom("hard bounce", "complaint"),
      });
    case "lists.create":
      return fc.record(
        {
          name,
          channel: fc.constantFrom("email", "sms", "push", "whatsapp"),
          kind: fc.constantFrom("marketing", "transactional"),
          doubleOptIn: fc.boolean(),
        },
        { requiredKeys: ["name", "channel", "kind"] },
      );
    case "purposes.define":
      return fc.record(
        {
          id: purposeIdValue,
          name,
          consentMode: fc.subarray(["ad_storage", "analytics_storage", "ad_user_data", "ad_personalization"]),
          tcfPurposes: fc.array(fc.integer({ min: 1, max: 11 }), { maxLength: 3 }),
        },
        { requiredKeys: ["id", "name"] },
      );
    case "identity.resolve":
      return fc.record({
        identifiers: fc.array(fc.record({ type: valid.type as fc.Arbitrary<string>, value: valid.value as fc.Arbitrary<string> }), {
          minLength: 1,
          maxLength: 4,
        }),
      });
    default:
      return undefined;
  }
}

const authArbitrary = fc.constantFrom<"admin" | "basic" | "body">("admin", "basic", "body");

function valueFor(vocabulary: Vocabulary, field: string): fc.Arbitrary<unknown> {
  const options: Array<fc.WeightedArbitrary<unknown>> = [{ weight: 1, arbitrary: hostileValue }];
  if (vocabulary.valid[field]) options.push({ weight: 6, arbitrary: vocabulary.valid[field] });
  if (vocabulary.edge[field]) options.push({ weight: 1, arbitrary: vocabulary.edge[field] });
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
      '{"userId":"shop-1","event":"Order Completed","properties":{"__proto__":{"polluted":true}}}',
      '{"userId":"shop-1","traits":{"constructor":{"prototype":{"polluted":true}},"toString":"x"}}',
      '{"userId":{"toString":"shop-1"},"anonymousId":["anon-bob"],"event":{"valueOf":1}}',
      '{"batch":[{"type":"track","userId":"shop-1","event":"X","context":{"__proto__":{"polluted":true}}}]}',
      '{"batch":[{"type":"__proto__"},{"type":"constructor","userId":"u"},{"type":"toString","userId":"u"}]}',
      '{"identity":{"types":{"constructor":{"unique":false,"limit":1,"priority":1}}},"unknownEventTypes":"reject"}',
      '{"into":"@ANN_ID@","from":["@ANN_ID@","@CAT_ID@","@BOB_ID@"],"force":true}',
      '{"customerId":"@CAT_ID@","type":"constructor","category":"constructor"}',
    ),
    fc
      .record({ field: fc.constantFrom(...fields, "__proto__", "constructor"), value: hostileObject })
      .map(({ field, value }) => `{${JSON.stringify(field)}:${value}}`),
  );
}

/** A few of the fields, each with a value of the right shape: such bodies get past the schema into the domain. */
function validRecord(vocabulary: Vocabulary, fields: string[]): fc.Arbitrary<Record<string, unknown>> {
  return fc
    .subarray(fields, { maxLength: Math.min(4, fields.length) })
    .chain((chosen) => fc.record(Object.fromEntries(chosen.map((field) => [field, vocabulary.valid[field] ?? hostileValue]))));
}

/** Any of the fields, each of the right shape or not. */
function mixedRecord(vocabulary: Vocabulary, fields: string[]): fc.Arbitrary<Record<string, unknown>> {
  return fc.record(Object.fromEntries(fields.map((field) => [field, valueFor(vocabulary, field)])), { requiredKeys: [] });
}

function bodyArbitrary(route: RouteDefinition): fc.Arbitrary<string> {
  const vocabulary = vocabularyOf(route);
  const fields = fieldsOf(route.body);
  const unknownField = fc.oneof(
    { weight: 6, arbitrary: fc.constant(undefined) },
    { weight: 1, arbitrary: fc.tuple(hostileKey, hostileValue) },
  );
  const mixed = fc
    .tuple(mixedRecord(vocabulary, fields), unknownField)
    .map(([body, extra]) => JSON.stringify(ownObject([...Object.entries(body), ...(extra ? [extra] : [])])));
  const options: Array<fc.WeightedArbitrary<string>> = [
    { weight: 6, arbitrary: validRecord(vocabulary, fields).map((body) => JSON.stringify(body)) },
    { weight: 4, arbitrary: mixed },
    { weight: 1, arbitrary: fc.anything({ maxDepth: 3 }).map((value) => JSON.stringify(value) ?? "undefined") },
    { weight: 1, arbitrary: fc.object({ maxDepth: 3 }).map((value) => JSON.stringify(value)) },
    { weight: 2, arbitrary: hostileJson(fields) },
    { weight: 1, arbitrary: deepJson(fields) },
    { weight: 1, arbitrary: fc.oneof(fc.string({ maxLength: 30 }), fc.constantFrom("", " ", "null", "[]", "{", '{"a":1}}', "\uFEFF{}")) },
  ];
  const domain = domainBody(route);
  if (domain) options.push({ weight: 8, arbitrary: domain.map((body) => JSON.stringify(body)) });
  if (fields.includes("cursor")) {
    // A cursor forged for the very sort the body asks for reaches the store's keyset code.
    const forged = fc
      .tuple(
        validRecord(
          vocabulary,
          fields.filter((field) => field !== "sort" && field !== "cursor"),
        ),
        forgedCursor,
      )
      .map(([body, { sort, cursor }]) => JSON.stringify({ ...body, cursor, ...(sort === undefined ? {} : { sort }) }));
    options.push({ weight: 2, arbitrary: forged });
  }
  return fc.oneof(...options);
}

function queryArbitrary(route: RouteDefinition): fc.Arbitrary<string> {
  const vocabulary = vocabularyOf(route);
  const fields = fieldsOf(route.query);
  const asText = (value: unknown) => (typeof value === "string" ? value : (JSON.stringify(value) ?? ""));
  const toQuery = (query: Record<string, unknown>) =>
    new URLSearchParams(Object.entries(query).map(([name, value]) => [name, asText(value)])).toString();
  const validQuery = fc
    .record(Object.fromEntries(fields.map((field) => [field, vocabulary.valid[field] ?? hostileString])), { requiredKeys: [] })
    .map(toQuery);
  const structured = fc
    .record(Object.fromEntries(fields.map((field) => [field, valueFor(vocabulary, field)])), { requiredKeys: [] })
    .map(toQuery);
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
        "customerId=%40CAT_ID%40",
        "customerId=constructor",
        "from=2026-03-01T10%3A00%3A00Z&to=2026-01-01T00%3A00%3A00Z",
        "category=constructor",
        "period=constructor",
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
  if (fields.includes("cursor") && fields.includes("sort")) {
    const forged = forgedCursor.map(({ sort, cursor }) =>
      new URLSearchParams({ ...(sort === undefined ? {} : { sort }), cursor }).toString(),
    );
    options.push({ weight: 2, arbitrary: forged });
  }
  return fc.oneof(...options);
}

/**
 * The route a request reaches: an empty last path segment (or `.`, which URLs resolve away) leaves a
 * trailing slash, which the backend serves as the path without it (`GET /customers/` is the customer list).
 */
function servedRoute(route: RouteDefinition, request: { params?: Record<string, { value: string }> }): RouteDefinition {
  const last = /\/\{(\w+)\}$/.exec(route.path);
  const value = request.params?.[last?.[1] as string]?.value ?? "";
  if (!last || !["", ".", "%2e", "%2E"].includes(value)) return route;
  const parent = route.path.slice(0, last.index);
  return table.find((other) => other.method === route.method && other.path === parent) ?? route;
}

/** A path segment named `name`: a value of the right shape, hostile text (escaped), or a broken escape (raw). */
/**
 * A dot segment (`.`, `..`, `%2e%2e` …) is resolved by the URL itself (WHATWG URL), so it names another
 * route (`…/identifiers/userId/..` is the customer): no server sees it, and the SDK refuses one (`buildPath`).
 */
const isDotSegment = (value: string) => /^(\.|%2e){1,2}$/i.test(value);

function pathParam(vocabulary: Vocabulary, name: string): fc.Arbitrary<{ value: string; raw: boolean }> {
  const text = (value: unknown) => (typeof value === "string" ? value : String(value));
  return fc
    .oneof(
      { weight: 6, arbitrary: (vocabulary.valid[name] ?? hostileString).map((value) => ({ value: text(value), raw: false })) },
      { weight: 2, arbitrary: fc.oneof(randomCustomerId, randomEventId).map((value) => ({ value, raw: false })) },
      { weight: 3, arbitrary: hostileString.map((value) => ({ value, raw: false })) },
      {
        weight: 1,
        arbitrary: fc.constantFrom("%", "%ZZ", "%ED%A0%80", "a%2Fb", "%00", "%C0%AF", "").map((value) => ({ value, raw: true })),
      },
    )
    .filter(({ value }) => !isDotSegment(value));
}

const contentTypeArbitrary = fc.oneof(
  { weight: 12, arbitrary: fc.constant("application/json") },
  {
    weight: 2,
    arbitrary: fc.constantFrom(
      "text/plain",
      "text/plain;charset=UTF-8",
      "application/json; charset=utf-8",
      "application/vnd.api+json",
      "application/xml",
      "application/x-www-form-urlencoded",
      "multipart/form-data; boundary=x",
      "",
    ),
  },
);

function requestArbitrary(route: RouteDefinition): fc.Arbitrary<FuzzRequest> {
  const vocabulary = vocabularyOf(route);
  const params = fieldsOf(route.params);
  const parts: { [K in keyof FuzzRequest]-?: fc.Arbitrary<FuzzRequest[K]> } = {
    params: fc.record(Object.fromEntries(params.map((name) => [name, pathParam(vocabulary, name)]))),
    query: route.query ? fc.option(queryArbitrary(route), { nil: undefined, freq: 5 }) : fc.constant(undefined),
    body: route.body ? bodyArbitrary(route) : fc.constant(undefined),
    contentType: contentTypeArbitrary,
    auth: route.auth === "tracking" ? authArbitrary : fc.constant("admin"),
  };
  return fc.record(parts) as fc.Arbitrary<FuzzRequest>;
}

/** A request of the right shape throughout (the domain may still refuse it): the steps of a sequence. */
function validRequest(route: RouteDefinition): fc.Arbitrary<FuzzRequest> {
  const vocabulary = vocabularyOf(route);
  const text = (value: unknown) => (typeof value === "string" ? value : String(value));
  const params = fc.record(
    Object.fromEntries(
      fieldsOf(route.params).map((name) => [
        name,
        (vocabulary.valid[name] ?? hostileString).map((value) => ({ value: text(value), raw: false })),
      ]),
    ),
  );
  const body = route.body
    ? (domainBody(route) ?? validRecord(vocabulary, fieldsOf(route.body))).map((value) => JSON.stringify(value))
    : fc.constant(undefined);
  return fc.record({
    params,
    body,
    auth: route.auth === "tracking" ? authArbitrary : fc.constant<"admin">("admin"),
  }) as fc.Arbitrary<FuzzRequest>;
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

// Tracking, field by field and byte by byte.

/** Per field, values of the wrong type (or length) for it, as the schema of each message type sees them. */
const wrongValues: Record<string, unknown[]> = {
  userId: [true, {}, [], { id: 1 }, ["u-1"], "a".repeat(513)],
  anonymousId: [true, {}, [], ["anon-1"], "a".repeat(513)],
  traits: ["gold", 5, true, [], ["a"], null],
  properties: ["gold", 5, false, [1, 2], null],
  event: [5, true, null, {}, [], "", "a".repeat(201)],
  context: ["web", 5, [], null],
  messageId: [5, "", null, {}, "a".repeat(201)],
  timestamp: [5, {}, [], "a".repeat(65)],
  groupId: [null, true, {}, []],
  previousId: [null, true, {}, []],
  name: [5, {}, [], "a".repeat(501)],
};

/** A valid message of the type with exactly one field set to a value of the wrong type. */
function wrongField(type: MessageType): fc.Arbitrary<{ message: Record<string, unknown>; field: string }> {
  const fields = Object.keys(wrongValues).filter((field) => fieldsOf(trackingMessageSchema(type)).includes(field));
  return fc
    .tuple(segmentMessage(type, false), fc.constantFrom(...fields))
    .chain(([message, field]) =>
      fc.constantFrom(...(wrongValues[field] as unknown[])).map((value) => ({ message: { ...message, [field]: value }, field })),
    );
}

function trackingMessageSchema(type: MessageType): RouteDefinition["body"] {
  return routes[type].body;
}

/** Puts `key` as an own key of the object at `place` (dotted, or the root), creating objects on the way. */
function withOwnKeyAt(message: Record<string, unknown>, place: string, key: string, value: unknown): Record<string, unknown> {
  const copy = JSON.parse(JSON.stringify(message)) as Record<string, unknown>;
  let target = copy;
  if (place !== "(root)") {
    for (const part of place.split(".")) {
      const next = target[part];
      if (next === null || typeof next !== "object" || Array.isArray(next)) target[part] = {};
      target = target[part] as Record<string, unknown>;
    }
  }
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  return copy;
}

type JsonForm = "compact" | "pretty" | "escaped";

/** The message as sent: compact, pretty-printed, or with every non-ASCII character as a `\u` escape (all the same JSON). */
function encodeJson(message: unknown, form: JsonForm): string {
  if (form === "pretty") return JSON.stringify(message, null, 2);
  const compact = JSON.stringify(message);
  if (form === "compact") return compact;
  return compact.replace(/[\u0080-\uffff]/g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

function utf8Bytes(text: string): number {
  return new TextEncoder().encode(text).byteLength;
}

/** A valid message of the type whose padding brings JSON.stringify(message) near 32 KiB (or far past it). */
/** Padding, each unit with what it costs in JSON.stringify's UTF-8 bytes. */
const paddingUnits = [
  ["a", 1],
  ["é", 2],
  ["😀", 4],
  ['"', 2],
  ["\n", 2],
  ["\u0001", 6],
  ["\u2028", 3],
] as const;

/** How big a message to send and how: a size near 32 KiB (or far past it), a padding unit, a form of JSON. */
const sizeSpec = fc.record({
  bytes: fc.oneof(
    { weight: 4, arbitrary: fc.integer({ min: 32_200, max: 33_300 }) },
    { weight: 1, arbitrary: fc.integer({ min: 0, max: 400_000 }) },
  ),
  unit: fc.integer({ min: 0, max: paddingUnits.length - 1 }),
  form: fc.constantFrom<JsonForm>("compact", "pretty", "escaped"),
});

/** A valid message of the type whose padding brings JSON.stringify(message) to about `bytes`. */
function sizedMessage(type: MessageType, spec: { bytes: number; unit: number }): Record<string, unknown> {
  const [unit, cost] = paddingUnits[spec.unit] ?? paddingUnits[0];
  const blob = unit.repeat(Math.floor(spec.bytes / cost));
  const padded: Record<MessageType, Record<string, unknown>> = {
    identify: { traits: { plan: "gold", blob } },
    track: { event: "Product Viewed", properties: { product_id: "p-1", blob } },
    page: { name: "Home", properties: { blob } },
    screen: { name: "Cart", properties: { blob } },
    group: { groupId: "acme", traits: { blob } },
    alias: { previousId: "anon-sized", context: { blob } },
  };
  return { userId: "sized-user", messageId: "m-sized", ...padded[type] };
}

interface BatchItem {
  message: unknown;
  valid: boolean;
  oversized?: boolean;
  /** For a valid item: that it took effect. */
  check(world: World, index: number): Promise<void>;
}

const noCheck = async () => {};

/** An item that every workspace refuses, whatever it holds: its index must be in `rejected`. */
const invalidItem: fc.Arbitrary<BatchItem> = fc
  .oneof(
    fc.constantFrom<unknown>(5, "track", null, [], true, { userId: "x", event: "No Type" }, { type: "nope", userId: "x" }),
    fc.constantFrom<unknown>(
      { type: "track", userId: {}, event: "X" },
      { type: "track", userId: "x", event: 5 },
      { type: "track", userId: "x", event: "" },
      { type: "identify", userId: "x", traits: "gold" },
      { type: "track", userId: "x", event: "X", properties: [1] },
      { type: "identify", anonymousId: true },
      { type: "page", userId: "x", context: "web" },
      { type: "track", event: "X" },
      { type: "alias", previousId: "p" },
      { type: "group", userId: "x" },
      { type: "track", userId: "none", event: "X" },
      { type: "identify", userId: "null", anonymousId: "undefined" },
      { type: "screen", anonymousId: "[object Object]", userId: "00-00" },
    ),
    fc.constantFrom(...messageTypes).chain((type) => wrongField(type).map(({ message }) => ({ type, ...message }))),
  )
  .map((message) => ({ message, valid: false, check: noCheck }));

const oversizedItem: fc.Arbitrary<BatchItem> = fc.integer({ min: 0, max: 999 }).map((seed) => ({
  message: { type: "track", userId: `big-${seed}`, event: "Product Viewed", properties: { blob: "a".repeat(messageBytes + 1) } },
  valid: false,
  oversized: true,
  check: noCheck,
}));

/** An item every workspace accepts, on an identity of its own (so items never merge), with a way to see that it took effect. */
const validItem: fc.Arbitrary<BatchItem> = fc
  .record({
    type: fc.constantFrom(...messageTypes),
    numeric: fc.boolean(),
    properties: withExtras(fc.record({ order_id: fc.constantFrom("o-9"), total: money }, { requiredKeys: [] })),
    traits: withExtras(fc.record({ firstName: fc.constantFrom("Ann", "Zoë"), plan: plainValue }, { requiredKeys: [] })),
    event: fc.constantFrom("Order Completed", "Product Viewed", "Gift Card Bought", "constructor"),
  })
  .map(({ type, numeric, properties, traits, event }) => {
    const placeholder = "@INDEX@";
    const message: Record<string, unknown> = { type, userId: numeric ? `#${placeholder}` : `batch-${placeholder}` };
    if (type === "identify" || type === "group") message.traits = traits;
    if (type === "group") message.groupId = "acme";
    if (type === "track") Object.assign(message, { event, properties });
    if (type === "page" || type === "screen") Object.assign(message, { name: "Home", properties });
    if (type === "alias") message.previousId = `batch-anon-${placeholder}`;
    const expected = { track: event, page: "Page Viewed", screen: "Screen Viewed" }[type as string];
    return {
      message,
      valid: true,
      check: async (world: World, index: number) => {
        const userId = String((message.userId as string).startsWith("#") ? 100_000 + index : `batch-${index}`);
        const holder = await world.send(routes["customers.lookup"], { query: `type=userId&value=${userId}` });
        expect(holder.status, `item ${index} (${type}) left no profile: ${holder.text}`).toBe(200);
        const { id } = holder.json as { id: string };
        const events = await world.send(routes["events.list"], { query: `customerId=${id}` });
        const types = (events.json as { data: EventRead[] }).data.map((event) => event.type);
        expect(types, `events of item ${index} (${type})`).toEqual(expected ? [expected.trim()] : []);
        if (type === "alias") {
          const previous = await world.send(routes["customers.lookup"], { query: `type=anonymousId&value=batch-anon-${index}` });
          expect(previous.json, `item ${index} (alias)`).toMatchObject({ id });
        }
      },
    };
  });

/** Valid and invalid items mixed (at most two oversized, so the body stays under 500 KiB); placeholders take each item's index. */
const mixedBatch: fc.Arbitrary<BatchItem[]> = fc
  .tuple(
    fc.array(fc.oneof({ weight: 3, arbitrary: validItem }, { weight: 2, arbitrary: invalidItem }), { minLength: 1, maxLength: 12 }),
    fc.array(oversizedItem, { maxLength: 2 }),
    fc.infiniteStream(fc.nat()),
  )
  .map(([items, oversized, positions]) => {
    const all = [...items];
    for (const item of oversized) all.splice((positions.next().value as number) % (all.length + 1), 0, item);
    return all.map((item, index) => ({
      ...item,
      message: JSON.parse(
        JSON.stringify(item.message ?? null)
          .replaceAll('"#@INDEX@"', String(100_000 + index))
          .replaceAll("@INDEX@", String(index)),
      ) as unknown,
    }));
  });

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
