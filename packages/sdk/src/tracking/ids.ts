/**
 * Random UUIDs (version 4) from `crypto.getRandomValues`: `crypto.randomUUID` exists only on secure
 * origins, and a shop on plain http must still get ids. Bytes are drawn 4 KiB at a time.
 */
export function randomId(): string {
  if (offset + 16 > pool.length) {
    globalThis.crypto.getRandomValues(pool);
    offset = 0;
  }
  const b = pool;
  const at = offset;
  offset += 16;
  const byte = (index: number) => hex[b[at + index] as number] as string;
  const version = hex[((b[at + 6] as number) & 0x0f) | 0x40] as string;
  const variant = hex[((b[at + 8] as number) & 0x3f) | 0x80] as string;
  return (
    byte(0) +
    byte(1) +
    byte(2) +
    byte(3) +
    "-" +
    byte(4) +
    byte(5) +
    "-" +
    version +
    byte(7) +
    "-" +
    variant +
    byte(9) +
    "-" +
    byte(10) +
    byte(11) +
    byte(12) +
    byte(13) +
    byte(14) +
    byte(15)
  );
}

const pool = new Uint8Array(4096);
let offset = pool.length; // filled on first use: nothing touches `crypto` at import time
const hex = Array.from({ length: 256 }, (_, value) => value.toString(16).padStart(2, "0"));
