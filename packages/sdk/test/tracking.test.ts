import { ApiClient, type BatchMessage, Cdp, Tracking, type TrackingResult } from "@cdp/sdk";
import { describe, expect, expectTypeOf, it } from "vitest";
import { accepted, calls, json, rejection, scriptedFetch } from "./fake-fetch.js";

describe("tracking calls on the client", () => {
  it("sends each message type to its route, one request each, as given", async () => {
    const { fetch, requests, bodies } = scriptedFetch(...Array.from({ length: 6 }, () => accepted()));
    const cdp = new Cdp({ apiKey: "sk_test", fetch });
    const messages = {
      identify: { userId: "u-42", traits: { email: "ada@example.com" } },
      track: { userId: "u-42", event: "Order Completed", properties: { order_id: "o-1", total: 59.9 } },
      page: { anonymousId: "a-1", name: "Pricing", properties: { url: "https://shop.example.com/pricing" } },
      screen: { userId: 42, name: "Basket" },
      group: { userId: "u-42", groupId: "acme", traits: { name: "Acme Ltd" } },
      alias: { previousId: "a-1", userId: "u-42" },
    };

    expect(await cdp.identify(messages.identify)).toEqual({ accepted: 1, rejected: [] });
    await cdp.track(messages.track);
    await cdp.page(messages.page);
    await cdp.screen(messages.screen);
    await cdp.group(messages.group);
    await cdp.alias(messages.alias);

    expect(calls(requests)).toEqual(["/identify", "/track", "/page", "/screen", "/group", "/alias"].map((path) => `POST /v1${path}`));
    expect(bodies).toEqual(Object.values(messages));
    expect(requests.every((request) => request.headers.get("idempotency-key"))).toBe(true);
  });

  it("sends a batch and answers what was accepted and rejected", async () => {
    const answer = {
      accepted: 1,
      rejected: [
        {
          index: 1,
          messageId: null,
          code: "validation_failed",
          message: "…",
          issues: [{ path: "body.batch.1.event", message: "required" }],
        },
      ],
    };
    const { fetch, requests, bodies } = scriptedFetch(json(200, answer));
    const cdp = new Cdp({ fetch });
    const batch: BatchMessage[] = [
      { type: "identify", userId: "u-42", traits: { email: "ada@example.com" } },
      { type: "track", userId: "u-42", event: "" },
    ];

    // Items are the API's to judge, one by one: a bad one comes back in `rejected`, the rest go through.
    expect(await cdp.batch({ batch, sentAt: "2026-01-01T00:00:00.000Z" })).toEqual(answer);

    expect(calls(requests)).toEqual(["POST /v1/batch"]);
    expect(bodies[0]).toEqual({ batch, sentAt: "2026-01-01T00:00:00.000Z" });
  });

  it("works detached from the client", async () => {
    const { fetch, requests } = scriptedFetch(accepted(), accepted(2));
    const { track, batch } = new Cdp({ fetch });

    await track({ anonymousId: "a-1", event: "Product Viewed" });
    expect(
      (
        await batch({
          batch: [
            { type: "page", anonymousId: "a-1" },
            { type: "screen", anonymousId: "a-1" },
          ],
        })
      ).accepted,
    ).toBe(2);

    expect(calls(requests)).toEqual(["POST /v1/track", "POST /v1/batch"]);
  });

  it("sends a write key like any key, and takes per-call options", async () => {
    const { fetch, requests } = scriptedFetch(accepted());
    const cdp = new Cdp({ apiKey: "wk_public", fetch });

    await cdp.track({ userId: "u-42", event: "Signed Up" }, { idempotencyKey: "msg-1", headers: { "X-Trace": "t1" } });

    expect(requests[0]!.headers.get("authorization")).toBe("Bearer wk_public");
    expect(requests[0]!.headers.get("idempotency-key")).toBe("msg-1");
    expect(requests[0]!.headers.get("x-trace")).toBe("t1");
  });

  it("keeps the fields Segment's clients add", async () => {
    const { fetch, bodies } = scriptedFetch(accepted());
    const message = {
      userId: "u-42",
      event: "Signed Up",
      context: { library: { name: "analytics-node" } },
      _metadata: { nodeVersion: "20" },
    };

    await new Cdp({ fetch }).track(message);

    expect(bodies[0]).toEqual(message);
  });

  it("is typed from the contract", () => {
    const cdp = new Cdp();
    expectTypeOf(cdp.track).returns.resolves.toEqualTypeOf<TrackingResult>();
    expectTypeOf(cdp.batch).returns.resolves.toEqualTypeOf<TrackingResult>();
    const misuse = () => {
      // @ts-expect-error a track names its event
      void cdp.track({ userId: "u-42" });
      // @ts-expect-error each batch item names its type
      void cdp.batch({ batch: [{ userId: "u-42", event: "Signed Up" }] });
    };
    expect(misuse).toBeTypeOf("function");
  });
});

describe("tracking messages are checked before sending", () => {
  it("needs a userId or an anonymousId", async () => {
    const { fetch, requests } = scriptedFetch();
    const cdp = new Cdp({ fetch });

    const error = await rejection(cdp.track({ event: "Signed Up" }));
    const blank = await rejection(cdp.identify({ userId: "", anonymousId: null }));

    expect(requests).toHaveLength(0);
    expect(error.issues).toEqual([{ path: "body.userId", message: "userId or anonymousId is required" }]);
    expect(blank.issues).toEqual([{ path: "body.userId", message: "userId or anonymousId is required" }]);
  });

  it("names the field that fails", async () => {
    const { fetch, requests } = scriptedFetch();
    const cdp = new Cdp({ fetch });

    const event = await rejection(cdp.track({ userId: "u-42", event: "" }));
    const group = await rejection(cdp.group({ userId: "u-42" } as never));
    const alias = await rejection(cdp.alias({ userId: "u-42" } as never));
    const type = await rejection(cdp.page({ type: "track", anonymousId: "a-1" } as never));
    const empty = await rejection(cdp.batch({ batch: [] }));

    expect(requests).toHaveLength(0);
    expect(event.issues[0]?.path).toBe("body.event");
    expect(group.issues[0]?.path).toBe("body.groupId");
    expect(alias.issues[0]?.path).toBe("body.previousId");
    expect(type.issues[0]?.path).toBe("body.type");
    expect(empty.issues[0]?.path).toBe("body.batch");
  });
});

describe("Tracking on its own", () => {
  it("makes the same calls over an ApiClient", async () => {
    const { fetch, requests } = scriptedFetch(accepted());
    const tracking = new Tracking(new ApiClient({ apiKey: "wk_public", baseUrl: "https://cdp.example.com/v1", fetch }));

    await tracking.identify({ userId: "u-42", traits: { plan: "pro" } });

    expect(`${requests[0]!.method} ${requests[0]!.url}`).toBe("POST https://cdp.example.com/v1/identify");
  });
});
