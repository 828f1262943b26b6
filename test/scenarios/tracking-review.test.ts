import { deflateSync, gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { trackingWorld } from "./tracking-world.js";

/**
 * Tracking defects a review confirmed: group traits taken for the user's identity, batch items
 * skipping the `source` check, an invalid item `context` replaced by the batch's, and emails with
 * control characters taken as identifiers.
 */
const world = () => trackingWorld(11);

describe("group traits describe the group, not the user (Segment's spec)", () => {
  it("keeps two devices that join one company apart, and gives neither the company's email", async () => {
    const { cdp, post } = world();

    const company = { email: "billing@acme.com", phone: "+14155550100", name: "Acme Inc." };
    expect(await post("group", { anonymousId: "anonA", groupId: "acme", messageId: "g-1", traits: company })).toMatchObject({
      status: 200,
      body: { accepted: 1 },
    });
    expect(await post("group", { anonymousId: "anonB", groupId: "acme", messageId: "g-2", traits: company })).toMatchObject({
      status: 200,
      body: { accepted: 1 },
    });

    const a = await cdp.customers.lookup({ type: "anonymousId", value: "anonA" });
    const b = await cdp.customers.lookup({ type: "anonymousId", value: "anonB" });
    expect(a.id).not.toBe(b.id);
    for (const profile of [a, b]) {
      expect(profile).toMatchObject({ email: null, phone: null, firstName: null, traits: {} });
      expect(profile.identifiers.map((identifier) => identifier.type)).toEqual(["anonymousId"]);
    }
    await expect(cdp.identity.resolve({ identifiers: [{ type: "email", value: "billing@acme.com" }] })).resolves.toEqual({
      customerId: null,
    });
  });

  it("takes no email from a track's top-level traits, but still from its context.traits", async () => {
    const { cdp, post } = world();

    await post("track", { anonymousId: "dev-1", event: "Product Viewed", traits: { email: "ada@example.com" } });
    const device = await cdp.customers.lookup({ type: "anonymousId", value: "dev-1" });
    expect(device.identifiers).toEqual([{ type: "anonymousId", value: "dev-1" }]);
    expect(device.email).toBeNull();

    await post("track", { anonymousId: "dev-2", event: "Product Viewed", context: { traits: { email: "grace@example.com" } } });
    const other = await cdp.customers.lookup({ type: "anonymousId", value: "dev-2" });
    expect(other.email).toBe("grace@example.com");
  });
});

describe("a batch item's source is checked as a single message's is", () => {
  it("rejects a source that is not <platform>:<name> at body.batch.N.source, with the single route's message", async () => {
    const { cdp, post } = world();

    for (const source of ["api", 42, "Not A Source"]) {
      const single = await post("track", { anonymousId: "s1", event: "E1", source });
      expect(single.status).toBe(400);
      const issues = (single.body.error as { issues: { path: string; message: string }[] }).issues;
      expect(issues).toEqual([{ path: "body.source", message: expect.any(String) }]);

      const batched = await post("batch", {
        batch: [
          { type: "track", anonymousId: "s1", event: "E2", source },
          { type: "track", anonymousId: "s2", event: "E2", source: "shopify:acme.myshopify.com" },
        ],
      });
      expect(batched).toMatchObject({
        status: 200,
        body: {
          accepted: 1,
          rejected: [{ index: 0, code: "validation_failed", issues: [{ path: "body.batch.0.source", message: issues[0]?.message }] }],
        },
      });
    }
    expect((await post("track", { anonymousId: "s1", event: "E1", source: "api" })).body).toMatchObject({
      error: { issues: [{ path: "body.source", message: "must be <platform>:<name>, e.g. shopify:acme.myshopify.com" }] },
    });

    await expect(cdp.customers.lookup({ type: "anonymousId", value: "s1" })).rejects.toMatchObject({ status: 404 });
    const shop = await cdp.customers.lookup({ type: "anonymousId", value: "s2" });
    const events = await cdp.events.list({ customerId: shop.id }).toArray();
    expect(events.map((event) => event.source)).toEqual([
      "shopify:acme.myshopify.com",
      "shopify:acme.myshopify.com",
      "shopify:acme.myshopify.com",
    ]);
  });
});

describe("a batch item's invalid context is rejected, whether or not the batch has a context", () => {
  it("rejects a string, a list or null at body.batch.N.context; the batch context fills in only for an item with none", async () => {
    const { cdp, post } = world();

    for (const batchContext of [{ locale: "en-US" }, undefined]) {
      const answer = await post("batch", {
        ...(batchContext ? { context: batchContext } : {}),
        batch: [
          { type: "track", anonymousId: "c1", event: "E", context: "mobile" },
          { type: "track", anonymousId: "c1", event: "E", context: ["a"] },
          { type: "track", anonymousId: "c1", event: "E", context: null },
          { type: "track", anonymousId: `c2-${batchContext ? "with" : "without"}`, event: "E" },
        ],
      });
      expect(answer).toMatchObject({
        status: 200,
        body: {
          accepted: 1,
          rejected: [0, 1, 2].map((index) => ({
            index,
            code: "validation_failed",
            issues: [expect.objectContaining({ path: `body.batch.${index}.context` })],
          })),
        },
      });
    }

    await expect(cdp.customers.lookup({ type: "anonymousId", value: "c1" })).rejects.toMatchObject({ status: 404 });
    const filled = await cdp.customers.lookup({ type: "anonymousId", value: "c2-with" });
    const [event] = await cdp.events.list({ customerId: filled.id }).toArray();
    expect(event?.context).toEqual({ locale: "en-US" });
  });
});

describe("an email with a control character is no email", () => {
  it("drops a trait email with a C0 control or DEL with the usual identifier_dropped trace, and the API refuses one", async () => {
    const { cdp, post } = world();
    const emails = ["a\u0000@x.com", "a\u001f@x.com", "a@x\u0007.com", "a@x.c\u007fom"];

    for (const [index, email] of emails.entries()) {
      expect(await post("identify", { userId: `u-${index}`, messageId: `m-${index}`, traits: { email } })).toMatchObject({
        status: 200,
        body: { accepted: 1 },
      });
      const customer = await cdp.customers.lookup({ type: "userId", value: `u-${index}` });
      expect(customer.email).toBeNull();
      expect(customer.identifiers).toEqual([{ type: "userId", value: `u-${index}` }]);
      const drops = (await cdp.customers.changelog(customer.id).toArray()).filter((entry) => entry.kind === "identifier_dropped");
      expect(drops).toEqual([expect.objectContaining({ identifier: { type: "email", value: email }, rule: "invalid email" })]);
    }

    await expect(cdp.customers.create({ identifiers: [{ type: "email", value: "b\u0000@x.com" }] })).rejects.toMatchObject({
      status: 400,
    });
    await expect(cdp.customers.create({ email: "b\u007f@x.com" })).rejects.toMatchObject({ status: 400 });
  });
});

describe("tracking times mean one instant on every host", () => {
  it("reads only ISO 8601 times with an offset (or bare dates): other forms fall back to receivedAt, whatever the server's time zone", async () => {
    const zone = process.env.TZ;
    process.env.TZ = "America/New_York";
    try {
      const { cdp, post } = world();
      const times = [
        ["5/1/2026", "2026-04-01T10:00:00.000Z"], // read in the server's zone by Date.parse: not a time here
        ["2026-05-01T10:00:00", "2026-04-01T10:00:00.000Z"], // no offset: local time for Date.parse
        ["May 1, 2026 10:00", "2026-04-01T10:00:00.000Z"],
        ["2026-05-01T10:00:00+02:00", "2026-05-01T08:00:00.000Z"],
        ["2026-05-01T10:00:00+0200", "2026-05-01T08:00:00.000Z"],
        ["2026-05-01 10:00:00Z", "2026-05-01T10:00:00.000Z"],
        ["2026-05-01", "2026-05-01T00:00:00.000Z"], // a bare date is UTC
      ] as const;
      for (const [index, [timestamp]] of times.entries()) {
        expect((await post("track", { userId: "tz-1", event: "Product Viewed", messageId: `tz-${index}`, timestamp })).status).toBe(200);
      }
      // And a sentAt that is not ISO 8601 corrects nothing.
      await post("track", {
        userId: "tz-1",
        event: "Product Viewed",
        messageId: "tz-sent",
        timestamp: "2026-05-02T00:00:00Z",
        sentAt: "5/1/2026",
      });
      const customer = await cdp.customers.lookup({ type: "userId", value: "tz-1" });
      const events = await cdp.events.list({ customerId: customer.id }).toArray();
      const byMessage = new Map(events.map((event) => [event.messageId, event.timestamp]));
      for (const [index, [timestamp, expected]] of times.entries()) expect(byMessage.get(`tz-${index}`), timestamp).toBe(expected);
      expect(byMessage.get("tz-sent")).toBe("2026-05-02T00:00:00.000Z");
    } finally {
      if (zone === undefined) delete process.env.TZ;
      else process.env.TZ = zone;
    }
  });
});

describe("an empty trait never overwrites a real value", () => {
  it("leaves fields and traits as they were when identify sends them empty, and writes no empty value where there was none", async () => {
    const { cdp, post } = world();
    await post("identify", {
      userId: "e-1",
      messageId: "e-1",
      traits: { firstName: "Ann", plan: "pro", company: { name: "Acme" }, tags: ["a"] },
    });
    const before = await cdp.customers.lookup({ type: "userId", value: "e-1" });
    const entries = (await cdp.customers.changelog(before.id).toArray()).length;
    const answer = await post("identify", {
      userId: "e-1",
      messageId: "e-2",
      traits: { firstName: "", plan: "", company: "", lastName: null, tags: [], nickname: null },
    });
    expect(answer.status).toBe(200);
    const after = await cdp.customers.get(before.id);
    expect(after).toMatchObject({ firstName: "Ann", lastName: null, company: "Acme" });
    expect(after.traits).toEqual(before.traits);
    expect(after.traits).toMatchObject({ plan: "pro" });
    expect(after.traits).not.toHaveProperty("lastName");
    expect(after.traits).not.toHaveProperty("nickname");
    // Nothing was written, so nothing is in the changelog.
    expect(await cdp.customers.changelog(before.id).toArray()).toHaveLength(entries);
    // Nor does an empty part of an address.
    await post("identify", { userId: "e-1", messageId: "e-4", traits: { address: { city: "Berlin", street: "S" } } });
    await post("identify", { userId: "e-1", messageId: "e-5", traits: { address: { city: "", street: null } } });
    expect((await cdp.customers.get(before.id)).address).toMatchObject({ city: "Berlin", street: "S" });
    // A real value still wins over an older one.
    await post("identify", { userId: "e-1", messageId: "e-3", traits: { firstName: "Anna" } });
    expect((await cdp.customers.get(before.id)).firstName).toBe("Anna");
  });
});

describe("alias", () => {
  it("of a user id to itself adds no identifier: no phantom anonymous id", async () => {
    const { cdp, post } = world();
    expect((await post("alias", { userId: "u3", previousId: "u3", messageId: "al-1" })).status).toBe(200);
    const customer = await cdp.customers.lookup({ type: "userId", value: "u3" });
    expect(customer.identifiers).toEqual([{ type: "userId", value: "u3" }]);
    // The same id with spaces around it is still the same id.
    expect((await post("alias", { userId: "A1 ", previousId: "A1", messageId: "al-3" })).status).toBe(200);
    expect((await cdp.customers.lookup({ type: "userId", value: "A1" })).identifiers).toEqual([{ type: "userId", value: "A1" }]);
    // A real alias still joins the previous id.
    expect((await post("alias", { userId: "u3", previousId: "dev-9", messageId: "al-2" })).status).toBe(200);
    expect((await cdp.customers.lookup({ type: "anonymousId", value: "dev-9" })).id).toBe(customer.id);
  });
});

describe("compressed bodies", () => {
  it("reads a gzip or deflate body as Segment's libraries send it; refuses a broken one, a bomb past the limit, and other encodings", async () => {
    const { backend, cdp } = world();
    const send = (encoding: string, body: Uint8Array) =>
      backend.fetch("http://cdp.test/v1/batch", {
        method: "POST",
        headers: {
          authorization: `Basic ${btoa(`${backend.writeKey}:`)}`,
          "content-type": "application/json",
          "content-encoding": encoding,
        },
        body: Uint8Array.from(body),
      });
    const batch = (id: string) =>
      Buffer.from(JSON.stringify({ batch: [{ type: "track", userId: "gz-1", event: "Product Viewed", messageId: id }] }));

    const gzipped = await send("gzip", gzipSync(batch("gz-a")));
    expect(gzipped.status).toBe(200);
    expect(await gzipped.json()).toEqual({ accepted: 1, rejected: [] });
    expect((await send("deflate", deflateSync(batch("gz-b")))).status).toBe(200);
    const customer = await cdp.customers.lookup({ type: "userId", value: "gz-1" });
    expect((await cdp.events.list({ customerId: customer.id }).toArray()).map((event) => event.messageId).sort()).toEqual(["gz-a", "gz-b"]);

    const broken = await send("gzip", batch("gz-c"));
    expect(broken.status).toBe(400);
    expect((await broken.json()).error).toMatchObject({ code: "invalid_json", issues: [{ path: "body", message: "is not valid gzip" }] });
    // 600 KB of JSON in about 1 KB of gzip: the 500 KB limit holds for what it decompresses to.
    const bomb = Buffer.from(JSON.stringify({ batch: [], padding: " ".repeat(600_000) }));
    const bombed = await send("gzip", gzipSync(bomb));
    expect(bombed.status).toBe(413);
    const other = await send("br", batch("gz-d"));
    expect(other.status).toBe(415);
    expect((await other.json()).error).toMatchObject({ code: "unsupported_media_type", issues: [{ path: "headers.content-encoding" }] });
    expect((await cdp.events.list({ customerId: customer.id }).toArray()).length).toBe(2);
  });
});
