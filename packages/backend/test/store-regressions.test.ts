/**
 * Behaviour the faster store and request path must keep (found by comparing it with the previous
 * build): a value two profiles held while its type was non-unique, a clock set back, and a string
 * body handed to `backend.fetch` reading as one from the network would.
 */
import { createBackend, manualClock } from "@cdp/backend";
import { Cdp } from "@cdp/sdk";
import { describe, expect, it } from "vitest";

function setup() {
  const clock = manualClock("2026-11-23T12:00:00.000Z");
  const backend = createBackend({ seed: 1, clock });
  const cdp = new Cdp({ fetch: backend.fetch, apiKey: backend.adminKey });
  const writer = new Cdp({ fetch: backend.fetch, apiKey: backend.writeKey });
  return { backend, clock, cdp, writer };
}

describe("the identifier index", () => {
  it("points a value two profiles held (type once non-unique) at the one left holding it once the other is deleted", async () => {
    const { cdp } = setup();
    // Built-in types are unique (DESIGN §4), so a custom type plays the once non-unique one.
    await cdp.settings.update({ identity: { types: { memberId: { unique: false } } } });
    const { customer: a } = await cdp.customers.create({ firstName: "Ann", identifiers: [{ type: "memberId", value: "m1" }] });
    const { customer: b } = await cdp.customers.create({
      firstName: "Bob",
      identifiers: [{ type: "memberId", value: "m1" }],
      onConflict: "merge",
    });
    expect(b.id).not.toBe(a.id);
    await cdp.settings.update({ identity: { types: { memberId: null } } });
    await cdp.customers.delete(b.id, { reason: "duplicate" });
    await cdp.customers.update(a.id, { lastName: "Lee" });

    expect((await cdp.customers.lookup({ type: "memberId", value: "m1" })).id).toBe(a.id);
    expect((await cdp.identity.resolve({ identifiers: [{ type: "memberId", value: "m1" }] })).customerId).toBe(a.id);
  });
});

describe("ids", () => {
  it("keep coming when the clock is set back, even before 1970", async () => {
    const { cdp, writer, clock } = setup();
    await writer.track({ userId: "u1", event: "Signed Up" });
    clock.set("1969-07-20T20:17:00.000Z");
    expect((await writer.track({ userId: "u1", event: "Product Viewed" })).accepted).toBe(1);
    await cdp.customers.create({ firstName: "Ada" });
    expect(await cdp.customers.list({ q: "Ada" }).toArray()).toHaveLength(1);
  });
});

describe("a string body handed to backend.fetch", () => {
  const post = (backend: ReturnType<typeof createBackend>, body: string, headers: Record<string, string> = {}) =>
    backend.fetch("/v1/track", {
      method: "POST",
      headers: { authorization: `Basic ${btoa(`${backend.writeKey}:`)}`, "content-type": "application/json", ...headers },
      body,
    });

  it("drops a leading byte order mark, as text decoded from the network does", async () => {
    const { backend } = setup();
    const response = await post(backend, `\ufeff${JSON.stringify({ userId: "u1", event: "Signed Up" })}`);
    expect(response.status).toBe(200);
  });

  it("reads a lone surrogate as U+FFFD, as text decoded from UTF-8 does", async () => {
    const { backend, cdp } = setup();
    // The raw unit in the text (JSON.stringify would have escaped it as \ud800, which parses to the unit itself).
    const response = await post(backend, '{"userId":"u1","event":"Signed Up","properties":{"note":"a\ud800b"}}');
    expect(response.status).toBe(200);
    const [event] = await cdp.events.list({ type: "Signed Up" }).toArray();
    expect(event?.properties.note).toBe("a\ufffdb");
  });

  it("is refused by its declared Content-Length when that is over the limit", async () => {
    const { backend } = setup();
    const response = await post(backend, JSON.stringify({ userId: "u1", event: "Signed Up" }), { "content-length": "99999999" });
    expect(response.status).toBe(413);
  });
});
