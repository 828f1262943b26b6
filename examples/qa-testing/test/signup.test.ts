import { createBackend, manualClock } from "@cdp/backend";
import { mswHandlers } from "@cdp/backend/msw";
import { Cdp, NotFoundError } from "@cdp/sdk";
import { setupServer } from "msw/node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { linkAccount, recordSignup } from "../src/signup.js";

/** A fresh backend per test: in memory, with a clock that moves only when told and stable ids. */
function given() {
  const clock = manualClock("2026-06-01T08:00:00Z");
  const backend = createBackend({ clock, seed: 1 });
  const cdp = new Cdp({ fetch: backend.fetch, apiKey: backend.adminKey });
  return { backend, clock, cdp };
}

describe("recordSignup, in-process", () => {
  it("creates a profile for a new shopper, tagged for the newsletter", async () => {
    const { cdp } = given();
    const { customerId, isNew } = await recordSignup(cdp, { email: " Mia@Example.com", firstName: "Mia", newsletter: true });
    expect(isNew).toBe(true);
    expect(await cdp.customers.get(customerId)).toMatchObject({
      email: "mia@example.com",
      firstName: "Mia",
      tags: ["newsletter"],
      createdAt: "2026-06-01T08:00:00.000Z",
    });
  });

  it("updates the profile that already holds the email instead of making a second one", async () => {
    const { cdp, clock } = given();
    const first = await recordSignup(cdp, { email: "mia@example.com", newsletter: false });
    clock.advance(24 * 60 * 60 * 1000);
    const again = await recordSignup(cdp, { email: "MIA@example.com", firstName: "Mia", newsletter: true });
    expect(again).toEqual({ customerId: first.customerId, isNew: false });
    const profile = await cdp.customers.get(first.customerId);
    expect(profile).toMatchObject({ firstName: "Mia", tags: ["newsletter"], updatedAt: "2026-06-02T08:00:00.000Z" });
    expect(await cdp.customers.list().toArray()).toHaveLength(1);
  });

  it("links an account once: a second profile cannot take the same account id", async () => {
    const { cdp } = given();
    await recordSignup(cdp, { email: "a@example.com", newsletter: false, accountId: "acct-1" });
    await recordSignup(cdp, { email: "b@example.com", newsletter: false });
    expect(await linkAccount(cdp, "b@example.com", "acct-1")).toBe(false);
    expect(await linkAccount(cdp, "b@example.com", "acct-2")).toBe(true);
    await expect(linkAccount(cdp, "nobody@example.com", "acct-3")).rejects.toBeInstanceOf(NotFoundError);
  });

  it("leaves an audit trail a QA engineer can assert on", async () => {
    const { cdp } = given();
    await recordSignup(cdp, { email: "a@example.com", newsletter: true });
    const { data } = await cdp.audit.list().page();
    expect(data.map((entry) => entry.action)).toEqual(["customers.create"]);
  });
});

describe("recordSignup, behind msw (for code that builds its own client from a URL)", () => {
  const backend = createBackend();
  const server = setupServer(...mswHandlers(backend, { baseUrl: "https://cdp.shop.test" }));
  beforeAll(() => server.listen({ onUnhandledRequest: "error" }));
  afterAll(() => server.close());

  it("reaches the in-memory backend through the network stack", async () => {
    const cdp = new Cdp({ baseUrl: "https://cdp.shop.test", apiKey: backend.adminKey });
    const { isNew } = await recordSignup(cdp, { email: "net@example.com", newsletter: false });
    expect(isNew).toBe(true);
    expect((await cdp.customers.lookup({ type: "email", value: "net@example.com" })).email).toBe("net@example.com");
  });
});
