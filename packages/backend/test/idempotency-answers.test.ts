import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createBackend, createMemoryStore } from "../src/index.js";
import { IdempotencyAnswers } from "../src/store/memory/idempotency.js";
import type { IdempotencyRecord } from "../src/store/records.js";

const done = (body: string, customers: string[], expiresAt = 1_000): IdempotencyRecord => ({
  fingerprint: `f-${body}`,
  state: "done",
  status: 200,
  body,
  expiresAt,
  customers,
});
const inFlight = (expiresAt = 1_000): IdempotencyRecord => ({ fingerprint: "f", state: "in_flight", status: 0, body: "", expiresAt });

describe("IdempotencyAnswers", () => {
  it("drops the answers naming an erased customer and keeps the others", () => {
    const answers = new IdempotencyAnswers();
    answers.put("a", done("pia", ["cus_pia"]));
    answers.put("b", done("pia and ola", ["cus_pia", "cus_ola"]));
    answers.put("c", done("ola", ["cus_ola"]));
    answers.eraseCustomer("cus_pia");
    expect(answers.get("a")).toEqual({ fingerprint: "f-pia", state: "erased", status: 0, body: "", expiresAt: 1_000, customers: [] });
    expect(answers.get("b")?.state).toBe("erased");
    expect(answers.get("c")).toEqual(done("ola", ["cus_ola"]));
    // The erased answer no longer names Ola: erasing her touches only her own.
    answers.eraseCustomer("cus_ola");
    expect(answers.get("c")?.state).toBe("erased");
  });

  it("keeps an answer as erased when it names a customer erased while its request was in flight", () => {
    const answers = new IdempotencyAnswers();
    answers.put("update", inFlight());
    answers.put("other", inFlight());
    answers.eraseCustomer("cus_pia");
    answers.put("update", done("pia", ["cus_pia"]));
    answers.put("other", done("ola", ["cus_ola"]));
    expect(answers.get("update")?.state).toBe("erased");
    expect(answers.get("other")?.state).toBe("done");
    // Once put, the scope is no longer in flight: a later erasure of someone else changes nothing.
    answers.eraseCustomer("cus_zoe");
    expect(answers.get("other")?.state).toBe("done");
  });

  it("an answer replaced, deleted or expired is no longer found by the customers it named", () => {
    const answers = new IdempotencyAnswers();
    answers.put("a", done("first", ["cus_pia"]));
    answers.put("a", done("second", ["cus_ola"]));
    answers.eraseCustomer("cus_pia");
    expect(answers.get("a")?.state).toBe("done");
    answers.put("b", done("b", ["cus_zoe"], 100));
    answers.put("c", done("c", ["cus_zoe"], 300));
    answers.prune(200);
    expect(answers.get("b")).toBeUndefined();
    answers.put("b", done("b again", []));
    answers.eraseCustomer("cus_zoe");
    expect(answers.get("b")?.state).toBe("done");
    expect(answers.get("c")?.state).toBe("erased");
    answers.delete("a");
    answers.eraseCustomer("cus_ola");
    expect(answers.get("a")).toBeUndefined();
  });

  it("after any sequence, an answer is erased exactly when a customer it named was erased after it was claimed", () => {
    const ids = ["cus_a", "cus_b", "cus_c"];
    const step = fc.oneof(
      fc.record({ kind: fc.constant("claim" as const), scope: fc.integer({ min: 0, max: 3 }) }),
      fc.record({
        kind: fc.constant("complete" as const),
        scope: fc.integer({ min: 0, max: 3 }),
        names: fc.subarray(ids),
      }),
      fc.record({ kind: fc.constant("erase" as const), id: fc.constantFrom(...ids) }),
      fc.record({ kind: fc.constant("delete" as const), scope: fc.integer({ min: 0, max: 3 }) }),
    );
    fc.assert(
      fc.property(fc.array(step, { maxLength: 40 }), (steps) => {
        const answers = new IdempotencyAnswers();
        // The model: per scope, its state, the ids it names, and the ids erased since its claim.
        const model = new Map<number, { state: string; names: string[]; erasedSince: Set<string> }>();
        for (const s of steps) {
          if (s.kind === "claim") {
            answers.put(`s${s.scope}`, inFlight());
            model.set(s.scope, { state: "in_flight", names: [], erasedSince: new Set() });
          } else if (s.kind === "complete") {
            const entry = model.get(s.scope);
            if (entry?.state !== "in_flight") continue;
            answers.put(`s${s.scope}`, done(`body ${s.scope}`, s.names));
            entry.state = s.names.some((id) => entry.erasedSince.has(id)) ? "erased" : "done";
            entry.names = entry.state === "erased" ? [] : s.names;
          } else if (s.kind === "erase") {
            answers.eraseCustomer(s.id);
            for (const entry of model.values()) {
              if (entry.state === "in_flight") entry.erasedSince.add(s.id);
              else if (entry.state === "done" && entry.names.includes(s.id)) {
                entry.state = "erased";
                entry.names = [];
              }
            }
          } else {
            answers.delete(`s${s.scope}`);
            model.delete(s.scope);
          }
        }
        for (let scope = 0; scope < 4; scope++) expect(answers.get(`s${scope}`)?.state).toBe(model.get(scope)?.state);
      }),
    );
  });
});

describe("idempotency keys through the backend", () => {
  it("keeps scopes hashed: after an erasure no kept key names the customer in clear", async () => {
    const store = createMemoryStore();
    const scopes: string[] = [];
    const put = store.putIdempotency.bind(store);
    store.putIdempotency = (scope, record) => {
      scopes.push(scope);
      put(scope, record);
    };
    const backend = createBackend({ store, seed: 3 });
    const call = (method: string, path: string, body: unknown, key: string, secret = backend.adminKey) =>
      backend.fetch(`http://cdp.test/v1${path}`, {
        method,
        headers: { authorization: `Bearer ${secret}`, "content-type": "application/json", "idempotency-key": key },
        body: JSON.stringify(body),
      });
    const dpo = (await (await call("POST", "/keys", { name: "dpo", role: "dpo" }, "k-0")).json()) as { secret: string };
    const created = (await (await call("POST", "/customers", { email: "pia@x.com" }, "k-1")).json()) as { customer: { id: string } };
    const id = created.customer.id;
    expect((await call("PATCH", `/customers/${id}`, { firstName: "Pia" }, "k-2")).status).toBe(200);
    expect((await call("POST", `/customers/${id}/erase`, { reason: "Art. 17" }, "k-3", dpo.secret)).status).toBe(200);
    expect(scopes.length).toBeGreaterThanOrEqual(8);
    for (const scope of scopes) {
      expect(scope).toMatch(/^[0-9a-f]{64}$/);
      expect(scope).not.toContain(id);
    }
    // And the answers that named her are gone: the update's key answers 410.
    expect((await call("PATCH", `/customers/${id}`, { firstName: "Pia" }, "k-2")).status).toBe(410);
  });
});
