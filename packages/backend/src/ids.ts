import { type IdKind, idPrefixes } from "@cdp/contract";
import { monotonicFactory } from "ulidx";
import type { Clock } from "./clock.js";

/** Makes ids and secrets. Deterministic when seeded, so QA can pin them in tests. */
export interface IdSource {
  id(kind: IdKind): string;
  /** A random token for secrets: `prefix_` + 32 base62 characters. */
  secret(prefix: string): string;
}

const alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

export function createIdSource(clock: Clock, seed?: number): IdSource {
  const random = seed === undefined ? cryptoRandom : mulberry32(seed);
  const ulid = monotonicFactory(random);
  return {
    id: (kind) => `${idPrefixes[kind]}_${ulid(clock.now())}`,
    secret: (prefix) => {
      let out = `${prefix}_`;
      for (let i = 0; i < 32; i++) out += alphabet[Math.floor(random() * alphabet.length)];
      return out;
    },
  };
}

function cryptoRandom(): number {
  const buffer = new Uint32Array(1);
  globalThis.crypto.getRandomValues(buffer);
  return (buffer[0] as number) / 0x1_0000_0000;
}

/** A small seeded PRNG (mulberry32): enough for ids in tests, never for secrets in production. */
function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 0x1_0000_0000;
  };
}
