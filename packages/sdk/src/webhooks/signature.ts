/**
 * Webhook signatures as Shopify and WooCommerce make them: HMAC-SHA256 over the raw body bytes,
 * base64. Web Crypto only, so handlers run on Node and on edge runtimes.
 */

const encoder = new TextEncoder();

/** HMAC-SHA256 of `body` under `secret`, base64. */
export async function hmacSha256Base64(secret: string, body: Uint8Array | string): Promise<string> {
  const key = await importKey(secret);
  const data = typeof body === "string" ? encoder.encode(body) : body;
  const mac = new Uint8Array(await crypto.subtle.sign("HMAC", key, data as Uint8Array<ArrayBuffer>));
  let binary = "";
  for (const byte of mac) binary += String.fromCharCode(byte);
  return btoa(binary);
}

/**
 * Whether `signature` (base64, from the platform's header) is the HMAC-SHA256 of the raw body under
 * `secret`. A missing or empty signature is never valid. Compared in constant time.
 */
export async function verifyHmacSha256(secret: string, body: Uint8Array | string, signature: string | null | undefined): Promise<boolean> {
  if (!signature) return false;
  return timingSafeEqual(await hmacSha256Base64(secret, body), signature.trim());
}

/** Compares two strings in time that depends on their length only, never on where they differ. */
export function timingSafeEqual(a: string, b: string): boolean {
  const left = encoder.encode(a);
  const right = encoder.encode(b);
  // Compare against itself when lengths differ, so the time still depends on the expected length only.
  const other = left.length === right.length ? right : left;
  let difference = left.length === right.length ? 0 : 1;
  for (let index = 0; index < left.length; index++) difference |= (left[index] as number) ^ (other[index] as number);
  return difference === 0;
}

/**
 * Web Crypto refuses a zero-length HMAC key. HMAC pads a key shorter than the block (64 bytes for
 * SHA-256) with zeros, so an empty secret is the same HMAC as 64 zero bytes (RFC 2104 §2) —
 * WooCommerce signs its set-up ping that way.
 */
function importKey(secret: string): Promise<CryptoKey> {
  const bytes = secret.length === 0 ? new Uint8Array(64) : encoder.encode(secret);
  return crypto.subtle.importKey("raw", bytes, { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
}
