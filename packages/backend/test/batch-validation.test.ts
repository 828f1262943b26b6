/**
 * Property test: every item of a `/v1/batch` is judged exactly as its type's schema in
 * `@cdp/contract` judges it. The backend checks plainly valid messages with a quick check and sends
 * the rest through the schema; whatever the path, an item the schema refuses is one rejected entry
 * with the schema's issues, and an item it takes is applied (or refused for a reason of the domain,
 * such as `no_identifier`, never `validation_failed`). Items sit near every limit of the schemas (lengths, nulls, numbers,
 * record keys) and of the 32 KiB per message.
 */
import { createBackend, manualClock } from "@cdp/backend";
import {
  type MessageType,
  messageTypes,
  parseJsonExact,
  type SchemaIssue,
  type TrackingResult,
  toApiIssues,
  trackingMessages,
} from "@cdp/contract";
import fc from "fast-check";
import { describe, expect, it } from "vitest";

const origin = "http://cdp.test";
const runs = Math.max(200, Number(process.env.FUZZ_RUNS ?? 200) || 200);
const messageBytes = 32 * 1024;

/** Strings at the schemas' length limits (1, 64, 128, 200, 500, 512) and just past them, and some beyond 32 KiB in JSON. */
const edgeString = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(0, 1, 64, 65, 128, 129, 200, 201, 500, 501, 512, 513).map((length) => "x".repeat(length)) },
  { weight: 1, arbitrary: fc.constantFrom(6_000, 40_000).map((length) => "\u0000".repeat(length)) },
  { weight: 1, arbitrary: fc.string({ maxLength: 20 }) },
  { weight: 1, arbitrary: fc.constantFrom("é", "\u0000", "\ud800", "null", "", " ") },
);
const edgeNumber = fc.oneof(fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.constantFrom(0, -1, 1e21, 2 ** 53));
const edgeValue = fc.oneof(
  { weight: 4, arbitrary: edgeString },
  { weight: 2, arbitrary: edgeNumber },
  { weight: 1, arbitrary: fc.constantFrom(null, true, false) },
  { weight: 1, arbitrary: fc.array(fc.string({ maxLength: 5 }), { maxLength: 3 }) },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 2 }) },
);
const edgeRecord = fc.oneof(
  fc.dictionary(
    fc.oneof(fc.string({ maxLength: 8 }), fc.constantFrom("", "k".repeat(128), "k".repeat(129), "constructor", "toString", "")),
    edgeValue,
    { maxKeys: 4 },
  ),
  fc.constantFrom(null, "text", 1, [], [1, 2]),
);
const fields: Record<string, fc.Arbitrary<unknown>> = {
  messageId: edgeString,
  userId: fc.oneof(edgeString, edgeNumber, fc.constant(null)),
  anonymousId: fc.oneof(edgeString, edgeNumber, fc.constant(null)),
  previousId: fc.oneof(edgeString, edgeNumber, fc.constant(null)),
  groupId: fc.oneof(edgeString, edgeNumber, fc.constant(null)),
  event: fc.oneof(fc.constantFrom("Product Viewed", "Order Completed"), edgeString, fc.constant(null)),
  name: fc.oneof(edgeString, fc.constant(null), edgeNumber),
  category: fc.oneof(edgeString, fc.constant(null)),
  timestamp: fc.oneof(fc.constant("2026-11-01T00:00:00.000Z"), edgeString, edgeNumber),
  sentAt: fc.oneof(fc.constant("2026-11-01T00:00:01.000Z"), edgeString),
  originalTimestamp: edgeString,
  writeKey: fc.oneof(edgeString, edgeNumber),
  source: fc.oneof(
    fc.constantFrom("shopify:acme.myshopify.com", "api", "Not A Source", `shopify:${"a".repeat(200)}`),
    edgeString,
    edgeNumber,
  ),
  context: edgeRecord,
  integrations: edgeRecord,
  properties: edgeRecord,
  traits: edgeRecord,
  extra: edgeValue,
};

/** A well-formed message of a type with zero to three of its fields at an edge or missing. */
const message = fc
  .record({
    type: fc.constantFrom(...messageTypes),
    edges: fc
      .array(fc.constantFrom(...Object.keys(fields)), { maxLength: 3 })
      .chain((names) =>
        fc.tuple(...names.map((name) => fc.tuple(fc.constant(name), fc.option(fields[name] as fc.Arbitrary<unknown>, { nil: undefined })))),
      ),
    serial: fc.nat(),
  })
  .map(({ type, edges, serial }) => {
    const out: Record<string, unknown> = {
      type,
      messageId: `m-${serial}`,
      userId: "user-1",
      anonymousId: "0123abcd-1234-4abc-a123-0123456789ab",
      timestamp: "2026-11-01T00:00:00.000Z",
      ...(type === "track" ? { event: "Product Viewed" } : {}),
      ...(type === "page" || type === "screen" ? { name: "Home" } : {}),
      ...(type === "group" ? { groupId: "group-1" } : {}),
      ...(type === "alias" ? { previousId: "0123abcd-1234-4abc-a123-0123456789ab" } : {}),
      ...(type === "identify" || type === "group" ? { traits: { plan: "pro" } } : {}),
      properties: { product_id: "SKU-1", price: "9.90" },
      context: { page: { path: "/" }, locale: "en-US" },
    };
    // An edge drawn as undefined removes the field.
    for (const [name, value] of edges) {
      if (value === undefined) delete out[name];
      else out[name] = value;
    }
    return out;
  });

/** Sends a batch and checks each item's fate against its schema. */
async function expectJudgedAsTheSchema(backend: ReturnType<typeof createBackend>, batch: Record<string, unknown>[], context?: unknown) {
  const body = { batch, ...(context === undefined ? {} : { context }) };
  const response = await backend.fetch(`${origin}/v1/batch`, {
    method: "POST",
    headers: { authorization: `Basic ${btoa(`${backend.writeKey}:`)}`, "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  if (response.status !== 200) {
    // Only the body-level checks answer otherwise: a bad batch context or a body over 500 KiB.
    expect([400, 413]).toContain(response.status);
    return;
  }
  const answer = (await response.json()) as TrackingResult;
  const rejected = new Map(answer.rejected.map((entry) => [entry.index, entry]));
  for (const [index, item] of batch.entries()) {
    const entry = rejected.get(index);
    if (Buffer.byteLength(JSON.stringify(item)) > messageBytes) {
      expect(entry?.code).toBe("payload_too_large");
      expect(entry?.issues?.map((issue) => issue.path)).toEqual([`body.batch.${index}`]);
      continue;
    }
    const withContext = context && item.context === undefined ? { ...item, context } : item;
    // The backend reads a body as `parseJsonExact` does: an integer beyond 2^53 is its decimal string.
    const read = parseJsonExact(JSON.stringify(withContext));
    const parsed = trackingMessages[item.type as MessageType].safeParse(read, { reportInput: true });
    if (!parsed.success) {
      expect(entry?.code, JSON.stringify(item).slice(0, 300)).toBe("validation_failed");
      expect(entry?.issues).toEqual(toApiIssues(parsed.error.issues as unknown as SchemaIssue[], `body.batch.${index}`));
    } else {
      expect(entry?.code, JSON.stringify(item).slice(0, 300)).not.toBe("validation_failed");
      expect(entry?.code).not.toBe("payload_too_large");
    }
  }
}

describe("/v1/batch items and their schemas", () => {
  it(`judges every item as the contract's schema does (${runs} runs)`, async () => {
    const backend = createBackend({ seed: 11, clock: manualClock("2026-11-23T12:00:00.000Z") });
    await fc.assert(
      fc.asyncProperty(fc.array(message, { minLength: 1, maxLength: 20 }), fc.option(edgeRecord, { nil: undefined }), (batch, context) =>
        expectJudgedAsTheSchema(backend, batch, context),
      ),
      { numRuns: runs },
    );
    await backend.close();
  });

  it("judges each limit of the schemas, on either side, as the schema does", async () => {
    const backend = createBackend({ seed: 12, clock: manualClock("2026-11-23T12:00:00.000Z") });
    const x = (length: number) => "x".repeat(length);
    const track = { type: "track", event: "Product Viewed", anonymousId: "a-1", properties: { price: "9.90" } };
    const batch: Record<string, unknown>[] = [
      track,
      { ...track, event: x(200) },
      { ...track, event: x(201) },
      { ...track, event: "" },
      { ...track, messageId: "" },
      { ...track, messageId: x(200) },
      { ...track, messageId: x(201) },
      { ...track, anonymousId: x(512) },
      { ...track, anonymousId: x(513) },
      { ...track, anonymousId: "", userId: "" },
      { ...track, anonymousId: null, userId: null },
      { ...track, anonymousId: undefined, userId: 0 },
      { ...track, anonymousId: "", userId: 12 },
      { ...track, timestamp: x(64) },
      { ...track, timestamp: x(65) },
      { ...track, sentAt: x(65) },
      { ...track, originalTimestamp: x(65) },
      { ...track, writeKey: 1 },
      { ...track, properties: { [x(128)]: 1 } },
      { ...track, properties: { [x(129)]: 1 } },
      { ...track, properties: { "": 1 } },
      { ...track, properties: [] },
      { ...track, context: "web" },
      { ...track, integrations: { All: false } },
      { ...track, integrations: { "": false } },
      { type: "page", anonymousId: "a-1", name: x(500), category: x(500) },
      { type: "page", anonymousId: "a-1", name: x(501) },
      { type: "page", anonymousId: "a-1", category: x(501) },
      { type: "page", anonymousId: "a-1", name: null, category: null },
      { type: "screen", anonymousId: "a-1", name: x(501) },
      { type: "identify", userId: "u-1", traits: { plan: "pro" } },
      { type: "identify", userId: "u-1", traits: "pro" },
      { type: "identify", traits: { email: "a@x.com" } },
      { type: "group", userId: "u-1", groupId: "g-1" },
      { type: "group", userId: "u-1" },
      { type: "group", userId: "u-1", groupId: null },
      { type: "alias", userId: "u-1", previousId: "a-1" },
      { type: "alias", userId: "u-1" },
      { type: "alias", previousId: "a-1", anonymousId: "a-1" },
      { type: "alias", userId: null, previousId: "a-1" },
      { type: "alias", userId: 7, previousId: 8 },
    ];
    await expectJudgedAsTheSchema(
      backend,
      batch.map((item) => JSON.parse(JSON.stringify(item))),
    );
    await expectJudgedAsTheSchema(backend, [{ ...track, context: undefined }], { "": 1 });
    await expectJudgedAsTheSchema(backend, [{ ...track, context: undefined }], { page: { path: "/" } });
    await backend.close();
  });
});
