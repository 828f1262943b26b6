import { createBackend, manualClock } from "@cdp/backend";
import { builtInIdentifierTypes, type Settings } from "@cdp/contract";
import { Cdp, ValidationError } from "@cdp/sdk";
import fc from "fast-check";
import { describe, expect, expectTypeOf, it } from "vitest";

/**
 * `PATCH /v1/settings` is a JSON merge patch (RFC 7396, DESIGN §5): objects merge, null removes,
 * and what is removed falls back to its default (DESIGN §4's rule for a built-in type). Bad input
 * is a 400 naming the field and changes nothing.
 */
function world() {
  const clock = manualClock("2026-04-01T10:00:00Z");
  const backend = createBackend({ clock, seed: 11 });
  const cdp = new Cdp({ fetch: backend.fetch, apiKey: backend.adminKey });
  /** PATCH /v1/settings as any HTTP client sends it: the body as given, no SDK-side checks. */
  const patch = async (body: unknown) => {
    const response = await backend.fetch("http://cdp.test/v1/settings", {
      method: "PATCH",
      headers: { authorization: `Bearer ${backend.adminKey}`, "content-type": "application/json" },
      body: JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };
  return { backend, cdp, patch };
}

/** DESIGN §4's defaults, as a user reads them in the docs. */
const designRules: Settings["identity"]["types"] = {
  userId: { unique: true, limit: 1, priority: 1 },
  email: { unique: true, limit: 5, priority: 2 },
  phone: { unique: true, limit: 5, priority: 3 },
  loyaltyCard: { unique: true, limit: 5, priority: 4 },
  pushToken: { unique: true, limit: 10, priority: 6 },
  deviceId: { unique: true, limit: 100, priority: 7 },
  anonymousId: { unique: true, limit: 100, priority: 8 },
};
const customDefault = { unique: true, limit: 5, priority: 5 };
const defaults: Settings = { identity: { types: designRules, blockedValues: [] }, unknownEventTypes: "custom" };

describe("PATCH /v1/settings merges", () => {
  it("changes only email's limit when the patch names only that, and answers the full settings", async () => {
    const { cdp } = world();
    const answer = await cdp.settings.update({ identity: { types: { email: { limit: 3 } } } });

    const expected = {
      ...defaults,
      identity: { ...defaults.identity, types: { ...designRules, email: { unique: true, limit: 3, priority: 2 } } },
    };
    expect(answer).toEqual(expected);
    expect(await cdp.settings.get()).toEqual(expected);
  });

  it("applies the merged limit: a fourth email is refused once email's limit is 3", async () => {
    const { cdp } = world();
    await cdp.settings.update({ identity: { types: { email: { limit: 3 } } } });
    const { customer } = await cdp.customers.create({
      identifiers: ["a@x.com", "b@x.com", "c@x.com"].map((value) => ({ type: "email", value })),
    });

    await expect(cdp.customers.addIdentifier(customer.id, { type: "email", value: "d@x.com" })).rejects.toMatchObject({
      code: "identifier_limit",
    });
  });

  it("keeps what an earlier patch set when a later one names other fields", async () => {
    const { cdp } = world();
    await cdp.settings.update({ identity: { types: { phone: { limit: 2, priority: 9 } }, blockedValues: ["n/a"] } });
    await cdp.settings.update({ unknownEventTypes: "reject" });
    await cdp.settings.update({ identity: { types: { phone: { priority: 4 } } } });

    const settings = await cdp.settings.get();
    expect(settings.identity.types.phone).toEqual({ unique: true, limit: 2, priority: 4 });
    expect(settings.identity.blockedValues).toEqual(["n/a"]);
    expect(settings.unknownEventTypes).toBe("reject");
  });

  it("starts a type it has not seen from the custom-type default", async () => {
    const { cdp } = world();
    const answer = await cdp.settings.update({ identity: { types: { memberId: { limit: 1 } } } });
    expect(answer.identity.types.memberId).toEqual({ ...customDefault, limit: 1 });
    expect(Object.keys(answer.identity.types)).toEqual([...Object.keys(designRules), "memberId"]);
  });

  it("replaces the blocked values as a whole (arrays are not merged)", async () => {
    const { cdp } = world();
    await cdp.settings.update({ identity: { blockedValues: ["n/a", "test"] } });
    expect((await cdp.settings.update({ identity: { blockedValues: ["unknown"] } })).identity.blockedValues).toEqual(["unknown"]);
  });

  it("takes a `constructor` type as an ordinary custom type", async () => {
    const { cdp } = world();
    const answer = await cdp.settings.update({ identity: { types: { constructor: { limit: 2 } } } });
    expect(answer.identity.types.constructor).toEqual({ ...customDefault, limit: 2 });
  });
});

describe("null in a settings patch", () => {
  it("puts a built-in type back to DESIGN's rule", async () => {
    const { cdp } = world();
    await cdp.settings.update({ identity: { types: { phone: { limit: 1, priority: 9 } } } });
    const answer = await cdp.settings.update({ identity: { types: { phone: null } } });
    expect(answer.identity.types.phone).toEqual({ unique: true, limit: 5, priority: 3 });
    expect(await cdp.settings.get()).toEqual(defaults);
  });

  it("puts one field of a rule back to its default and keeps the others", async () => {
    const { cdp } = world();
    await cdp.settings.update({ identity: { types: { email: { limit: 2, priority: 9 }, memberId: { limit: 1, priority: 7 } } } });
    const answer = await cdp.settings.update({ identity: { types: { email: { limit: null }, memberId: { priority: null } } } });
    expect(answer.identity.types.email).toEqual({ unique: true, limit: 5, priority: 9 });
    expect(answer.identity.types.memberId).toEqual({ unique: true, limit: 1, priority: 5 });
  });

  it("removes a custom type's rule; values already held stay, under the custom-type default", async () => {
    const { cdp } = world();
    await cdp.settings.update({ identity: { types: { memberId: { limit: 1, priority: 9 } } } });
    const { customer } = await cdp.customers.create({ identifiers: [{ type: "memberId", value: "m-1" }] });
    await expect(cdp.customers.addIdentifier(customer.id, { type: "memberId", value: "m-2" })).rejects.toMatchObject({
      code: "identifier_limit",
    });

    const answer = await cdp.settings.update({ identity: { types: { memberId: null } } });

    expect(answer.identity.types).not.toHaveProperty("memberId");
    expect(await cdp.settings.get()).toEqual(defaults);
    expect((await cdp.customers.lookup({ type: "memberId", value: "m-1" })).id).toBe(customer.id);
    const after = await cdp.customers.addIdentifier(customer.id, { type: "memberId", value: "m-2" });
    expect(after.identifiers?.filter((identifier) => identifier.type === "memberId").map((identifier) => identifier.value)).toEqual([
      "m-1",
      "m-2",
    ]);
  });

  it("empties the blocked values, puts unknownEventTypes back to custom, and resets a whole object", async () => {
    const { cdp } = world();
    await cdp.settings.update({
      identity: { types: { email: { limit: 1 }, memberId: { limit: 2 } }, blockedValues: ["n/a"] },
      unknownEventTypes: "reject",
    });

    expect((await cdp.settings.update({ identity: { blockedValues: null } })).identity.blockedValues).toEqual([]);
    expect((await cdp.settings.update({ unknownEventTypes: null })).unknownEventTypes).toBe("custom");
    await cdp.settings.update({ unknownEventTypes: "reject", identity: { blockedValues: ["n/a"] } });
    const typesReset = await cdp.settings.update({ identity: { types: null } });
    expect(typesReset.identity).toEqual({ types: designRules, blockedValues: ["n/a"] });
    const identityReset = await cdp.settings.update({ identity: null });
    expect(identityReset).toEqual({ ...defaults, unknownEventTypes: "reject" });
  });
});

describe("a settings patch the backend refuses", () => {
  const refused: Array<[string, unknown, string]> = [
    ["a limit of 0", { identity: { types: { email: { limit: 0 } } } }, "body.identity.types.email.limit"],
    ["a negative limit", { identity: { types: { memberId: { limit: -1 } } } }, "body.identity.types.memberId.limit"],
    ["a fractional limit", { identity: { types: { email: { limit: 1.5 } } } }, "body.identity.types.email.limit"],
    ["a limit as a string", { identity: { types: { email: { limit: "3" } } } }, "body.identity.types.email.limit"],
    ["a priority of 0", { identity: { types: { phone: { priority: 0 } } } }, "body.identity.types.phone.priority"],
    ["a fractional priority", { identity: { types: { phone: { priority: 2.5 } } } }, "body.identity.types.phone.priority"],
    ["an unknown member at the top", { identityTypes: {} }, "body.identityTypes"],
    ["an unknown member of identity", { identity: { blocked: [] } }, "body.identity.blocked"],
    ["an unknown member of a rule", { identity: { types: { email: { max: 3 } } } }, "body.identity.types.email.max"],
    ["a type name that is no identifier type", { identity: { types: { "Email!": { limit: 3 } } } }, "body.identity.types.Email!"],
    ["a rule that is no object", { identity: { types: { email: 3 } } }, "body.identity.types.email"],
    ["types as an array", { identity: { types: [] } }, "body.identity.types"],
    ["an empty blocked value", { identity: { blockedValues: [""] } }, "body.identity.blockedValues.0"],
    ["blocked values as a string", { identity: { blockedValues: "n/a" } }, "body.identity.blockedValues"],
    ["an unknown event-type mode", { unknownEventTypes: "drop" }, "body.unknownEventTypes"],
    ...builtInIdentifierTypes.map((type): [string, unknown, string] => [
      `${type} made non-unique`,
      { identity: { types: { [type]: { unique: false } } } },
      `body.identity.types.${type}.unique`,
    ]),
  ];

  for (const [what, body, path] of refused) {
    it(`refuses ${what} with 400 validation_failed at ${path} and changes nothing`, async () => {
      const { cdp, patch } = world();
      // A full rule, so that this arrangement means the same before and after partial rules.
      await cdp.settings.update({ identity: { types: { email: { unique: true, limit: 4, priority: 2 } }, blockedValues: ["n/a"] } });
      const before = await cdp.settings.get();

      const answer = await patch(body);

      expect(answer.status).toBe(400);
      expect(answer.body).toMatchObject({ error: { type: "invalid_request", code: "validation_failed" } });
      const issues = (answer.body.error as { issues: Array<{ path: string; message: string }> }).issues;
      expect(issues.map((issue) => issue.path)).toContain(path);
      for (const issue of issues) expect(issue.message).not.toBe("invalid value");
      expect(await cdp.settings.get()).toEqual(before);
    });
  }

  it("applies nothing of a patch with one bad field among good ones", async () => {
    const { cdp, patch } = world();
    const answer = await patch({ unknownEventTypes: "reject", identity: { types: { phone: { limit: 2 }, email: { limit: 0 } } } });
    expect(answer.status).toBe(400);
    expect(await cdp.settings.get()).toEqual(defaults);
  });

  it("is refused by the SDK before sending, naming the same field", async () => {
    const { cdp } = world();
    const error = await cdp.settings.update({ identity: { types: { email: { unique: false } } } }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).status).toBeUndefined();
    expect((error as ValidationError).issues.map((issue) => issue.path)).toEqual(["body.identity.types.email.unique"]);
  });

  it("is typed in the SDK as a deep partial of the settings with nulls", () => {
    type Patch = Parameters<Cdp["settings"]["update"]>[0];
    expectTypeOf<{
      identity: { types: { email: { limit: number }; phone: null; memberId: { priority: null } }; blockedValues: null };
      unknownEventTypes: null;
    }>().toExtend<Patch>();
    expectTypeOf<{ identity: null }>().toExtend<Patch>();
    expectTypeOf<{ identity: { types: { email: { limit: string } } } }>().not.toExtend<Patch>();
    expectTypeOf<{ unknownEventTypes: "drop" }>().not.toExtend<Patch>();
  });

  it("lets a custom type be non-unique", async () => {
    const { cdp } = world();
    expect((await cdp.settings.update({ identity: { types: { memberId: { unique: false } } } })).identity.types.memberId).toEqual({
      ...customDefault,
      unique: false,
    });
  });
});

// The model: RFC 7396 §2's MergePatch, word for word, then what was removed falls back to its
// default (a built-in type's rule and each field of a rule; a custom type's rule starts from the
// custom-type default).

function rfc7396(target: unknown, patch: unknown): unknown {
  if (!isObject(patch)) return patch;
  const out: Record<string, unknown> = isObject(target) ? { ...target } : {};
  for (const [name, value] of Object.entries(patch)) {
    if (value === null) delete out[name];
    else out[name] = rfc7396(out[name], value);
  }
  return out;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function withDefaults(document: unknown): Settings {
  const merged = isObject(document) ? document : {};
  const identity = isObject(merged.identity) ? merged.identity : {};
  const types: Record<string, unknown> = { ...designRules };
  for (const [type, rule] of Object.entries(isObject(identity.types) ? identity.types : {})) {
    types[type] = { ...(Object.hasOwn(designRules, type) ? designRules[type] : customDefault), ...(rule as object) };
  }
  return {
    identity: { types, blockedValues: identity.blockedValues ?? [] },
    unknownEventTypes: merged.unknownEventTypes ?? "custom",
  } as Settings;
}

const typeName = fc.constantFrom("email", "phone", "userId", "anonymousId", "memberId", "shopId", "constructor");
const rulePatch = fc.record(
  {
    unique: fc.option(fc.boolean(), { nil: null }),
    limit: fc.option(fc.integer({ min: 1, max: 1000 }), { nil: null }),
    priority: fc.option(fc.integer({ min: 1, max: 100 }), { nil: null }),
  },
  { requiredKeys: [] },
);
/** Patches the schema takes, and now and then one bad value somewhere in them. */
const settingsPatch = fc.record(
  {
    identity: fc.option(
      fc.record(
        {
          types: fc.option(fc.dictionary(typeName, fc.option(rulePatch, { nil: null }), { maxKeys: 3 }), { nil: null }),
          blockedValues: fc.option(fc.array(fc.constantFrom("n/a", "test", "x"), { maxLength: 3 }), { nil: null }),
        },
        { requiredKeys: [] },
      ),
      { nil: null },
    ),
    unknownEventTypes: fc.option(fc.constantFrom("custom", "reject"), { nil: null }),
  },
  { requiredKeys: [] },
);
const badPatch = fc.oneof(
  fc.record({ identity: fc.record({ types: fc.record({ email: fc.record({ limit: fc.constantFrom(0, -1, 1.5, 1001, "2") }) }) }) }),
  fc.record({
    identity: fc.record({ types: fc.dictionary(typeName, fc.record({ priority: fc.constantFrom(0, 101, 0.5) }), { minKeys: 1 }) }),
  }),
  fc.constantFrom({ nope: 1 }, { identity: { types: { email: { unique: false } } } }, { unknownEventTypes: "drop" }),
);

describe("any sequence of settings patches", () => {
  it("leaves GET equal to RFC 7396 applied to the previous settings, with removed members back at their defaults", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.oneof({ weight: 4, arbitrary: settingsPatch }, { weight: 1, arbitrary: badPatch }), { maxLength: 5 }),
        async (patches) => {
          const { cdp, patch } = world();
          let expected: Settings = defaults;
          for (const body of patches) {
            const accepted = isValid(body);
            const answer = await patch(body);
            if (accepted) {
              expected = withDefaults(rfc7396(expected, body));
              expect(answer.status).toBe(200);
              expect(answer.body).toEqual(expected);
            } else {
              expect(answer.status).toBe(400);
            }
            expect(await cdp.settings.get()).toEqual(expected);
          }
        },
      ),
      { numRuns: 200 },
    );
  });
});

/** What the property's generators make refused: a built-in type made non-unique, or anything from `badPatch`. */
function isValid(body: unknown): boolean {
  if (!isObject(body) || "nope" in body || body.unknownEventTypes === "drop") return false;
  const types = isObject(body.identity) && isObject(body.identity.types) ? body.identity.types : {};
  for (const [type, rule] of Object.entries(types)) {
    if (!isObject(rule)) continue;
    if ((builtInIdentifierTypes as readonly string[]).includes(type) && rule.unique === false) return false;
    if (
      rule.limit !== undefined &&
      rule.limit !== null &&
      !(Number.isInteger(rule.limit) && (rule.limit as number) >= 1 && (rule.limit as number) <= 1000)
    )
      return false;
    if (
      rule.priority !== undefined &&
      rule.priority !== null &&
      !(Number.isInteger(rule.priority) && (rule.priority as number) >= 1 && (rule.priority as number) <= 100)
    )
      return false;
  }
  return true;
}

describe("a limit lowered below what a profile holds", () => {
  it("removes nothing, refuses one more value of the type, and keeps the profile matched by its own values", async () => {
    const { backend, cdp } = world();
    const emails = ["a1@x.com", "a2@x.com", "a3@x.com"];
    const { customer } = await cdp.customers.create({ identifiers: emails.map((value) => ({ type: "email", value })) });
    await cdp.settings.update({ identity: { types: { email: { limit: 2 } } } });
    expect((await cdp.customers.get(customer.id)).identifiers?.filter((found) => found.type === "email")).toHaveLength(3);

    // One more email would add to the excess: refused.
    await expect(cdp.customers.addIdentifier(customer.id, { type: "email", value: "a4@x.com" })).rejects.toMatchObject({
      code: "identifier_limit",
    });
    // Another type still fits.
    await cdp.customers.addIdentifier(customer.id, { type: "loyaltyCard", value: "L-1" });

    // A device seen with one of the profile's own emails joins it, as before the limit changed.
    const writer = new Cdp({ fetch: backend.fetch, apiKey: backend.writeKey, maxRetries: 0 });
    await writer.identify({ anonymousId: "dev-1", traits: { email: "a1@x.com" } });
    expect((await cdp.customers.lookup({ type: "anonymousId", value: "dev-1" })).id).toBe(customer.id);
    // As at the limit: an email the profile does not hold is never added to it.
    await writer.identify({ userId: "u-1", traits: { email: "a1@x.com" } });
    await writer.identify({ userId: "u-1", traits: { email: "a5@x.com" } });
    const after = await cdp.customers.get(customer.id);
    expect(after.identifiers).toContainEqual({ type: "userId", value: "u-1" });
    expect(after.identifiers).not.toContainEqual({ type: "email", value: "a5@x.com" });
    expect(await cdp.customers.changelog(customer.id).toArray()).toContainEqual(
      expect.objectContaining({ kind: "identifier_dropped", identifier: { type: "email", value: "a5@x.com" }, rule: "email limit 2" }),
    );
  });

  it("lets a manual merge with a profile holding none of the type go through without force", async () => {
    const { cdp } = world();
    const { customer: full } = await cdp.customers.create({
      identifiers: ["b1@x.com", "b2@x.com", "b3@x.com"].map((value) => ({ type: "email", value })),
    });
    const { customer: bare } = await cdp.customers.create({ identifiers: [{ type: "loyaltyCard", value: "L-2" }] });
    await cdp.settings.update({ identity: { types: { email: { limit: 2 } } } });
    const merged = await cdp.customers.merge({ into: full.id, from: [bare.id] });
    expect(merged.merged).toEqual([bare.id]);
  });
});
