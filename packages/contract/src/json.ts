/**
 * Parses JSON without losing the precision of large integer ids: an integer literal beyond
 * `Number.MAX_SAFE_INTEGER` (Shopify's order ids exceed 2^53) becomes its exact decimal string;
 * every other value parses as `JSON.parse` would. (Node 20 has no `JSON.parse` source text access.)
 */
export function parseJsonExact(text: string): unknown {
  let out = "";
  let copied = 0;
  let index = 0;
  while (index < text.length) {
    const char = text.charCodeAt(index);
    if (char === 0x22) {
      index = endOfString(text, index);
      continue;
    }
    if (char === 0x2d || (char >= 0x30 && char <= 0x39)) {
      const start = index;
      index++;
      while (index < text.length && isNumberChar(text.charCodeAt(index))) index++;
      const literal = text.slice(start, index);
      if (/^-?[1-9]\d{15,}$/.test(literal) && !Number.isSafeInteger(Number(literal))) {
        out += `${text.slice(copied, start)}"${literal}"`;
        copied = index;
      }
      continue;
    }
    index++;
  }
  return JSON.parse(copied === 0 ? text : out + text.slice(copied));
}

/** The index just past the string that opens at `start` (a quote). */
function endOfString(text: string, start: number): number {
  let index = start + 1;
  while (index < text.length) {
    const char = text.charCodeAt(index);
    if (char === 0x5c) index += 2;
    else if (char === 0x22) return index + 1;
    else index++;
  }
  return index;
}

/** Digits, `.`, `e`, `E`, `+`, `-`: what may follow the first character of a JSON number. */
function isNumberChar(char: number): boolean {
  return (char >= 0x30 && char <= 0x39) || char === 0x2e || char === 0x65 || char === 0x45 || char === 0x2b || char === 0x2d;
}
