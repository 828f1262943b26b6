import { describe, expect, it } from "vitest";
import { trackingWorld } from "./tracking-world.js";

/**
 * Segment's mobile libraries name the install in `context.device.id` and its push token in
 * `context.device.token`: they are the `deviceId` and `pushToken` identifiers (DESIGN §3), resolved
 * with the priorities and limits of DESIGN §4.
 */
const phone = (id: unknown, token?: unknown) => ({
  library: { name: "analytics-swift", version: "1.6.1" },
  device: { id, manufacturer: "Apple", model: "iPhone15,2", type: "ios", ...(token === undefined ? {} : { token }) },
  os: { name: "iOS", version: "18.1" },
});

describe("tracking from a mobile app: context.device", () => {
  it("keeps the device id and push token as identifiers, and finds the profile by either", async () => {
    const { cdp, post } = trackingWorld(21);
    const answer = await post("screen", { anonymousId: "anon-1", name: "Home", messageId: "m-1", context: phone("D-1", "tok-1") });
    expect(answer.status).toBe(200);

    const byDevice = await cdp.customers.lookup({ type: "deviceId", value: "D-1" });
    expect((await cdp.customers.lookup({ type: "pushToken", value: "tok-1" })).id).toBe(byDevice.id);
    expect((await cdp.customers.lookup({ type: "anonymousId", value: "anon-1" })).id).toBe(byDevice.id);
    const { identifiers, changelog } = await cdp.customers.identities(byDevice.id);
    expect(identifiers.map(({ type, value }) => `${type}:${value}`).sort()).toEqual([
      "anonymousId:anon-1",
      "deviceId:D-1",
      "pushToken:tok-1",
    ]);
    expect(changelog.map(({ type, action }) => `${action} ${type}`).sort()).toEqual([
      "added anonymousId",
      "added deviceId",
      "added pushToken",
    ]);
  });

  it("joins a new anonymous id to the profile its device is on (app data cleared)", async () => {
    const { cdp, post } = trackingWorld(22);
    await post("track", { anonymousId: "anon-1", event: "Product Viewed", messageId: "m-1", context: phone("D-1") });
    await post("track", { anonymousId: "anon-2", event: "Product Viewed", messageId: "m-2", context: phone("D-1") });

    const profile = await cdp.customers.lookup({ type: "deviceId", value: "D-1" });
    expect((await cdp.customers.lookup({ type: "anonymousId", value: "anon-2" })).id).toBe(profile.id);
    expect(await cdp.events.list({ customerId: profile.id }).toArray()).toHaveLength(2);
  });

  it("moves a shared device to the user who signs in on it; the push token stays with the first (DESIGN §4)", async () => {
    const { cdp, post } = trackingWorld(23);
    await post("identify", { userId: "ann", anonymousId: "anon-1", messageId: "m-1", context: phone("D-1", "tok-1") });
    await post("track", {
      userId: "ann",
      anonymousId: "anon-1",
      event: "Product Viewed",
      messageId: "m-2",
      context: phone("D-1", "tok-1"),
    });
    // Ben signs in on Ann's phone, with no reset: the device and its anonymous id move to him.
    await post("identify", { userId: "ben", anonymousId: "anon-1", messageId: "m-3", context: phone("D-1", "tok-1") });

    const ann = await cdp.customers.lookup({ type: "userId", value: "ann" });
    const ben = await cdp.customers.lookup({ type: "userId", value: "ben" });
    expect(ann.id).not.toBe(ben.id);
    expect((await cdp.customers.lookup({ type: "deviceId", value: "D-1" })).id).toBe(ben.id);
    expect((await cdp.customers.lookup({ type: "anonymousId", value: "anon-1" })).id).toBe(ben.id);
    // A push token is not a device: a dropped one stays where it is, and the drop is recorded.
    expect((await cdp.customers.lookup({ type: "pushToken", value: "tok-1" })).id).toBe(ann.id);
    const drops = (await cdp.customers.changelog(ben.id).toArray()).filter((entry) => entry.kind === "identifier_dropped");
    expect(drops).toEqual([expect.objectContaining({ identifier: { type: "pushToken", value: "tok-1" } })]);
    // Ann's event stays hers.
    expect(await cdp.events.list({ customerId: ann.id }).toArray()).toHaveLength(1);
    expect(await cdp.events.list({ customerId: ben.id }).toArray()).toHaveLength(0);
  });

  it("drops a blocked device id (all zeros, as a phone with tracking limited sends) with a trace, and reads no other kind of value", async () => {
    const { cdp, post } = trackingWorld(24);
    await post("track", {
      anonymousId: "anon-1",
      event: "Product Viewed",
      messageId: "m-1",
      context: phone("00000000-0000-0000-0000-000000000000"),
    });
    const profile = await cdp.customers.lookup({ type: "anonymousId", value: "anon-1" });
    const drops = (await cdp.customers.changelog(profile.id).toArray()).filter((entry) => entry.kind === "identifier_dropped");
    expect(drops).toEqual([
      expect.objectContaining({ identifier: { type: "deviceId", value: "00000000-0000-0000-0000-000000000000" }, rule: "blocked value" }),
    ]);

    await post("track", { anonymousId: "anon-2", event: "Product Viewed", messageId: "m-2", context: phone({ id: "x" }, true) });
    const other = await cdp.customers.lookup({ type: "anonymousId", value: "anon-2" });
    expect((await cdp.customers.identities(other.id)).identifiers.map((identifier) => identifier.type)).toEqual(["anonymousId"]);
  });

  it('reads a numeric device id as its text: two installs\' messages naming 42 and "42" join', async () => {
    const { cdp, post } = trackingWorld(25);
    const answer = await post("batch", {
      batch: [
        { type: "track", anonymousId: "anon-1", event: "Product Viewed", messageId: "m-1", context: phone(42) },
        { type: "track", anonymousId: "anon-2", event: "Product Added", messageId: "m-2", context: phone("42") },
      ],
    });
    expect(answer).toMatchObject({ status: 200, body: { accepted: 2, rejected: [] } });
    const profile = await cdp.customers.lookup({ type: "deviceId", value: "42" });
    expect(await cdp.events.list({ customerId: profile.id }).toArray()).toHaveLength(2);
  });
});
