import { sha256 as nobleSha256 } from "@noble/hashes/sha2.js";
import { bytesToHex } from "@noble/hashes/utils.js";

const recentHashes = new Map<string, string>();
const recentLimit = 1_000;

/**
 * SHA-256 of a secret, remembered for the few secrets in use: every request presents its key, and
 * hashing it anew each time costs more than the search it authorizes.
 */
export async function secretHash(secret: string): Promise<string> {
  const known = recentHashes.get(secret);
  if (known !== undefined) return known;
  const hash = await sha256(secret);
  if (recentHashes.size >= recentLimit) recentHashes.delete(recentHashes.keys().next().value as string);
  recentHashes.set(secret, hash);
  return hash;
}

/** SHA-256 of a text, hex: how secrets, tokens and request bodies are kept and compared. */
export async function sha256(text: string): Promise<string> {
  const digest = await globalThis.crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return [...new Uint8Array(digest)].map((byte) => byte.toString(16).padStart(2, "0")).join("");
}

/** Compares two strings in time that depends only on their length. */
export function constantTimeEqual(a: string, b: string): boolean {
  let diff = a.length ^ b.length;
  for (let i = 0; i < Math.max(a.length, b.length); i++) diff |= (a.charCodeAt(i) || 0) ^ (b.charCodeAt(i) || 0);
  return diff === 0;
}

/**
 * SHA-256 of a text, hex, computed at once: for the tracking path, which checks identifiers
 * against erased ones without awaiting (Web Crypto's digest is asynchronous).
 */
export function sha256Now(text: string): string {
  return bytesToHex(nobleSha256(new TextEncoder().encode(text)));
}
