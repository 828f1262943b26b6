/**
 * Random UUIDs (version 4) from `crypto.getRandomValues`: `crypto.randomUUID` exists only on secure
 * origins, and a shop on plain http must still get ids. Bytes are drawn 4 KiB at a time. The id is
 * made in one piece (`String.fromCharCode`), not by concatenation: a queue holds thousands of them,
 * and a concatenated string keeps every piece.
 */
export function randomId(): string {
  if (offset + 16 > pool.length) {
    globalThis.crypto.getRandomValues(pool);
    offset = 0;
  }
  let at = 0;
  for (let index = 0; index < 16; index++) {
    let byte = pool[offset + index] as number;
    if (index === 6)
      byte = (byte & 0x0f) | 0x40; // version 4
    else if (index === 8) byte = (byte & 0x3f) | 0x80; // RFC 4122 variant
    if (index === 4 || index === 6 || index === 8 || index === 10) codes[at++] = 0x2d; // "-"
    codes[at++] = hexCodes[byte >> 4] as number;
    codes[at++] = hexCodes[byte & 0x0f] as number;
  }
  offset += 16;
  return String.fromCharCode.apply(null, codes);
}

const pool = new Uint8Array(4096);
let offset = pool.length; // filled on first use: nothing touches `crypto` at import time
const codes: number[] = new Array(36).fill(0);
const hexCodes = Array.from("0123456789abcdef", (char) => char.charCodeAt(0));
