import { describe, expect, it } from "vitest";
import { TextResponse } from "../src/http/text-response.js";

/** TextResponse must read as a standard Response would, whichever way its body is taken. */
const make = (text = '{"name":"Zoë","n":1}') =>
  new TextResponse(text, { status: 201, headers: { "content-type": "application/json; charset=utf-8", "x-a": "1" } });

describe("TextResponse", () => {
  it("is a Response with its status and headers", () => {
    const response = make();
    expect(response).toBeInstanceOf(Response);
    expect(response.status).toBe(201);
    expect(response.ok).toBe(true);
    expect(response.headers.get("x-a")).toBe("1");
    expect(response.bodyUsed).toBe(false);
  });

  it("reads its text and JSON once, as a standard Response does", async () => {
    const response = make();
    expect(await response.json()).toEqual({ name: "Zoë", n: 1 });
    expect(response.bodyUsed).toBe(true);
    await expect(response.text()).rejects.toBeInstanceOf(TypeError);
    await expect(response.json()).rejects.toBeInstanceOf(TypeError);
    await expect(response.arrayBuffer()).rejects.toBeInstanceOf(TypeError);
    expect(() => response.clone()).toThrow(TypeError);
    const text = make();
    expect(await text.text()).toBe('{"name":"Zoë","n":1}');
    await expect(text.text()).rejects.toBeInstanceOf(TypeError);
  });

  it("answers bytes, array buffers and blobs in UTF-8", async () => {
    const expected = new TextEncoder().encode('{"name":"Zoë","n":1}');
    expect(new Uint8Array(await make().arrayBuffer())).toEqual(expected);
    expect(await make().bytes()).toEqual(expected);
    expect(new Uint8Array(await (await make().blob()).arrayBuffer())).toEqual(expected);
    const afterBytes = make();
    await afterBytes.arrayBuffer();
    expect(afterBytes.bodyUsed).toBe(true);
    await expect(afterBytes.text()).rejects.toBeInstanceOf(TypeError);
  });

  it("gives its body as a stream, and is then read through it", async () => {
    const response = make();
    const chunks: Uint8Array[] = [];
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
    }
    expect(new TextDecoder().decode(Buffer.concat(chunks))).toBe('{"name":"Zoë","n":1}');
    expect(response.bodyUsed).toBe(true);
    await expect(response.text()).rejects.toBeInstanceOf(TypeError);
    // Asked for again, the same stream.
    expect(response.body).toBe(response.body);
  });

  it("makes a standard Response of itself: new Response(answer.body, answer)", async () => {
    const original = make();
    const copy = new Response(original.body, original);
    expect(copy.status).toBe(201);
    expect(copy.headers.get("content-type")).toBe("application/json; charset=utf-8");
    expect(await copy.json()).toEqual({ name: "Zoë", n: 1 });
    expect(original.bodyUsed).toBe(true);
  });

  it("gives a read stream once read the quick way", async () => {
    const response = make();
    await response.text();
    expect(response.body).not.toBeNull();
    // As a standard Response's: disturbed, it cannot be another's body.
    const standard = new Response("x");
    await standard.text();
    expect(() => new Response(standard.body)).toThrow(TypeError);
    expect(() => new Response(response.body)).toThrow(TypeError);
  });

  it("clones into two that read on their own", async () => {
    const response = make();
    const clone = response.clone();
    expect(clone.status).toBe(201);
    expect(clone.headers.get("x-a")).toBe("1");
    expect(await clone.text()).toBe('{"name":"Zoë","n":1}');
    expect(await response.json()).toEqual({ name: "Zoë", n: 1 });
    const streamed = make();
    void streamed.body;
    const streamedClone = streamed.clone();
    expect(streamedClone.status).toBe(201);
    expect(streamedClone.headers.get("content-type")).toBe("application/json; charset=utf-8");
    expect(streamedClone.headers.get("x-a")).toBe("1");
    expect(await streamedClone.text()).toBe(await streamed.text());
  });

  it("keeps its headers on whatever it makes: a clone after body, a blob's type", async () => {
    const response = make();
    response.headers.set("x-b", "2");
    void response.body;
    expect(response.clone().headers.get("x-b")).toBe("2");
    const standard = new Response("{}", { headers: { "content-type": "application/json; charset=utf-8" } });
    expect((await response.blob()).type).toBe((await standard.blob()).type);
    expect((await make().blob()).type).toBe("application/json;charset=utf-8");
  });
});
