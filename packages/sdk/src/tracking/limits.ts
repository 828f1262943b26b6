/**
 * The tracking API's limits (DESIGN §5), restated here because `@cdp/contract` brings zod at run
 * time; a test checks they equal the contract's `trackingLimits`.
 */
export const messageLimits = {
  /** A message's JSON (UTF-8 bytes of `JSON.stringify(message)`) may take 32 KiB. */
  messageBytes: 32 * 1024,
  /** A request's body may take 500 KiB. */
  bodyBytes: 500 * 1024,
  /** A batch may hold 2,500 messages. */
  batchMessages: 2_500,
} as const;

/** What a tracker puts in one request by default: 480 KiB, leaving room under the 500 KiB body limit. */
export const defaultBatchBytes = 480 * 1024;

/** The bytes of a string in UTF-8, without encoding it. */
export function utf8Length(text: string): number {
  if (!nonAscii.test(text)) return text.length;
  let bytes = 0;
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (code < 0x80) bytes += 1;
    else if (code < 0x800) bytes += 2;
    else if (code >= 0xd800 && code <= 0xdbff && index + 1 < text.length && isLowSurrogate(text.charCodeAt(index + 1))) {
      bytes += 4;
      index++;
    } else bytes += 3; // the rest of the BMP, and a lone surrogate (encoded as U+FFFD)
  }
  return bytes;
}

const nonAscii = /[\u0080-\uffff]/;
const isLowSurrogate = (code: number) => code >= 0xdc00 && code <= 0xdfff;
