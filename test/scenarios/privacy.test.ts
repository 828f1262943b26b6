import { createBackend, manualClock } from "@cdp/backend";
import { Cdp, NotFoundError, PermissionError, ValidationError } from "@cdp/sdk";
import { describe, expect, it } from "vitest";

/**
 * Issue 4's scenarios: consents, subscriptions and privacy rights (DESIGN §3, §8), through the
 * public SDK against the in-memory backend, with tracking sent as a Segment client sends it.
 */
async function world() {
  const clock = manualClock("2026-06-01T10:00:00Z");
  const backend = createBackend({ clock, seed: 11 });
  const admin = new Cdp({ fetch: backend.fetch, apiKey: backend.adminKey, maxRetries: 0 });
  const as = async (role: "guest" | "user" | "dpo", workspaces?: string[]) => {
    const { secret } = await admin.keys.create({ name: `${role}-key`, role, ...(workspaces ? { workspaces } : {}) });
    return new Cdp({ fetch: backend.fetch, apiKey: secret, maxRetries: 0 });
  };
  let sequence = 0;
  const track = async (type: string, message: Record<string, unknown>) => {
    const response = await backend.fetch(`http://cdp.test/v1/${type}`, {
      method: "POST",
      headers: { authorization: `Basic ${btoa(`${backend.writeKey}:`)}`, "content-type": "application/json" },
      body: JSON.stringify({ messageId: `m-${++sequence}`, ...message }),
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };
  return { clock, backend, admin, as, track, dpo: await as("dpo"), user: await as("user"), guest: await as("guest") };
}

const disclaimer = { version: "v1", approvedAt: "2026-01-15T00:00:00.000Z" };

describe("consents, subscriptions and privacy rights", () => {
  it("1. granted at t1, denied at t2: the state is denied; both records are in the history and in the export", async () => {
    const { clock, admin, dpo } = await world();
    const { customer } = await admin.customers.create({ email: "ann@example.com", firstName: "Ann" });
    const t1 = new Date(clock.now()).toISOString();
    await admin.consents.record(customer.id, {
      purpose: "marketing",
      decision: "granted",
      disclaimer,
      source: "web_form",
      proof: { url: "https://shop.example/signup", ip: "203.0.113.7", userAgent: "Mozilla/5.0" },
    });
    clock.advance(86_400_000);
    const t2 = new Date(clock.now()).toISOString();
    await admin.consents.record(customer.id, { purpose: "marketing", decision: "denied", source: "preference_center" });

    const state = await admin.consents.get(customer.id);
    expect(state.purposes.find((purpose) => purpose.purpose === "marketing")).toMatchObject({
      state: "denied",
      decision: "denied",
      collectedAt: t2,
      source: "preference_center",
    });
    expect(state.consentMode.ad_storage).toBe("denied");
    const history = await dpo.consents.history(customer.id).toArray();
    expect(history.map((record) => [record.decision, record.collectedAt])).toEqual([
      ["denied", t2],
      ["granted", t1],
    ]);
    expect(history[1]).toMatchObject({
      source: "web_form",
      disclaimer,
      proof: { url: "https://shop.example/signup", ip: "203.0.113.7", userAgent: "Mozilla/5.0" },
      historicalImport: false,
    });
    const exported = await dpo.customers.export(customer.id);
    expect(exported.consents.history.map((record) => record.decision)).toEqual(["granted", "denied"]);
    expect(exported.consents.state.purposes.find((purpose) => purpose.purpose === "marketing")?.state).toBe("denied");
  });

  it("2. guest and user keys cannot read the consent history (403); dpo and admin can", async () => {
    const { admin, dpo, user, guest } = await world();
    const { customer } = await admin.customers.create({ email: "ann@example.com" });
    await user.consents.record(customer.id, { purpose: "profiling", decision: "granted" });

    for (const client of [guest, user]) {
      const refused = await client.consents
        .history(customer.id)
        .page()
        .catch((error: unknown) => error);
      expect(refused).toBeInstanceOf(PermissionError);
      expect(refused).toMatchObject({ status: 403, code: "forbidden" });
      // The state itself is theirs to read.
      expect((await client.consents.get(customer.id)).purposes.find((purpose) => purpose.purpose === "profiling")?.state).toBe("granted");
    }
    for (const client of [dpo, admin]) expect(await client.consents.history(customer.id).toArray()).toHaveLength(1);
  });

  it("3. a double opt-in list: pending, confirmed, subscribed; an unsubscribe keeps its reason and method", async () => {
    const { admin, user } = await world();
    const list = await admin.lists.create({ name: "Newsletter", channel: "email", kind: "marketing", doubleOptIn: true });
    const { customer } = await admin.customers.create({ email: "ann@example.com" });

    expect(await user.subscriptions.subscribe(customer.id, list.id, { method: "web_form" })).toMatchObject({
      state: "pending",
      value: "ann@example.com",
      method: "web_form",
    });
    expect(await user.subscriptions.confirm(customer.id, list.id)).toMatchObject({ state: "subscribed", method: "double_opt_in" });
    const ended = await user.subscriptions.unsubscribe(customer.id, list.id, { reason: "too many emails", method: "link" });

    expect(ended).toMatchObject({ state: "unsubscribed", reason: "too many emails", method: "link" });
    expect(ended.subscribedAt).not.toBeNull();
    expect(ended.unsubscribedAt).not.toBeNull();
    expect((await user.subscriptions.list(customer.id)).data).toEqual([ended]);
    await expect(user.subscriptions.confirm(customer.id, list.id)).rejects.toMatchObject({ status: 409, code: "subscription_not_pending" });
  });

  it("4. a phone with an SMS opt-in moves from A to B: B is never_subscribed on the list, A no longer has the phone", async () => {
    const { admin, user } = await world();
    const sms = await admin.lists.create({ name: "SMS offers", channel: "sms", kind: "marketing" });
    const { customer: a } = await admin.customers.create({ email: "a@x.com", phone: "+49 151 12345678" });
    const { customer: b } = await admin.customers.create({ email: "b@x.com" });
    expect(await user.subscriptions.subscribe(a.id, sms.id)).toMatchObject({ state: "subscribed", value: "+4915112345678" });

    await user.customers.addIdentifier(b.id, { type: "phone", value: "+4915112345678", move: true });

    expect((await user.subscriptions.list(b.id)).data).toEqual([
      expect.objectContaining({ listId: sms.id, value: "+4915112345678", state: "never_subscribed" }),
    ]);
    const ofA = await admin.customers.get(a.id);
    expect(ofA.phone).toBeNull();
    expect((await user.subscriptions.list(a.id)).data).toEqual([
      expect.objectContaining({ listId: sms.id, value: "+4915112345678", state: "unsubscribed", reason: "contact_removed" }),
    ]);
  });

  it("5. the same email in W1 and W2: unsubscribing in W1 leaves W2 subscribed; an erase removes both", async () => {
    const { admin, backend, as } = await world();
    const w2 = await admin.workspaces.create({ name: "Second shop" });
    const inW2 = new Cdp({ fetch: backend.fetch, apiKey: backend.adminKey, workspace: w2.id, maxRetries: 0 });
    const dpo = await as("dpo", [backend.workspaceId]);
    const [list1, list2] = [
      await admin.lists.create({ name: "News", channel: "email", kind: "marketing" }),
      await inW2.lists.create({ name: "News", channel: "email", kind: "marketing" }),
    ];
    const { customer: p1 } = await admin.customers.create({ email: "pat@example.com", firstName: "Pat" });
    const { customer: p2 } = await inW2.customers.create({ email: "pat@example.com", firstName: "Pat" });
    await admin.subscriptions.subscribe(p1.id, list1.id);
    await inW2.subscriptions.subscribe(p2.id, list2.id);

    await admin.subscriptions.unsubscribe(p1.id, list1.id, { reason: "not interested" });
    expect((await inW2.subscriptions.list(p2.id)).data[0]).toMatchObject({ state: "subscribed" });

    const request = await dpo.customers.erase(p1.id, { reason: "Art. 17 request" });
    expect(request).toMatchObject({ type: "erasure", status: "completed", erased: { customers: 2 } });
    expect(request.workspaces.sort()).toEqual([backend.workspaceId, w2.id].sort());
    await expect(admin.customers.get(p1.id)).rejects.toBeInstanceOf(NotFoundError);
    await expect(inW2.customers.get(p2.id)).rejects.toBeInstanceOf(NotFoundError);
    await expect(inW2.customers.lookup({ type: "email", value: "pat@example.com" })).rejects.toBeInstanceOf(NotFoundError);
    await expect(inW2.subscriptions.list(p2.id)).rejects.toBeInstanceOf(NotFoundError);
  });

  it("6. erase P, then a tracking message with P's email is dropped: nothing re-created, no export, search or list shows P", async () => {
    const { admin, dpo, track } = await world();
    await track("identify", { userId: "p-1", anonymousId: "dev-p", traits: { email: "p@x.com", firstName: "Pia" } });
    await track("track", { userId: "p-1", event: "Order Completed", properties: { order_id: "o-1", total: "10.00", currency: "EUR" } });
    const p = await admin.customers.lookup({ type: "email", value: "p@x.com" });
    await admin.consents.record(p.id, { purpose: "marketing", decision: "granted" });

    const request = await dpo.customers.erase(p.id, { reason: "Art. 17 request of 2026-05-30" });

    const again = await track("identify", { traits: { email: "P@X.com" }, anonymousId: "dev-new" });
    const byDevice = await track("page", { anonymousId: "dev-p", name: "Home" });
    expect(again).toEqual({ status: 200, body: { accepted: 1, rejected: [] } });
    expect(byDevice.body).toEqual({ accepted: 1, rejected: [] });
    expect(await admin.customers.list().toArray()).toEqual([]);
    expect(await admin.customers.list({ q: "pia" }).toArray()).toEqual([]);
    expect(await admin.customers.search({ conditions: [{ field: "email", op: "eq", value: "p@x.com" }] }).toArray()).toEqual([]);
    expect(await admin.events.list().toArray()).toEqual([]);
    await expect(admin.customers.get(p.id)).rejects.toBeInstanceOf(NotFoundError);
    await expect(dpo.customers.export(p.id)).rejects.toBeInstanceOf(NotFoundError);
    await expect(admin.consents.get(p.id)).rejects.toBeInstanceOf(NotFoundError);

    // The audit entry keeps reason, actor, time and a hash: never the id.
    const [entry] = await admin.audit.list({ action: "customers.erase" }).toArray();
    expect(entry).toMatchObject({ reason: "Art. 17 request of 2026-05-30", target: request.subject });
    expect(entry?.target).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(JSON.stringify(await admin.audit.list({ action: "customers.erase" }).toArray())).not.toContain(p.id);
    expect(await dpo.privacyRequests.list({ type: "erasure" }).toArray()).toEqual([request]);
  });

  it("7. an objection to marketing unsubscribes every marketing subscription, with reason objection", async () => {
    const { admin, user } = await world();
    const news = await admin.lists.create({ name: "News", channel: "email", kind: "marketing" });
    const offers = await admin.lists.create({ name: "Offers", channel: "sms", kind: "marketing" });
    const receipts = await admin.lists.create({ name: "Receipts", channel: "email", kind: "transactional" });
    const { customer } = await admin.customers.create({ email: "ann@example.com", phone: "+14155550100" });
    for (const list of [news, offers, receipts]) await user.subscriptions.subscribe(customer.id, list.id);

    await user.consents.record(customer.id, { kind: "objection", purpose: "marketing", active: true, source: "email_reply" });

    const byList = Object.fromEntries((await user.subscriptions.list(customer.id)).data.map((s) => [s.listId, s]));
    expect(byList[news.id]).toMatchObject({ state: "unsubscribed", reason: "objection" });
    expect(byList[offers.id]).toMatchObject({ state: "unsubscribed", reason: "objection" });
    expect(byList[receipts.id]).toMatchObject({ state: "subscribed" });
    expect((await user.consents.get(customer.id)).purposes.find((purpose) => purpose.purpose === "marketing")).toMatchObject({
      state: "denied",
      objection: true,
    });
    await expect(user.subscriptions.subscribe(customer.id, news.id)).rejects.toMatchObject({ status: 422, code: "objection_active" });
  });

  it("8. a limitation: a user key's writes are refused with a clear error; the profile is left out of its search, not the dpo's", async () => {
    const { admin, dpo, user, track } = await world();
    const { customer } = await admin.customers.create({
      email: "rita@example.com",
      firstName: "Rita",
      identifiers: [{ type: "userId", value: "r-1" }],
    });

    const restricted = await dpo.customers.restrict(customer.id, { reason: "accuracy contested" });
    expect(restricted.restricted).toBe(true);

    const refused = await user.customers.update(customer.id, { lastName: "Smith" }).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(PermissionError);
    expect(refused).toMatchObject({ status: 403, code: "processing_restricted", message: expect.stringMatching(/restricted/) });
    await expect(user.events.create({ customerId: customer.id, type: "Order Completed" })).rejects.toMatchObject({
      code: "processing_restricted",
    });
    await expect(admin.customers.export(customer.id)).rejects.toMatchObject({ code: "processing_restricted" });
    const tracked = await track("track", { userId: "r-1", event: "Product Viewed" });
    expect(tracked.status).toBe(403);
    expect(tracked.body).toMatchObject({ error: { code: "processing_restricted" } });

    expect(await user.customers.list({ q: "rita" }).toArray()).toEqual([]);
    expect(await user.customers.search({ conditions: [{ field: "firstName", op: "eq", value: "Rita" }] }).toArray()).toEqual([]);
    expect((await dpo.customers.list({ q: "rita" }).toArray()).map((found) => found.id)).toEqual([customer.id]);
    expect((await dpo.customers.update(customer.id, { lastName: "Smith" })).lastName).toBe("Smith");
    // A withdrawal narrows processing and is taken from anyone.
    expect(await user.consents.record(customer.id, { purpose: "marketing", decision: "denied" })).toMatchObject({ decision: "denied" });
    const state = await user.consents.get(customer.id);
    expect(state.limitation).toBe(true);

    await dpo.customers.unrestrict(customer.id);
    expect((await user.customers.update(customer.id, { lastName: "Jones" })).lastName).toBe("Jones");
    expect((await dpo.privacyRequests.list().toArray()).map((request) => request.type).sort()).toEqual([
      "restriction",
      "restriction_lifted",
    ]);
  });
});

describe("consents, subscriptions and privacy: the rules around the scenarios", () => {
  it("records consent from tracking (context.consent.categoryPreferences) only when a purpose's decision changes", async () => {
    const { admin, track } = await world();
    const consent = (preferences: Record<string, unknown>) => ({ consent: { categoryPreferences: preferences } });
    await track("page", {
      anonymousId: "dev-1",
      name: "Home",
      context: consent({ profiling: true, marketing: false, unknownThing: true }),
    });
    await track("page", { anonymousId: "dev-1", name: "Cart", context: consent({ profiling: true, marketing: false }) });
    await track("track", { anonymousId: "dev-1", event: "Segment Consent Preference Updated", context: consent({ marketing: true }) });
    await track("page", { anonymousId: "dev-1", name: "Checkout" });

    const customer = await admin.customers.lookup({ type: "anonymousId", value: "dev-1" });
    const history = await admin.consents.history(customer.id).toArray();
    expect(history.map((record) => [record.purpose, record.decision, record.source, record.recordedBy])).toEqual([
      ["marketing", "granted", "tracking", null],
      ["marketing", "denied", "tracking", null],
      ["profiling", "granted", "tracking", null],
    ]);
    const state = await admin.consents.get(customer.id);
    expect(state.consentMode).toMatchObject({ analytics_storage: "granted", ad_storage: "granted", ad_user_data: "denied" });
  });

  it("merges consents per purpose, the latest decision winning, and keeps both histories", async () => {
    const { clock, admin, track } = await world();
    const { customer: older } = await admin.customers.create({ email: "m@x.com" });
    clock.advance(60_000);
    const { customer: newer } = await admin.customers.create({ identifiers: [{ type: "userId", value: "m-1" }] });
    await admin.consents.record(newer.id, { purpose: "marketing", decision: "granted" });
    clock.advance(60_000);
    await admin.consents.record(older.id, { purpose: "marketing", decision: "denied" });
    await admin.consents.record(newer.id, { purpose: "profiling", decision: "granted" });

    await track("identify", { userId: "m-1", traits: { email: "m@x.com" } });

    const state = await admin.consents.get(newer.id);
    expect(state.customerId).toBe(older.id);
    expect(state.purposes.filter((purpose) => purpose.state !== "unknown").map((purpose) => [purpose.purpose, purpose.state])).toEqual([
      ["marketing", "denied"],
      ["profiling", "granted"],
    ]);
    const history = await admin.consents.history(older.id).toArray();
    expect(history.map((record) => record.recordedOn).sort()).toEqual([older.id, newer.id, newer.id].sort());
  });

  it("refuses a backdated consent without historicalImport (422), takes it with the flag, and names the field", async () => {
    const { admin } = await world();
    const { customer } = await admin.customers.create({ email: "h@x.com" });
    const collectedAt = "2024-02-01T12:00:00.000Z";
    const refused = await admin.consents
      .record(customer.id, { purpose: "marketing", decision: "granted", collectedAt })
      .catch((error) => error);
    expect(refused).toBeInstanceOf(ValidationError);
    expect(refused).toMatchObject({ status: 422, code: "backdated_consent", issues: [{ path: "body.collectedAt" }] });
    expect(await admin.consents.history(customer.id).toArray()).toEqual([]);

    const imported = await admin.consents.record(customer.id, {
      purpose: "marketing",
      decision: "granted",
      collectedAt,
      historicalImport: true,
    });
    expect(imported).toMatchObject({ collectedAt, historicalImport: true });
    await expect(admin.consents.record(customer.id, { purpose: "newsletter", decision: "granted" })).rejects.toMatchObject({
      code: "unknown_purpose",
      issues: [{ path: "body.purpose" }],
    });
    await expect(admin.consents.record(customer.id, { kind: "limitation", active: true })).rejects.toMatchObject({ status: 403 });
  });

  it("keeps a workspace's own purposes with their Consent Mode and TCF mappings, and a TCF string byte for byte", async () => {
    const { admin } = await world();
    await admin.purposes.define({
      id: "personalisation",
      name: "Personalised content",
      consentMode: ["ad_personalization"],
      tcfPurposes: [6, 5],
    });
    const purposes = await admin.purposes.list();
    expect(purposes.data.map((purpose) => purpose.id)).toEqual([
      "marketing",
      "profiling",
      "softSpam",
      "thirdPartyTransfer",
      "personalisation",
    ]);
    expect(purposes.data.at(-1)).toMatchObject({ builtIn: false, consentMode: ["ad_personalization"], tcfPurposes: [5, 6] });
    const { customer } = await admin.customers.create({ email: "t@x.com" });
    const tcfString =
      "CPXxRfAPXxRfAAfKABENB-CgAAAAAAAAAAYgAAAAAAAA.IGLtV_T9fb2vj-_Z99_tkeYwf95y3p-wzhheMs-8NyZeH_B4Wv2MyvBX4JiQKGRgksjLBAQdtHGlcTQgBwIlViTLMYk2MjzNKJrJEilsbO2dYGD9Pn8HT3ZCY70-vv__7v3ff_3g";
    const record = await admin.consents.record(customer.id, { purpose: "personalisation", decision: "granted", tcfString });
    expect(record.tcfString).toBe(tcfString);
    await expect(admin.purposes.define({ id: "marketing", name: "Again" })).rejects.toMatchObject({ status: 409, code: "already_exists" });
  });

  it("suppresses a contact value on a whole channel: its subscriptions end and no list of the channel takes it again", async () => {
    const { admin, user } = await world();
    const news = await admin.lists.create({ name: "News", channel: "email", kind: "marketing" });
    const receipts = await admin.lists.create({ name: "Receipts", channel: "email", kind: "transactional" });
    const { customer } = await admin.customers.create({ email: "bounce@example.com" });
    await user.subscriptions.subscribe(customer.id, news.id);

    const suppression = await user.suppressions.create({ channel: "email", value: " Bounce@Example.com ", reason: "hard bounce" });

    expect(suppression).toMatchObject({ channel: "email", value: "bounce@example.com", unsubscribed: 1 });
    expect((await user.subscriptions.list(customer.id)).data.find((s) => s.listId === news.id)).toMatchObject({
      state: "unsubscribed",
      reason: "suppressed",
    });
    await expect(user.subscriptions.subscribe(customer.id, receipts.id)).rejects.toMatchObject({ code: "contact_suppressed" });
    expect((await user.suppressions.list()).data).toEqual([suppression]);
  });

  it("exports one customer as CSV: a header and one row with the profile, the consent flags and consentDate", async () => {
    const { admin, dpo } = await world();
    const { customer } = await admin.customers.create({
      email: "ann@example.com",
      firstName: "Ann",
      lastName: "Lee, Jr.",
      address: { city: "Berlin", country: "DE" },
      tags: ["vip"],
    });
    const granted = await admin.consents.record(customer.id, { purpose: "marketing", decision: "granted" });

    const csv = await dpo.customers.export(customer.id, { format: "csv" });

    const [header, row, ...rest] = csv.trimEnd().split("\r\n");
    expect(rest).toEqual([]);
    const columns = header?.split(",") ?? [];
    expect(columns).toEqual(
      expect.arrayContaining(["id", "email", "firstName", "address.city", "tags", "createdAt", "consent.marketing", "consentDate"]),
    );
    expect(row).toContain(customer.id);
    expect(row).toContain('"Lee, Jr."');
    const cells = Object.fromEntries(
      columns.map((column, index) => [column, row?.match(/("([^"]|"")*"|[^,]*)(,|$)/g)?.[index]?.replace(/,$/, "")]),
    );
    expect(cells).toMatchObject({
      email: "ann@example.com",
      "consent.marketing": "granted",
      "consent.profiling": "unknown",
      consentDate: granted.collectedAt,
    });
    const requests = await dpo.privacyRequests.list({ type: "access" }).toArray();
    expect(requests).toHaveLength(1);
  });

  it("a restricted profile's events: changed by a dpo only, and left out of event lists for every other role", async () => {
    const { admin, dpo, user } = await world();
    const { customer } = await admin.customers.create({ email: "rita@example.com" });
    const { customer: other } = await admin.customers.create({ email: "olga@example.com" });
    const event = await admin.events.create({ customerId: customer.id, type: "Order Completed", properties: { order_id: "1" } });
    const kept = await admin.events.create({ customerId: other.id, type: "Order Completed", properties: { order_id: "2" } });
    await dpo.customers.restrict(customer.id);

    const refusals = [
      () => user.events.update(event.id, { properties: { order_id: "9" } }),
      () => user.events.duplicate(event.id),
      () => admin.events.update(event.id, { type: "Order Cancelled" }),
      () => admin.events.duplicate(event.id),
      () => admin.events.delete(event.id, { reason: "cleanup" }),
    ];
    for (const refusal of refusals) await expect(refusal()).rejects.toMatchObject({ status: 403, code: "processing_restricted" });
    // Nothing changed: the event is as it was, and no copy was made.
    expect(await dpo.events.get(event.id)).toEqual(event);
    expect((await dpo.events.list({ customerId: customer.id }).toArray()).map((found) => found.id)).toEqual([event.id]);

    for (const reader of [user, admin]) {
      expect((await reader.events.list().toArray()).map((found) => found.id)).toEqual([kept.id]);
      expect(await reader.events.list({ customerId: customer.id }).toArray()).toEqual([]);
    }
    expect((await dpo.events.list().toArray()).map((found) => found.id).sort()).toEqual([event.id, kept.id].sort());
    expect((await dpo.events.update(event.id, { properties: { note: "checked" } })).properties).toEqual({ order_id: "1", note: "checked" });

    await dpo.customers.unrestrict(customer.id);
    expect((await user.events.list({ customerId: customer.id }).toArray()).map((found) => found.id)).toEqual([event.id]);
    await admin.events.delete(event.id, { reason: "cleanup" });
    await expect(admin.events.get(event.id)).rejects.toMatchObject({ status: 404 });
  });

  it("a write refused for a restricted profile named in the body says where: customerId, the identifier, the id in a bulk delete", async () => {
    const { admin, dpo } = await world();
    const { customer: rita } = await admin.customers.create({ email: "rita@example.com", identifiers: [{ type: "userId", value: "r-1" }] });
    const { customer: olga } = await admin.customers.create({ email: "olga@example.com" });
    await dpo.customers.restrict(rita.id);
    const issue = (path: string) => ({ path, message: expect.stringMatching(/restricted/) });

    await expect(admin.events.create({ customerId: rita.id, type: "Order Completed" })).rejects.toMatchObject({
      status: 403,
      code: "processing_restricted",
      issues: [issue("body.customerId")],
    });
    await expect(
      admin.events.create({
        identifiers: [
          { type: "email", value: "olga@example.com" },
          { type: "userId", value: "r-1" },
        ],
        type: "Order Completed",
      }),
    ).rejects.toMatchObject({ status: 403, issues: [issue("body.identifiers.1.value")] });
    await expect(admin.customers.create({ email: " RITA@example.com", onConflict: "merge", firstName: "R" })).rejects.toMatchObject({
      status: 403,
      issues: [issue("body.email")],
    });
    await expect(admin.customers.addIdentifier(olga.id, { type: "userId", value: "r-1", move: true })).rejects.toMatchObject({
      status: 403,
      issues: [issue("body.value")],
    });
    await expect(admin.customers.bulkDelete({ ids: [olga.id, rita.id], reason: "cleanup" })).rejects.toMatchObject({
      status: 403,
      issues: [issue("body.ids.1")],
    });
    // Nothing was written.
    expect(await dpo.events.list().toArray()).toEqual([]);
    expect((await dpo.customers.get(rita.id)).firstName).toBeNull();
    expect((await dpo.customers.get(olga.id)).identifiers?.map((identifier) => identifier.type)).toEqual(["email"]);
  });

  it("a merge refused for a restricted profile names which: body.into or body.from.N, one issue each, and merges nothing", async () => {
    const { admin, dpo } = await world();
    const ids: string[] = [];
    for (const email of ["ann@x.com", "bob@x.com", "cat@x.com", "dan@x.com"])
      ids.push((await admin.customers.create({ email })).customer.id);
    const [ann, bob, cat, dan] = ids as [string, string, string, string];
    await dpo.customers.restrict(cat);
    await dpo.customers.restrict(dan);

    const issue = (path: string) => ({ path, message: expect.stringMatching(/restricted/) });
    await expect(admin.customers.merge({ into: ann, from: [bob, cat] })).rejects.toMatchObject({
      status: 403,
      code: "processing_restricted",
      issues: [issue("body.from.1")],
    });
    await expect(admin.customers.merge({ into: cat, from: [ann] })).rejects.toMatchObject({ issues: [issue("body.into")] });
    await expect(admin.customers.merge({ into: dan, from: [ann, cat] })).rejects.toMatchObject({
      issues: [issue("body.into"), issue("body.from.1")],
    });
    // Nothing merged.
    for (const id of ids) expect((await dpo.customers.get(id)).status).toBe("active");
  });

  it("refuses a tracking message for a restricted profile in a batch as one rejected entry, the others going through", async () => {
    const { admin, dpo, backend } = await world();
    const { customer } = await admin.customers.create({ identifiers: [{ type: "userId", value: "r-1" }] });
    await dpo.customers.restrict(customer.id);
    const response = await backend.fetch("http://cdp.test/v1/batch", {
      method: "POST",
      headers: { authorization: `Basic ${btoa(`${backend.writeKey}:`)}`, "content-type": "application/json" },
      body: JSON.stringify({
        batch: [
          { type: "track", userId: "r-1", event: "Product Viewed", messageId: "b-1" },
          { type: "track", userId: "u-2", event: "Product Viewed", messageId: "b-2" },
        ],
      }),
    });
    expect(await response.json()).toMatchObject({ accepted: 1, rejected: [{ index: 0, messageId: "b-1", code: "processing_restricted" }] });
    expect(await admin.events.list({ customerId: customer.id }).toArray()).toEqual([]);
  });

  it("drops the answers kept for Idempotency-Keys that name an erased person: a replay answers 410, never the person's data", async () => {
    const { backend, admin, dpo } = await world();
    const { customer: pia } = await admin.customers.create({ email: "pia@x.com", firstName: "Pia" }, { idempotencyKey: "create-pia" });
    await admin.customers.update(pia.id, { lastName: "Berg" }, { idempotencyKey: "update-pia" });
    const { customer: ola } = await admin.customers.create({ email: "ola@x.com", firstName: "Ola" }, { idempotencyKey: "create-ola" });

    await dpo.customers.erase(pia.id, { reason: "Art. 17 request" });

    // The same request with the same key: no replay of Pia's profile, and no second create.
    const replay = await backend.fetch("http://cdp.test/v1/customers", {
      method: "POST",
      headers: { authorization: `Bearer ${backend.adminKey}`, "content-type": "application/json", "idempotency-key": "create-pia" },
      body: JSON.stringify({ email: "pia@x.com", firstName: "Pia" }),
    });
    const text = await replay.text();
    expect(replay.status).toBe(410);
    expect(JSON.parse(text)).toMatchObject({ error: { code: "idempotency_erased", type: "not_found" } });
    expect(text).not.toContain("pia@x.com");
    expect(text).not.toContain(pia.id);
    await expect(admin.customers.update(pia.id, { lastName: "Berg" }, { idempotencyKey: "update-pia" })).rejects.toMatchObject({
      status: 410,
      code: "idempotency_erased",
    });
    // Another body under the key is still refused as a mismatch, as before the erasure.
    await expect(admin.customers.create({ email: "someone@x.com" }, { idempotencyKey: "create-pia" })).rejects.toMatchObject({
      code: "idempotency_mismatch",
    });
    expect(await admin.customers.list().toArray()).toEqual([expect.objectContaining({ id: ola.id })]);

    // Answers about other people are kept and replay as before.
    const again = await admin.customers.create({ email: "ola@x.com", firstName: "Ola" }, { idempotencyKey: "create-ola" });
    expect(again.customer).toEqual(ola);

    // The erasure's own answer (a privacy request, naming nobody) replays like any other: a second
    // erasure of Ola would be a 404, the replay is the first answer.
    const erased = await dpo.customers.erase(ola.id, { reason: "Art. 17 request of Ola" }, { idempotencyKey: "erase-ola" });
    const erasedAgain = await dpo.customers.erase(ola.id, { reason: "Art. 17 request of Ola" }, { idempotencyKey: "erase-ola" });
    expect(erasedAgain).toEqual(erased);
    await expect(dpo.customers.erase(ola.id, { reason: "Art. 17 request of Ola" })).rejects.toBeInstanceOf(NotFoundError);
  });

  it("drops kept answers that name the erased person only in their path: a subscription's answer holds the email, not the id", async () => {
    const { backend, admin, dpo } = await world();
    const list = await admin.lists.create({ name: "News", channel: "email", kind: "marketing" });
    const { customer: pia } = await admin.customers.create({ email: "pia@x.com" });
    const subscribed = await admin.subscriptions.subscribe(pia.id, list.id, { method: "web_form" }, { idempotencyKey: "sub-pia" });
    expect(JSON.stringify(subscribed)).toContain("pia@x.com");
    expect(JSON.stringify(subscribed)).not.toContain(pia.id);
    await admin.subscriptions.unsubscribe(pia.id, list.id, { reason: "I am Pia, stop", method: "link" }, { idempotencyKey: "unsub-pia" });

    await dpo.customers.erase(pia.id, { reason: "Art. 17 request" });

    for (const [path, key, body] of [
      ["subscribe", "sub-pia", { method: "web_form" }],
      ["unsubscribe", "unsub-pia", { reason: "I am Pia, stop", method: "link" }],
    ] as const) {
      const replay = await backend.fetch(`http://cdp.test/v1/customers/${pia.id}/subscriptions/${list.id}/${path}`, {
        method: "POST",
        headers: { authorization: `Bearer ${backend.adminKey}`, "content-type": "application/json", "idempotency-key": key },
        body: JSON.stringify(body),
      });
      const text = await replay.text();
      expect([path, replay.status]).toEqual([path, 410]);
      expect(text).not.toContain("pia@x.com");
      expect(text).not.toContain("I am Pia");
    }
  });
});
