/**
 * Property test of identity resolution (DESIGN.md §4): random interleavings of identify, track and
 * alias messages over a small alphabet (so that profiles collide and merge often), sent to the
 * tracking routes with the write key as HTTP Basic user name. Messages sometimes carry a mobile
 * library's `context.device.id` (deviceId) and `context.device.token` (pushToken); each run starts
 * from the default limits or lowers those two types' (deviceId 1 or 2, pushToken 1 or 2), so that
 * their limits are reached. After every message the invariants are read back through the public API
 * with the admin key:
 *
 * - every message is answered 200 `{ accepted: 1 }`, or 422 `no_identifier` when each of its
 *   identifiers is blocked or invalid;
 * - each identifier is held by at most one live profile, and the lookup index agrees with the profiles;
 * - no profile holds more values of a type than its limit, as the workspace's settings say;
 * - every userId and anonymousId ever accepted is still held by a live profile (a dropped anonymousId
 *   moves, a userId is never dropped);
 * - every identifier once held is still held by a live profile (nothing here removes one), and only
 *   an anonymousId or a deviceId changes hands between live profiles (a dropped one moves; any other
 *   stays where it is);
 * - every usable identifier of an accepted message is afterwards held by a live profile, or an ID
 *   changelog line says it was dropped (never a silent drop);
 * - identify's traits land on the profile the message resolved to;
 * - every event belongs to a live profile, and there is one event per accepted track message;
 * - a profile once seen never disappears: a merged id answers its (older) live survivor;
 * - a message sent again with the same messageId gets the same answer and changes nothing.
 *
 * 200 runs by default (`IDENTITY_RUNS=2000` for a deeper search); fast-check prints the seed and path
 * of a failure, and `IDENTITY_SEED=<seed>` replays a run.
 */
import { type Backend, createBackend } from "@cdp/backend";
import fc from "fast-check";
import { describe, expect, it } from "vitest";

const origin = "http://cdp.test";
const runs = Math.max(200, Number(process.env.IDENTITY_RUNS ?? 200) || 200);
const seed = process.env.IDENTITY_SEED === undefined ? undefined : Number(process.env.IDENTITY_SEED);

const userIds = ["u1", "u2", "u3"];
const anonymousIds = ["a1", "a2", "a3", "a4"];
const emails = ["e1@x.com", "e2@x.com", "e3@x.com"];
/** Placeholders tracking code sends when it has no id: they must never identify anyone. */
const blockedIds: Array<string | number> = ["anonymous", "0", "null", " Guest ", 0, "--"];
/** A mobile library's install id and push token (`context.device.id`, `.token`). */
const deviceIds = ["d1", "d2", "d3"];
const pushTokens = ["t1", "t2", "t3"];
/** The types a dropped value of which moves to the profile the message resolves to (DESIGN §4); any other stays. */
const movableTypes = ["anonymousId", "deviceId"];

// ---------------------------------------------------------------------------------------------
// Messages
// ---------------------------------------------------------------------------------------------

type Id = string | number;
/** What `context.device` carries, when the message comes from a mobile library. */
interface Device {
  deviceId?: Id;
  pushToken?: Id;
}
type Step =
  | ({ kind: "identify"; userId?: Id; anonymousId?: Id; email?: string; firstName: string } & Device)
  | ({ kind: "track"; userId?: Id; anonymousId?: Id; email?: string } & Device)
  | ({ kind: "alias"; previousId: Id; userId: Id } & Device)
  /** Sends an earlier message again, same messageId: accepted, and nothing changes. */
  | { kind: "replay"; of: number };

const userIdArb: fc.Arbitrary<Id> = fc.oneof(
  { weight: 5, arbitrary: fc.constantFrom(...userIds) },
  { weight: 1, arbitrary: fc.constantFrom(...blockedIds) },
);
const anonymousIdArb: fc.Arbitrary<Id> = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...anonymousIds) },
  { weight: 1, arbitrary: fc.constantFrom(...blockedIds) },
);
/** Emails as clients send them: other case and spacing (the same identifier), invalid or blocked (dropped). */
const emailArb: fc.Arbitrary<string> = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...emails) },
  { weight: 2, arbitrary: fc.constantFrom(...emails).map((email) => ` ${email.toUpperCase()} `) },
  { weight: 1, arbitrary: fc.constantFrom("not-an-email", "email", "") },
);

/** Device ids and push tokens as a mobile library sends them: padded, blocked (an all-zeros id), or a number. */
const deviceIdArb: fc.Arbitrary<Id> = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...deviceIds) },
  { weight: 1, arbitrary: fc.constantFrom(...deviceIds).map((id) => ` ${id} `) },
  { weight: 1, arbitrary: fc.constantFrom<Id>(...blockedIds, "00000000-0000-0000-0000-000000000000") },
);
const pushTokenArb: fc.Arbitrary<Id> = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...pushTokens) },
  { weight: 1, arbitrary: fc.constantFrom(...blockedIds) },
);
/** Most messages come from browsers and servers (no device); some from an app, with its device id, its push token or both. */
const deviceArb: fc.Arbitrary<Device> = fc.oneof(
  { weight: 5, arbitrary: fc.constant({}) },
  { weight: 2, arbitrary: fc.record({ deviceId: deviceIdArb }) },
  { weight: 1, arbitrary: fc.record({ pushToken: pushTokenArb }) },
  { weight: 2, arbitrary: fc.record({ deviceId: deviceIdArb, pushToken: pushTokenArb }) },
);

/** identify and track need a userId or an anonymousId (possibly blocked) to pass the schema; most traffic is anonymous. */
const idsArb: fc.Arbitrary<{ userId?: Id; anonymousId?: Id }> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ anonymousId: anonymousIdArb }) },
  { weight: 1, arbitrary: fc.record({ userId: userIdArb }) },
  { weight: 2, arbitrary: fc.record({ userId: userIdArb, anonymousId: anonymousIdArb }) },
);

const stepArb: fc.Arbitrary<Step> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc
      .record({
        ids: idsArb,
        email: fc.option(emailArb, { nil: undefined }),
        firstName: fc.constantFrom("Ada", "Bea", "Cy", "Dee"),
        device: deviceArb,
      })
      .map(({ ids, email, firstName, device }) => ({ kind: "identify" as const, ...definedOnly({ ...ids, email }), ...device, firstName })),
  },
  {
    weight: 4,
    arbitrary: fc
      .record({ ids: idsArb, email: fc.option(emailArb, { nil: undefined }), device: deviceArb })
      .map(({ ids, email, device }) => ({ kind: "track" as const, ...definedOnly({ ...ids, email }), ...device })),
  },
  {
    weight: 2,
    arbitrary: fc
      .record({ previousId: fc.oneof(anonymousIdArb, userIdArb), userId: userIdArb, device: deviceArb })
      .map(({ previousId, userId, device }) => ({ kind: "alias" as const, previousId, userId, ...device })),
  },
  { weight: 1, arbitrary: fc.nat(100).map((of) => ({ kind: "replay" as const, of })) },
);

function definedOnly<T extends Record<string, unknown>>(record: T): Partial<T> {
  return Object.fromEntries(Object.entries(record).filter(([, value]) => value !== undefined)) as Partial<T>;
}

function toMessage(step: Exclude<Step, { kind: "replay" }>, index: number): { path: string; body: Record<string, unknown> } {
  const messageId = `m-${index}`;
  const ids = (s: { userId?: Id; anonymousId?: Id }) => definedOnly({ messageId, userId: s.userId, anonymousId: s.anonymousId });
  const device = definedOnly({ id: step.deviceId, token: step.pushToken });
  const context = definedOnly({
    device: Object.keys(device).length > 0 ? device : undefined,
    traits: step.kind === "track" && step.email !== undefined ? { email: step.email } : undefined,
  });
  const withContext = Object.keys(context).length > 0 ? { context } : {};
  if (step.kind === "identify") {
    return {
      path: "/v1/identify",
      body: { ...ids(step), traits: { firstName: step.firstName, ...definedOnly({ email: step.email }) }, ...withContext },
    };
  }
  if (step.kind === "track") {
    return { path: "/v1/track", body: { ...ids(step), event: "Product Viewed", properties: { product_id: `p-${index}` }, ...withContext } };
  }
  return { path: "/v1/alias", body: { messageId, previousId: step.previousId, userId: step.userId, ...withContext } };
}

// ---------------------------------------------------------------------------------------------
// What the test knows without asking the backend: which values are usable identifiers.
// ---------------------------------------------------------------------------------------------

const usable = (value: Id | undefined): string | undefined => {
  if (value === undefined) return undefined;
  const text = String(value).trim();
  return [...userIds, ...anonymousIds].includes(text) ? text : undefined;
};
const usableOf =
  (alphabet: string[]) =>
  (value: Id | undefined): string | undefined => {
    const text = value === undefined ? undefined : String(value).trim();
    return text !== undefined && alphabet.includes(text) ? text : undefined;
  };
const usableDeviceId = usableOf(deviceIds);
const usablePushToken = usableOf(pushTokens);
const usableEmail = (value: string | undefined): string | undefined => {
  const email = value?.trim().toLowerCase();
  return email !== undefined && emails.includes(email) ? email : undefined;
};

// ---------------------------------------------------------------------------------------------
// The API, as the admin and the tracker see it
// ---------------------------------------------------------------------------------------------

interface Identifier {
  type: string;
  value: string;
}
interface Customer {
  id: string;
  status: string;
  createdAt: string;
  firstName: string | null;
  identifiers: Identifier[];
}
interface Event {
  id: string;
  customerId: string;
}
interface Identities {
  changelog: Array<Identifier & { action: string }>;
}
interface Settings {
  identity: { types: Record<string, { limit: number }> };
}

class Api {
  constructor(private readonly backend: Backend) {}

  async call(
    method: string,
    path: string,
    init: { body?: unknown; auth: string },
  ): Promise<{ status: number; json: unknown; text: string }> {
    const response = await this.backend.fetch(`${origin}${path}`, {
      method,
      headers: { authorization: init.auth, ...(init.body === undefined ? {} : { "content-type": "application/json" }) },
      ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
    });
    const text = await response.text();
    return { status: response.status, json: text ? JSON.parse(text) : undefined, text };
  }

  track(path: string, body: unknown) {
    return this.call("POST", path, { body, auth: `Basic ${btoa(`${this.backend.writeKey}:`)}` });
  }

  async patch<T>(path: string, body: unknown): Promise<{ status: number; json: T; text: string }> {
    const answer = await this.call("PATCH", path, { body, auth: `Bearer ${this.backend.adminKey}` });
    return answer as { status: number; json: T; text: string };
  }

  async get<T>(path: string): Promise<{ status: number; json: T; text: string }> {
    const answer = await this.call("GET", path, { auth: `Bearer ${this.backend.adminKey}` });
    return answer as { status: number; json: T; text: string };
  }

  /** Every item of a list, following `nextCursor`. */
  async all<T>(path: string): Promise<T[]> {
    const items: T[] = [];
    let cursor: string | null = null;
    do {
      const separator = path.includes("?") ? "&" : "?";
      const page: { status: number; json: { data: T[]; nextCursor: string | null }; text: string } = await this.get(
        `${path}${separator}limit=1000${cursor === null ? "" : `&cursor=${encodeURIComponent(cursor)}`}`,
      );
      expect(page.status, page.text).toBe(200);
      items.push(...page.json.data);
      cursor = page.json.nextCursor;
    } while (cursor !== null);
    return items;
  }
}

// ---------------------------------------------------------------------------------------------
// The property
// ---------------------------------------------------------------------------------------------

/** What the test remembers across steps. */
interface Memory {
  /** Every customer id ever listed, with its createdAt: none may vanish (nothing is deleted here). */
  seen: Map<string, string>;
  /** userId and anonymousId values accepted so far, as `type:value`. */
  sent: Set<string>;
  /** Who held what at the last check, as `type:value` → customer id. */
  holders: Map<string, string>;
  tracked: number;
  /** Each type's limit, as the workspace's settings say. */
  limits: Record<string, number>;
}

async function checkInvariants(api: Api, memory: Memory, context: string): Promise<{ live: Set<string>; snapshot: string }> {
  const customers = await api.all<Customer>("/v1/customers");
  const live = new Map(customers.map((customer) => [customer.id, customer]));
  const holders = new Map<string, string>();
  for (const customer of customers) {
    expect(customer.status, `${context}: the list shows only live profiles`).toBe("active");
    if (!memory.seen.has(customer.id)) memory.seen.set(customer.id, customer.createdAt);
    const counts = new Map<string, number>();
    for (const { type, value } of customer.identifiers) {
      const key = `${type}:${value}`;
      const other = holders.get(key);
      expect(other, `${context}: ${key} is held by ${other} and by ${customer.id}`).toBeUndefined();
      holders.set(key, customer.id);
      counts.set(type, (counts.get(type) ?? 0) + 1);
    }
    for (const [type, count] of counts) {
      const limit = memory.limits[type];
      expect(limit, `${context}: the settings name ${type}'s limit`).toBeDefined();
      expect(count, `${context}: ${customer.id} holds ${count} ${type} values (limit ${limit})`).toBeLessThanOrEqual(limit ?? 0);
    }
  }

  // The lookup index agrees with the profiles, for every value of the alphabet.
  const candidates = [
    ...userIds.map((value) => ({ type: "userId", value })),
    ...[...anonymousIds, ...userIds].map((value) => ({ type: "anonymousId", value })),
    ...emails.map((value) => ({ type: "email", value })),
    ...deviceIds.map((value) => ({ type: "deviceId", value })),
    ...pushTokens.map((value) => ({ type: "pushToken", value })),
  ];
  for (const { type, value } of candidates) {
    const key = `${type}:${value}`;
    const answer = await api.get<Customer>(`/v1/customers/lookup?type=${type}&value=${encodeURIComponent(value)}`);
    const holder = holders.get(key);
    if (holder === undefined) {
      expect(answer.status, `${context}: no live profile holds ${key}, yet the lookup answers ${answer.text}`).toBe(404);
      expect(memory.sent.has(key), `${context}: ${key} was accepted before, and no live profile holds it any more`).toBe(false);
    } else {
      expect(answer.status, `${context}: ${holder} holds ${key}, yet the lookup answers ${answer.text}`).toBe(200);
      expect(answer.json.id, `${context}: the lookup of ${key}`).toBe(holder);
    }
  }

  // A merged id answers its survivor: live, and older (the oldest profile survives).
  for (const [id, createdAt] of memory.seen) {
    if (live.has(id)) continue;
    const answer = await api.get<Customer>(`/v1/customers/${id}`);
    expect(answer.status, `${context}: ${id} was seen before and now answers ${answer.text}`).toBe(200);
    const survivor = answer.json;
    expect(survivor.id, `${context}: ${id} is not live, yet GET answers itself`).not.toBe(id);
    expect(live.has(survivor.id), `${context}: ${id} answers ${survivor.id}, which is not a live profile`).toBe(true);
    expect(survivor.status).toBe("active");
    const older = survivor.createdAt < createdAt || (survivor.createdAt === createdAt && survivor.id < id);
    expect(older, `${context}: ${id} (created ${createdAt}) merged into the younger ${survivor.id} (created ${survivor.createdAt})`).toBe(
      true,
    );
  }

  // Nothing here removes an identifier: once held, a value stays on a live profile. Only an
  // anonymousId or a deviceId moves between live profiles; any other changes hands by a merge only.
  for (const [key, before] of memory.holders) {
    const now = holders.get(key);
    expect(now, `${context}: ${before} held ${key}, and now no live profile does`).toBeDefined();
    const type = key.slice(0, key.indexOf(":"));
    if (now !== before && live.has(before) && !movableTypes.includes(type)) {
      expect.fail(`${context}: ${key} moved from ${before}, still live, to ${now}: a ${type} is never moved`);
    }
  }

  memory.holders = holders;
  const events = await api.all<Event>("/v1/events");
  for (const event of events) {
    expect(live.has(event.customerId), `${context}: event ${event.id} belongs to ${event.customerId}, which is not a live profile`).toBe(
      true,
    );
  }
  expect(events.length, `${context}: one event per accepted track message`).toBe(memory.tracked);
  return { live: new Set(live.keys()), snapshot: JSON.stringify({ customers, events }) };
}

/** What the runs went through, so that a generator that stops reaching merges is noticed. */
const coverage = { runs: 0, runsWithMerges: 0, merged: 0, refused: 0, moved: 0, replayed: 0, devicesMoved: 0, devicesDropped: 0 };

/** Limits a run lowers before its first message (the default limits are never reached by this alphabet). */
type Lowered = Partial<Record<"deviceId" | "pushToken", number>>;
const loweredArb: fc.Arbitrary<Lowered> = fc.oneof(
  { weight: 1, arbitrary: fc.constant({}) },
  {
    weight: 2,
    arbitrary: fc
      .record({
        deviceId: fc.option(fc.constantFrom(1, 2), { nil: undefined }),
        pushToken: fc.option(fc.constantFrom(1, 2), { nil: undefined }),
      })
      .map((limits) => definedOnly(limits)),
  },
);

async function play(steps: Step[], lowered: Lowered = {}): Promise<void> {
  const backend = createBackend();
  const api = new Api(backend);
  if (Object.keys(lowered).length > 0) {
    const types = Object.fromEntries(Object.entries(lowered).map(([type, limit]) => [type, { limit }]));
    const patched = await api.patch("/v1/settings", { identity: { types } });
    expect(patched.status, patched.text).toBe(200);
  }
  const settings = await api.get<Settings>("/v1/settings");
  expect(settings.status, settings.text).toBe(200);
  const limits = Object.fromEntries(Object.entries(settings.json.identity.types).map(([type, rule]) => [type, rule.limit]));
  const memory: Memory = { seen: new Map(), sent: new Set(), holders: new Map(), tracked: 0, limits };
  let live = new Set<string>();
  let snapshot = "";
  const sent: Array<{ path: string; body: Record<string, unknown>; status: number }> = [];
  for (const [index, step] of steps.entries()) {
    if (step.kind === "replay") {
      const earlier = sent[step.of % Math.max(1, sent.length)];
      if (earlier === undefined) continue;
      const context = `step ${index} (replay of POST ${earlier.path} ${JSON.stringify(earlier.body)})`;
      const answer = await api.track(earlier.path, earlier.body);
      expect(answer.status, `${context}: ${answer.text}`).toBe(earlier.status);
      if (earlier.status === 200) expect(answer.json, context).toEqual({ accepted: 1, rejected: [] });
      const after = await checkInvariants(api, memory, context);
      expect(after.snapshot, `${context}: a replayed messageId changes nothing`).toBe(snapshot);
      coverage.replayed++;
      continue;
    }
    const { path, body } = toMessage(step, index);
    const context = `step ${index} (POST ${path} ${JSON.stringify(body)})`;
    const answer = await api.track(path, body);
    sent.push({ path, body, status: answer.status });

    const userId = usable(step.userId);
    const anonymousId = step.kind === "alias" ? undefined : usable(step.anonymousId);
    // An alias of a user id to itself adds nothing beyond the user id.
    const previousId = step.kind === "alias" && String(step.previousId) !== String(step.userId) ? usable(step.previousId) : undefined;
    const email = step.kind === "alias" ? undefined : usableEmail(step.email);
    const deviceId = usableDeviceId(step.deviceId);
    const pushToken = usablePushToken(step.pushToken);
    // alias: previousId is a userId when a profile holds it as one, else an anonymousId.
    const previousType = previousId !== undefined && memory.holders.has(`userId:${previousId}`) ? "userId" : "anonymousId";
    const given = [
      ["userId", userId],
      ["anonymousId", anonymousId],
      [previousType, previousId],
      ["email", email],
      ["deviceId", deviceId],
      ["pushToken", pushToken],
    ].filter((pair): pair is [string, string] => pair[1] !== undefined);
    if (given.length === 0) {
      expect(answer.status, `${context}: every identifier is blocked or invalid: ${answer.text}`).toBe(422);
      expect(answer.json, context).toMatchObject({ error: { code: "no_identifier" } });
      coverage.refused++;
    } else {
      expect(answer.status, `${context}: ${answer.text}`).toBe(200);
      expect(answer.json, context).toEqual({ accepted: 1, rejected: [] });
      if (userId !== undefined) memory.sent.add(`userId:${userId}`);
      if (anonymousId !== undefined) memory.sent.add(`anonymousId:${anonymousId}`);
      if (previousId !== undefined && previousType === "anonymousId") memory.sent.add(`anonymousId:${previousId}`);
      if (step.kind === "track") memory.tracked++;
      if (step.kind === "identify") {
        // The traits went to the profile the message resolved to, which holds its best identifier.
        // A userId is dropped last, an email only for a userId, and a dropped anonymousId moves to
        // that profile: the first of them the message carries is there. Without them, one of its
        // deviceId and pushToken stays in the message (a message keeps at least one identifier).
        const best: Array<[string, string | undefined]> =
          userId !== undefined
            ? [["userId", userId]]
            : email !== undefined
              ? [["email", email]]
              : anonymousId !== undefined
                ? [["anonymousId", anonymousId]]
                : [
                    ["deviceId", deviceId],
                    ["pushToken", pushToken],
                  ];
        const names: Array<string | null> = [];
        for (const [type, value] of best) {
          if (value === undefined) continue;
          const resolved = await api.get<Customer>(`/v1/customers/lookup?type=${type}&value=${encodeURIComponent(value)}`);
          if (best.length === 1) expect(resolved.status, `${context}: lookup ${type} ${value}: ${resolved.text}`).toBe(200);
          names.push(resolved.status === 200 ? resolved.json.firstName : null);
        }
        expect(names, `${context}: the traits landed on the profile holding ${best.map((pair) => pair.join(" ")).join(" or ")}`).toContain(
          step.firstName,
        );
      }
    }
    const before = new Map(memory.holders);
    ({ live, snapshot } = await checkInvariants(api, memory, context));
    // A move: an identifier changed hands while its former holder stayed live (not a merge).
    for (const [key, holder] of before) {
      if (memory.holders.get(key) === holder || !live.has(holder)) continue;
      coverage.moved++;
      if (key.startsWith("deviceId:")) coverage.devicesMoved++;
    }
    if (answer.status === 200) await checkNoSilentDrop(api, memory, given, live, context);
  }
  const merged = [...memory.seen.keys()].filter((id) => !live.has(id)).length;
  coverage.runs++;
  coverage.merged += merged;
  if (merged > 0) coverage.runsWithMerges++;
  await backend.close();
}

/**
 * Every usable identifier of an accepted message is held by a live profile afterwards, or an ID
 * changelog line says it was dropped (DESIGN §4: never a silent drop). An alias's previousId is read
 * as either type.
 */
async function checkNoSilentDrop(api: Api, memory: Memory, given: Array<[string, string]>, live: Set<string>, context: string) {
  const types = (type: string) => (type === "userId" || type === "anonymousId" ? ["userId", "anonymousId"] : [type]);
  const unheld = given.filter(([type, value]) => !types(type).some((each) => memory.holders.has(`${each}:${value}`)));
  if (unheld.length === 0) return;
  const lines = [];
  for (const id of live) {
    const identities = await api.get<Identities>(`/v1/customers/${id}/identities`);
    expect(identities.status, identities.text).toBe(200);
    lines.push(...identities.json.changelog);
  }
  for (const [type, value] of unheld) {
    const dropped = lines.some((line) => line.action === "dropped" && line.value === value && types(type).includes(line.type));
    expect(dropped, `${context}: ${type} ${value} is held by no live profile, and no ID changelog says it was dropped`).toBe(true);
    if (type === "deviceId" || type === "pushToken") coverage.devicesDropped++;
  }
}

describe("identity resolution under random identify / track / alias interleavings", () => {
  it(`keeps its invariants after every message (${runs} runs)`, { timeout: Math.max(60_000, runs * 50) }, async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(stepArb, { minLength: 2, maxLength: 16 }), loweredArb, (steps, lowered) => play(steps, lowered)),
      { numRuns: runs, ...(seed === undefined ? {} : { seed }) },
    );
    // The alphabet is small so that merges, moves and refusals are common, not rare.
    expect(coverage.runsWithMerges, JSON.stringify(coverage)).toBeGreaterThan(coverage.runs / 5);
    expect(coverage.moved, JSON.stringify(coverage)).toBeGreaterThan(0);
    expect(coverage.refused, JSON.stringify(coverage)).toBeGreaterThan(0);
    expect(coverage.replayed, JSON.stringify(coverage)).toBeGreaterThan(0);
    // Devices move with the user who signs in, and the lowered limits are reached.
    expect(coverage.devicesMoved, JSON.stringify(coverage)).toBeGreaterThan(0);
    expect(coverage.devicesDropped, JSON.stringify(coverage)).toBeGreaterThan(0);
    console.log(`identity property: ${JSON.stringify(coverage)}`);
  });

  it("merges two profiles when a message names both (the scenario the property relies on)", async () => {
    await play([
      { kind: "track", anonymousId: "a1", email: "e1@x.com" },
      { kind: "identify", userId: "u1", anonymousId: "a2", firstName: "Ada" },
      { kind: "identify", userId: "u1", email: "E1@X.com ", firstName: "Bea" },
      { kind: "alias", previousId: "a3", userId: "u1" },
      { kind: "track", userId: "anonymous", anonymousId: "0" },
    ]);
  });

  it("drops a device id and a push token past lowered limits, moving only what may move (the device scenario the property relies on)", async () => {
    await play(
      [
        { kind: "track", anonymousId: "a1", deviceId: "d1", pushToken: "t1" },
        { kind: "identify", userId: "u1", anonymousId: "a2", deviceId: " d2 ", pushToken: "t2", firstName: "Ada" },
        // Both profiles hold a device and a token, one each allowed: a1 moves to u1's profile; d1 does
        // not fit there and t1 never moves, so both stay where they are, each drop in the ID changelog.
        { kind: "identify", userId: "u1", anonymousId: "a1", deviceId: "d1", pushToken: "t1", firstName: "Bea" },
        { kind: "track", userId: "anonymous", anonymousId: "0", deviceId: "00000000-0000-0000-0000-000000000000", pushToken: 0 },
      ],
      { deviceId: 1, pushToken: 1 },
    );
  });
});
