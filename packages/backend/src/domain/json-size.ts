/**
 * Whether the UTF-8 bytes of `JSON.stringify(value)` exceed `limit` (the 32 KiB a tracking message
 * may take), for values parsed from JSON. A cheap upper bound settles almost every message without serialising it: a UTF-16 code
 * unit takes at most 6 bytes in JSON (`\u001f`), a number at most 24 characters
 * (`-2.2250738585072014e-308`), `false` 5. Only a value whose bound is over the limit is serialised.
 */
export function jsonBytesExceed(value: unknown, limit: number): boolean {
  if (jsonBytesBound(value, limit) <= limit) return false;
  return utf8.encode(JSON.stringify(value) ?? "").byteLength > limit;
}

const utf8 = new TextEncoder();

/** An upper bound of the JSON's UTF-8 bytes; it stops counting once past `stopAbove`. */
function jsonBytesBound(value: unknown, stopAbove: number): number {
  if (typeof value === "string") return 6 * value.length + 2;
  if (typeof value !== "object" || value === null) return 24;
  let total = 2;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length && total <= stopAbove; i++) total += jsonBytesBound(value[i], stopAbove - total) + 1;
    return total;
  }
  for (const key in value) {
    if (total > stopAbove) break;
    total += 6 * key.length + 4 + jsonBytesBound((value as Record<string, unknown>)[key], stopAbove - total);
  }
  return total;
}
