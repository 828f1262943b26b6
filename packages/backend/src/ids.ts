import { type IdKind, idPrefixes } from "@cdp/contract";
import type { Clock } from "./clock.js";

/**
 * Makes ids and secrets. Seeded, the secrets are the same on every run whatever the clock; the ids
 * are the same only for the same times (a manual clock), as a ULID holds its time.
 */
export interface IdSource {
  id(kind: IdKind): string;
  /** A random token for secrets: `prefix_` + 32 base62 characters. */
  secret(prefix: string): string;
}

const alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

export function createIdSource(clock: Clock, seed?: number): IdSource {
  // Two streams, each with its own state: a ULID draws only when the millisecond changes, so with one
  // shared stream how many draws came before a key (and so the key) would depend on the clock.
  const idRandom = seed === undefined ? cryptoRandom : mulberry32(seed);
  const secretRandom = seed === undefined ? cryptoRandom : mulberry32(seed ^ secretSeedMask);
  const ulid = monotonicUlid(idRandom);
  return {
    id: (kind) => ulid(idPrefixes[kind], clock.now()),
    secret: (prefix) => {
      let out = `${prefix}_`;
      for (let i = 0; i < 32; i++) out += alphabet[Math.floor(secretRandom() * alphabet.length)];
      return out;
    },
  };
}

/** Gives the secrets' stream a seed of its own, derived from the one given. */
const secretSeedMask = 0x5ec2e7ed;

/** Crockford's base32, as ULIDs are spelled. */
const base32 = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
const maxUlidTime = 2 ** 48 - 1;

/**
 * `prefix_` + a monotonic ULID: the same ids as ulidx's `monotonicFactory` given the same random
 * source and times (a test holds it to that), written as one flat string. Built by concatenation,
 * an id is a tree of four strings until something flattens it, and the store keeps millions.
 */
export function monotonicUlid(random: () => number): (prefix: string, time: number) => string {
  let lastTime = Number.NEGATIVE_INFINITY;
  /** Character codes of the 10 time and 16 random characters. */
  const codes: number[] = new Array(26).fill(48);
  /** Per prefix, the codes of a whole id: `prefix_` then the 26 characters, filled in on each call. */
  const ids = new Map<string, number[]>();
  return (prefix, given) => {
    // As ulidx: no time means now; a time not after the last one only steps the random part (a clock
    // set back keeps working); only a new time is checked.
    const time = Number.isNaN(given) ? Date.now() : given;
    if (time > lastTime) {
      if (!Number.isInteger(time) || time < 0 || time > maxUlidTime) {
        throw new RangeError(`A ULID's time must be a whole number from 0 to 2^48 - 1: ${time}`);
      }
      lastTime = time;
      let rest = time;
      for (let i = 9; i >= 0; i--) {
        const digit = rest % 32;
        codes[i] = base32.charCodeAt(digit);
        rest = (rest - digit) / 32;
      }
      // Drawn last character first, as ulidx does.
      for (let i = 25; i >= 10; i--) codes[i] = base32.charCodeAt(Math.min(31, Math.floor(random() * 32)));
    } else {
      // Within the same millisecond, or a clock that went back: the next value of the random part.
      let i = 25;
      while (i >= 10 && codes[i] === 90 /* Z */) codes[i--] = 48; /* 0 */
      if (i < 10) throw new RangeError("The ULID's random part overflowed within one millisecond");
      codes[i] = base32.charCodeAt(base32.indexOf(String.fromCharCode(codes[i] as number)) + 1);
    }
    let id = ids.get(prefix);
    if (!id) {
      id = [...`${prefix}_`].map((char) => char.charCodeAt(0)).concat(codes);
      ids.set(prefix, id);
    }
    const start = id.length - 26;
    for (let i = 0; i < 26; i++) id[start + i] = codes[i] as number;
    return String.fromCharCode.apply(null, id);
  };
}

function cryptoRandom(): number {
  const buffer = new Uint32Array(1);
  globalThis.crypto.getRandomValues(buffer);
  return (buffer[0] as number) / 0x1_0000_0000;
}

/** A small seeded PRNG (mulberry32): enough for ids in tests, never for secrets in production. */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 0x1_0000_0000;
  };
}
