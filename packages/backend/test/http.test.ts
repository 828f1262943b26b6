import { createBackend, createMemoryStore, manualClock } from "@cdp/backend";
import { type RouteDefinition, roleAllows, routes } from "@cdp/contract";
import { describe, expect, it } from "vitest";

function client(backend = createBackend()) {
  const call = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
    const response = await backend.fetch(`http://cdp.test/v1${path}`, {
      method,
      headers: {
        authorization: `Bearer ${backend.adminKey}`,
        ...(body === undefined ? {} : { "content-type": "application/json" }),
        ...headers,
      },
      ...(body === undefined ? {} : { body: typeof body === "string" ? body : JSON.stringify(body) }),
    });
    const text = await response.text();
    return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : undefined };
  };
  return { backend, call };
}

describe("HTTP API, raw", () => {
  it("creates, reads, patches and deletes a customer, auditing each write", async () => {
    const { call } = client(createBackend({ clock: manualClock("2026-03-01T10:00:00Z"), seed: 1 }));
    const created = await call("POST", "/customers", { email: " Ann@Example.com ", firstName: "Ann", tags: ["vip"] });
    expect(created.status).toBe(201);
    expect(created.headers.get("cdp-request-id")).toMatch(/^req_/);
    expect(created.body.outcome).toBe("created");
    const id = created.body.customer.id;
    expect(created.body.customer).toMatchObject({
      email: "ann@example.com",
      firstName: "Ann",
      identifiers: [{ type: "email", value: "ann@example.com" }],
      createdAt: "2026-03-01T10:00:00.000Z",
    });

    const patched = await call("PATCH", `/customers/${id}`, { lastName: "Lee", firstName: null, address: { city: "Berlin" } });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ firstName: null, lastName: "Lee", address: { city: "Berlin" } });

    const refused = await call("PATCH", `/customers/${id}`, { email: "x@y.com" });
    expect(refused.status).toBe(400);
    expect(refused.body.error.code).toBe("identifier_field");
    expect(refused.body.error.issues[0].path).toBe("body.email");

    const deleted = await call("DELETE", `/customers/${id}`, { reason: "asked to" });
    expect(deleted.status).toBe(200);
    expect((await call("GET", `/customers/${id}`)).status).toBe(404);

    const audit = await call("GET", "/audit");
    expect(audit.body.data.map((entry: { action: string }) => entry.action)).toEqual([
      "customers.delete",
      "customers.update",
      "customers.create",
    ]);
    expect(audit.body.data[0].reason).toBe("asked to");
  });

  it("names each bad field and writes nothing", async () => {
    const { call } = client();
    const bad = await call("POST", "/customers", { identifiers: [{ type: "Email!", value: "" }], birthDate: "1990-13-45", extra: 1 });
    expect(bad.status).toBe(400);
    expect(bad.body.error.type).toBe("invalid_request");
    const paths = bad.body.error.issues.map((issue: { path: string }) => issue.path);
    expect(paths).toEqual(expect.arrayContaining(["body.identifiers.0.type", "body.identifiers.0.value", "body.birthDate", "body.extra"]));
    expect((await call("GET", "/customers")).body.data).toEqual([]);
  });

  it("answers 409 on an identifier conflict, and updates the holder with onConflict merge", async () => {
    const { call } = client();
    const first = await call("POST", "/customers", { email: "a@x.com", firstName: "A" });
    const conflict = await call("POST", "/customers", { email: "A@x.com" });
    expect(conflict.status).toBe(409);
    expect(conflict.body.error.code).toBe("identifier_conflict");
    const merged = await call("POST", "/customers", { email: "a@x.com", lastName: "B", onConflict: "merge" });
    expect(merged.status).toBe(200);
    expect(merged.body).toMatchObject({ outcome: "updated", customer: { id: first.body.customer.id, firstName: "A", lastName: "B" } });
  });

  it("explains each refusal in words, not only its code", async () => {
    const { backend, call } = client();
    const anonymous = await backend.fetch("http://cdp.test/v1/customers");
    const body = (await anonymous.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe("unauthenticated");
    expect(body.error.message).toContain("Authorization: Bearer");
    const writer = await call("GET", "/customers", undefined, { authorization: `Bearer ${backend.writeKey}` });
    expect(writer.body.error).toMatchObject({ code: "write_key_forbidden", message: expect.stringContaining("tracking") });
    const relative = await backend.fetch("/v1/customers", { headers: { authorization: `Bearer ${backend.adminKey}` } });
    expect(relative.status).toBe(200);
  });

  it("forgets an idempotency key after 24 hours", async () => {
    const clock = manualClock("2026-03-01T10:00:00Z");
    const { call } = client(createBackend({ clock }));
    const first = await call("POST", "/customers", { email: "a@x.com" }, { "idempotency-key": "k" });
    expect(first.status).toBe(201);
    expect((await call("POST", "/customers", { email: "b@x.com" }, { "idempotency-key": "k" })).status).toBe(409);
    clock.advance(24 * 60 * 60 * 1000 + 1);
    expect((await call("POST", "/customers", { email: "b@x.com" }, { "idempotency-key": "k" })).status).toBe(201);
  });

  it("prunes expired idempotency records and tokens from the memory store", () => {
    const store = createMemoryStore();
    store.putIdempotency("old", { fingerprint: "f", state: "done", status: 201, body: "{}", expiresAt: 100 });
    store.putIdempotency("new", { fingerprint: "f", state: "done", status: 201, body: "{}", expiresAt: 300 });
    store.putToken({ tokenHash: "t-old", keyId: "key_x", expiresAt: 100 });
    store.pruneExpired(200);
    expect(store.getIdempotency("old")).toBeUndefined();
    expect(store.getIdempotency("new")).toBeDefined();
    expect(store.findToken("t-old")).toBeUndefined();
  });

  it("refuses bodies over 1 MiB and JSON deeper than 32", async () => {
    const { call } = client();
    expect((await call("POST", "/customers", JSON.stringify({ firstName: "x".repeat(1024 * 1024) }))).status).toBe(413);
    const deep = `${"[".repeat(40)}${"]".repeat(40)}`;
    const tooDeep = await call("POST", "/customers", deep);
    expect(tooDeep.status).toBe(400);
    expect(tooDeep.body.error.code).toBe("too_deep");
  });

  it("issues OAuth tokens by client credentials", async () => {
    const { backend, call } = client();
    const key = await call("POST", "/keys", { name: "ci", role: "user" });
    expect(key.status).toBe(201);
    const basic = btoa(`${key.body.key.id}:${key.body.secret}`);
    const token = await backend.fetch("http://cdp.test/v1/oauth/token", {
      method: "POST",
      headers: { authorization: `Basic ${basic}`, "content-type": "application/x-www-form-urlencoded" },
      body: "grant_type=client_credentials",
    });
    expect(token.status).toBe(200);
    const { access_token } = (await token.json()) as { access_token: string };
    const me = await call("GET", "/auth/me", undefined, { authorization: `Bearer ${access_token}` });
    expect(me.body).toMatchObject({ kind: "token", role: "user" });
    const wrong = await backend.fetch("http://cdp.test/v1/oauth/token", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: `grant_type=client_credentials&client_id=${key.body.key.id}&client_secret=nope`,
    });
    expect(wrong.status).toBe(401);
    expect(await wrong.json()).toMatchObject({ error: "invalid_client" });
  });
  it("serves every route with a trailing slash as without, and answers 405 only to a method the path does not take", async () => {
    const { backend, call } = client();
    const basic = { authorization: `Basic ${btoa(`${backend.writeKey}:`)}` };
    const tracked = await call("POST", "/track/", { userId: "u-slash", event: "Product Viewed" }, basic);
    expect(tracked.status, JSON.stringify(tracked.body)).toBe(200);
    const batched = await call("POST", "/batch/", { batch: [{ type: "track", userId: "u-slash", event: "Product Viewed" }] }, basic);
    expect(batched.body).toEqual({ accepted: 1, rejected: [] });
    const listed = await call("GET", "/customers/");
    expect(listed.status).toBe(200);
    expect(listed.body.data).toHaveLength(1);
    const events = await call("GET", "/events/?limit=10");
    expect(events.body.data).toHaveLength(2);
    const id = listed.body.data[0].id;
    expect((await call("GET", `/customers/${id}/`)).body.id).toBe(id);
    // Every route of the table is found with a trailing slash: never 405 or route_not_found.
    for (const route of Object.values(routes) as RouteDefinition[]) {
      const path = `${route.path.replace(/\{(\w+)\}/g, "x")}/`;
      const answer = await call(route.method, path, route.body ? {} : undefined);
      expect(answer.status, `${route.method} ${path}`).not.toBe(405);
      expect(answer.body?.error?.code, `${route.method} ${path}`).not.toBe("route_not_found");
    }
    const wrongMethod = await call("DELETE", "/track/", undefined, basic);
    expect(wrongMethod.status).toBe(405);
    expect(wrongMethod.headers.get("allow")).toBe("POST");
    // The same Idempotency-Key with and without the slash is the same request.
    const first = await call("POST", "/customers", { email: "s@x.com" }, { "idempotency-key": "slash" });
    const again = await call("POST", "/customers/", { email: "s@x.com" }, { "idempotency-key": "slash" });
    expect(again.headers.get("idempotent-replayed")).toBe("true");
    expect(again.body).toEqual(first.body);
  });

  it("refuses a forged cursor on every list, naming its place: 400 invalid_cursor; the cursors it issued still page", async () => {
    const { call } = client(createBackend({ clock: manualClock("2026-03-01T10:00:00Z") }));
    const forge = (value: unknown) => btoa(JSON.stringify(value)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
    const ann = (await call("POST", "/customers", { email: "ann@x.com" })).body.customer.id;
    await call("POST", "/customers", { email: "bob@x.com" });
    await call("POST", "/properties", { name: "score", type: "number" });
    const dpo = { authorization: `Bearer ${(await call("POST", "/keys", { name: "dpo", role: "dpo" })).body.secret}` };
    for (const type of ["Page Viewed", "Product Viewed"]) await call("POST", "/events", { customerId: ann, type });
    const time = "2026-03-01T10:00:00.000Z";
    const forged: Array<[string, string, unknown[], string]> = [
      ["GET", "/events?cursor=", ["events", 5, "evt_x"], "query.cursor"],
      ["GET", "/events?cursor=", ["events", null, "evt_x"], "query.cursor"],
      ["GET", "/events?cursor=", ["events", true, "evt_x"], "query.cursor"],
      ["GET", "/events?cursor=", ["events", "x", "evt_x"], "query.cursor"],
      ["GET", "/events?cursor=", ["events", time, ""], "query.cursor"],
      ["GET", "/events?cursor=", ["events", time, 7], "query.cursor"],
      ["GET", "/customers?cursor=", ["customers:-createdAt", 5, "cus_x"], "query.cursor"],
      ["GET", "/customers?cursor=", ["customers:-createdAt", time, ""], "query.cursor"],
      ["GET", "/customers?sort=properties.score&cursor=", ["customers:properties.score", "x", "cus_x"], "query.cursor"],
      ["GET", "/customers?sort=email&cursor=", ["customers:email", 3, "cus_x"], "query.cursor"],
      ["POST", "/customers/search", ["customers:-createdAt", true, "cus_x"], "body.cursor"],
      ["GET", "/audit?cursor=", ["audit", "x", "aud_x"], "query.cursor"],
      ["GET", "/keys?cursor=", ["keys", 1, "key_x"], "query.cursor"],
      ["GET", "/keys?cursor=", ["keys", null, ""], "query.cursor"],
      ["GET", "/privacy-requests?cursor=", ["privacy-requests", false, "prq_x"], "query.cursor"],
      ["GET", `/customers/${ann}/changelog?cursor=`, ["changelog", 1, "chg_x"], "query.cursor"],
      ["GET", `/customers/${ann}/consents/history?cursor=`, ["consents", "x", "con_x"], "query.cursor"],
    ];
    for (const [method, path, value, place] of forged) {
      // In the shape the lists issue, [kind, fingerprint, value, id]: refused for its value or id before its fingerprint is read.
      const [kind, ...position] = value as unknown[];
      const cursor = forge([kind, "0", ...position]);
      const answer =
        method === "GET"
          ? await call("GET", `${path}${cursor}`, undefined, path.startsWith("/privacy") ? dpo : {})
          : await call("POST", path, { match: "all", conditions: [{ field: "email", op: "exists" }], cursor });
      expect(answer.status, `${path} ${JSON.stringify(value)}`).toBe(400);
      expect(answer.body.error, `${path} ${JSON.stringify(value)}`).toMatchObject({
        code: "invalid_cursor",
        issues: [{ path: place, message: "is not a cursor of this list" }],
      });
    }
    // The cursors the lists issue still page, one item at a time, each item once.
    const walk = async (path: string) => {
      const ids: string[] = [];
      let cursor: string | null = null;
      do {
        const page = await call("GET", `${path}${path.includes("?") ? "&" : "?"}limit=1${cursor ? `&cursor=${cursor}` : ""}`);
        expect(page.status, JSON.stringify(page.body)).toBe(200);
        ids.push(...page.body.data.map((item: { id: string }) => item.id));
        cursor = page.body.nextCursor;
      } while (cursor);
      return ids;
    };
    expect(await walk("/events")).toHaveLength(2);
    expect(await walk("/customers")).toHaveLength(2);
    expect(await walk("/customers?sort=email")).toHaveLength(2);
    expect(await walk("/customers?sort=properties.score")).toHaveLength(2);
    expect(new Set(await walk("/audit")).size).toBeGreaterThan(3);
    expect((await walk("/keys")).length).toBeGreaterThanOrEqual(2);
  });

  it("refuses a cursor of one customer's list on another customer's (changelog, consent history, events): 400 invalid_cursor", async () => {
    const clock = manualClock("2026-03-01T10:00:00Z");
    const { call } = client(createBackend({ clock, seed: 1 }));
    const profile = async (email: string) => {
      const id = (await call("POST", "/customers", { email })).body.customer.id;
      for (let i = 0; i < 3; i++) {
        clock.advance(1000);
        await call("PATCH", `/customers/${id}`, { firstName: `${email}-${i}` });
        await call("POST", `/customers/${id}/consents`, { purpose: "marketing", decision: i % 2 ? "denied" : "granted", source: "web" });
        await call("POST", "/events", { customerId: id, type: "Page Viewed" });
      }
      return id;
    };
    const ann = await profile("ann@x.com");
    const bob = await profile("bob@x.com");
    const lists = [
      (id: string) => `/customers/${id}/changelog?limit=2`,
      (id: string) => `/customers/${id}/consents/history?limit=2`,
      (id: string) => `/events?customerId=${id}&limit=2`,
    ];
    for (const list of lists) {
      const bobsCursor = (await call("GET", list(bob))).body.nextCursor;
      expect(bobsCursor, list(bob)).toEqual(expect.any(String));
      const onAnn = await call("GET", `${list(ann)}&cursor=${bobsCursor}`);
      expect(onAnn.status, list(ann)).toBe(400);
      expect(onAnn.body.error).toMatchObject({
        code: "invalid_cursor",
        issues: [{ path: "query.cursor", message: "is not a cursor of this list" }],
      });
      // Nor does a customer's events cursor page the workspace's events, or the other way round.
      if (list(bob).startsWith("/events")) {
        expect((await call("GET", `/events?limit=2&cursor=${bobsCursor}`)).status).toBe(400);
        const workspaceCursor = (await call("GET", "/events?limit=2")).body.nextCursor;
        expect((await call("GET", `${list(bob)}&cursor=${workspaceCursor}`)).status).toBe(400);
      }
      // Bob's own cursor still pages Bob's list, and keeps paging it once Bob is merged into Ann (by either id).
      expect((await call("GET", `${list(bob)}&cursor=${bobsCursor}`)).status).toBe(200);
    }
    const cursors = await Promise.all(lists.map(async (list) => (await call("GET", list(bob))).body.nextCursor as string));
    expect((await call("POST", "/customers/merge", { into: ann, from: [bob] })).status).toBe(200);
    for (const [index, list] of lists.entries()) {
      for (const id of [bob, ann]) {
        const page = await call("GET", `${list(id)}&cursor=${cursors[index]}`);
        expect(page.status, `${list(id)} ${JSON.stringify(page.body)}`).toBe(200);
      }
    }
  });

  it("binds a cursor to its list's filters (consent history by purpose, privacy requests by type) and refuses an issued cursor edited", async () => {
    const { call } = client(createBackend({ clock: manualClock("2026-03-01T10:00:00Z"), seed: 1 }));
    const dpo = { authorization: `Bearer ${(await call("POST", "/keys", { name: "dpo", role: "dpo" })).body.secret}` };
    const ann = (await call("POST", "/customers", { email: "ann@x.com" })).body.customer.id;
    await call("POST", "/customers", { email: "bob@x.com" });
    for (const purpose of ["marketing", "profiling", "marketing", "profiling", "marketing"])
      await call("POST", `/customers/${ann}/consents`, { purpose, decision: "granted", source: "web" });
    for (const action of ["restrict", "unrestrict", "restrict", "unrestrict"])
      expect((await call("POST", `/customers/${ann}/${action}`, { reason: "asked" }, dpo)).status).toBe(200);
    const another = { code: "invalid_cursor", issues: [{ path: "query.cursor", message: "belongs to another list or query" }] };
    const pairs: Array<[string, string, Record<string, string>]> = [
      [`/customers/${ann}/consents/history?purpose=marketing`, `/customers/${ann}/consents/history?purpose=profiling`, {}],
      [`/customers/${ann}/consents/history?purpose=marketing`, `/customers/${ann}/consents/history?`, {}],
      ["/privacy-requests?type=restriction", "/privacy-requests?type=restriction_lifted", dpo],
      ["/privacy-requests?type=restriction", "/privacy-requests?status=completed", dpo],
    ];
    for (const [issuer, other, headers] of pairs) {
      const first = await call("GET", `${issuer}&limit=1`, undefined, headers);
      const cursor = first.body.nextCursor as string;
      expect(cursor, issuer).toEqual(expect.any(String));
      const refused = await call("GET", `${other}&cursor=${cursor}`, undefined, headers);
      expect(refused.status, other).toBe(400);
      expect(refused.body.error, other).toMatchObject(another);
      // Its own list, with another limit, goes on after the first page.
      const all = (await call("GET", issuer, undefined, headers)).body.data.map((item: { id: string }) => item.id);
      const rest = await call("GET", `${issuer}&limit=1000&cursor=${cursor}`, undefined, headers);
      expect([first.body.data[0].id, ...rest.body.data.map((item: { id: string }) => item.id)], issuer).toEqual(all);
    }

    // An issued cursor with its position edited, or written in the shape without a fingerprint, is no cursor of the list.
    const issued = (await call("GET", "/customers?limit=1")).body.nextCursor as string;
    const read = (cursor: string): unknown[] => JSON.parse(atob(cursor.replace(/-/g, "+").replace(/_/g, "/")));
    const write = (fields: unknown[]) => btoa(JSON.stringify(fields)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
    const [kind, fingerprint, value, id] = read(issued);
    for (const edited of [
      [kind, fingerprint, { toString: 1 }, id],
      [kind, fingerprint, value, ""],
      [kind, fingerprint, value, id, ann],
      [kind, value, id],
    ]) {
      const answer = await call("GET", `/customers?cursor=${write(edited)}`);
      expect(answer.status, JSON.stringify(edited)).toBe(400);
      expect(answer.body.error).toMatchObject({
        code: "invalid_cursor",
        issues: [{ path: "query.cursor", message: "is not a cursor of this list" }],
      });
    }
    expect((await call("GET", `/customers?cursor=${write([kind, fingerprint, value, id])}`)).status).toBe(200);
  });

  it("refuses a body on every write route that takes none (invalid JSON, anything but {}), and writes nothing", async () => {
    const { call } = client();
    const customer = (await call("POST", "/customers", { email: "dup@x.com" })).body.customer.id;
    const event = (await call("POST", "/events", { customerId: customer, type: "Page Viewed" })).body.id;
    const bodiless = (Object.values(routes) as RouteDefinition[]).filter((route) => route.method !== "GET" && !route.body);
    expect(bodiless.map((route) => route.name)).toContain("events.duplicate");
    const state = async () => [(await call("GET", "/events?limit=1000")).body, (await call("GET", "/audit?limit=1000")).body];
    const before = await state();
    for (const route of bodiless) {
      const path = route.path.replace(/\{(\w+)\}/g, (_, name: string) => (name === "id" ? event : "x"));
      const where = `${route.method} ${route.path}`;
      const broken = await call(route.method, path, "{bad");
      expect(broken.status, where).toBe(400);
      expect(broken.body.error, where).toMatchObject({ code: "invalid_json", issues: [{ path: "body" }] });
      for (const body of [{ reason: "x" }, [], null, "text", 1]) {
        const refused = await call(route.method, path, JSON.stringify(body));
        expect(refused.status, `${where} ${JSON.stringify(body)}`).toBe(400);
        expect(refused.body.error, where).toMatchObject({
          code: "validation_failed",
          issues: [{ path: "body", message: "takes no body" }],
        });
      }
    }
    expect(await state()).toEqual(before);
    // No body, or an empty object, is the request the route takes; the same Idempotency-Key covers both.
    const copied = await call("POST", `/events/${event}/duplicate`, undefined, { "idempotency-key": "dup" });
    expect(copied.status).toBe(201);
    const replayed = await call("POST", `/events/${event}/duplicate`, {}, { "idempotency-key": "dup" });
    expect(replayed.headers.get("idempotent-replayed")).toBe("true");
    expect(replayed.body).toEqual(copied.body);
    expect((await call("POST", `/events/${event}/duplicate`, {})).status).toBe(201);
  });

  it("names body.customerId in the 404 for an unknown customer on POST /events, as merge names its ids, and writes nothing", async () => {
    const { call } = client();
    const refused = await call("POST", "/events", { customerId: "cus_nope", type: "Page Viewed" });
    expect(refused.status).toBe(404);
    expect(refused.body.error).toMatchObject({
      code: "not_found",
      issues: [{ path: "body.customerId", message: "no customer with that id" }],
    });
    const merged = await call("POST", "/customers/merge", { into: "cus_nope", from: ["cus_nope2"], reason: "x" });
    expect(merged.body.error.issues[0].message).toBe(refused.body.error.issues[0].message);
    expect((await call("GET", "/events")).body.data).toEqual([]);
  });

  it("refuses a query parameter a route does not declare, on every route, and changes nothing", async () => {
    const { call } = client();
    const before = await call("GET", "/customers");
    const dpo = (await call("POST", "/keys", { name: "dpo", role: "dpo" })).body.secret as string;
    for (const route of Object.values(routes) as RouteDefinition[]) {
      if (route.auth === "tracking" || route.auth === "client") continue;
      const path = route.path.replace(/\{(\w+)\}/g, "x");
      const key: Record<string, string> =
        route.permission && !roleAllows("admin", route.permission) ? { authorization: `Bearer ${dpo}` } : {};
      const refused = await call(route.method, `${path}?limt=10`, route.body && !route.bodyOptional ? {} : undefined, key);
      expect(refused.status, `${route.method} ${route.path}`).toBe(400);
      expect(refused.body.error.issues, `${route.method} ${route.path}`).toContainEqual({
        path: "query.limt",
        message: "unknown field: limt",
      });
    }
    const created = await call("POST", "/customers?dryRun=1", { email: "q@x.com" });
    expect(created.body.error.issues).toEqual([{ path: "query.dryRun", message: "unknown field: dryRun" }]);
    expect((await call("GET", "/customers")).body).toEqual(before.body);
    // Segment's API ignores the query string; so do the tracking routes.
    const { backend } = client();
    const key = backend.writeKey;
    const tracked = await backend.fetch("http://cdp.test/v1/track?utm=1", {
      method: "POST",
      headers: { authorization: `Basic ${btoa(`${key}:`)}`, "content-type": "application/json" },
      body: JSON.stringify({ userId: "u1", event: "Product Viewed" }),
    });
    expect(tracked.status).toBe(200);
  });
});
