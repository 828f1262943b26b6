import * as z from "zod/mini";

/** Built-in identifier types. Workspaces may add custom unique-id types. */
export const builtInIdentifierTypes = ["userId", "email", "phone", "loyaltyCard", "anonymousId", "deviceId", "pushToken"] as const;
export type BuiltInIdentifierType = (typeof builtInIdentifierTypes)[number];

/** A workspace knows at most this many identifier types of its own (held by a profile or given a rule), beside the built-in ones. */
export const maxCustomIdentifierTypes = 50;

/** camelCase, starting with a letter, at most 64 characters: built-in or custom. */
export const IdentifierType = z
  .string()
  .check(z.regex(/^[a-z][a-zA-Z0-9_]{0,63}$/, "must be an identifier type: a lower-case letter, then letters, digits or _ (≤ 64)"));

/** Strict, as every request body: a key of its own (`vaule`, `foo`) is a 400 naming `identifiers.N.foo`, never dropped. */
export const Identifier = z.strictObject({
  type: IdentifierType,
  value: z.string().check(z.minLength(1), z.maxLength(512)),
});
export type Identifier = z.infer<typeof Identifier>;

/**
 * Values that never identify anyone: placeholders that tracking code sends when it has no id.
 * Compared case-insensitively, with surrounding quotes stripped.
 */
export const blockedIdentifierValues: readonly string[] = [
  "",
  "null",
  "undefined",
  "none",
  "nan",
  "true",
  "false",
  "0",
  "-1",
  "anonymous",
  "guest",
  "not_authenticated",
  "id",
  "email",
  "distinct_id",
  "[object object]",
];

/** Parses a phone number to E.164 or returns undefined. Injected so the parser stays out of browser bundles. */
export type PhoneParser = (value: string) => string | undefined;

export interface NormalizeOptions {
  parsePhone?: PhoneParser;
  /** The workspace's own blocked values, compared like the built-in list. */
  blocked?: readonly string[];
}

export type NormalizedIdentifier =
  | { ok: true; identifier: Identifier }
  | { ok: false; reason: "blocked" | "invalid_email" | "invalid_phone"; message: string };

// No white space, no C0 control or DEL (U+0000–U+001F, U+007F: RFC 5321 allows none in an address), none of the specials.
// biome-ignore lint/suspicious/noControlCharactersInRegex: the controls are named to be refused.
const emailPattern = /^[^\s\x00-\x1f\x7f@"<>(),;:\\[\]]+@[^\s\x00-\x1f\x7f@"<>(),;:\\[\]]+\.[^\s\x00-\x1f\x7f@"<>(),;:\\[\]]+$/;

/**
 * Normalises an identifier before any match: trims; lower-cases emails and puts them in Unicode
 * NFC (no provider folding: `a.b@gmail.com` stays apart from `ab@gmail.com`); phones to E.164 through `parsePhone`;
 * refuses blocked values.
 */
export function normalizeIdentifier(input: Identifier, options: NormalizeOptions = {}): NormalizedIdentifier {
  const trimmed = input.value.trim();
  if (isBlockedValue(trimmed, options.blocked)) {
    return { ok: false, reason: "blocked", message: `"${input.value}" is a blocked ${input.type} value` };
  }
  let value = trimmed;
  if (input.type === "email") {
    // NFC last: "josé" with a composed é and with e + U+0301 is one address, stored composed.
    value = toNfc(trimmed.toLowerCase());
    if (!emailPattern.test(value)) return { ok: false, reason: "invalid_email", message: "not a valid email address" };
  } else if (input.type === "phone") {
    const phone = options.parsePhone ? options.parsePhone(trimmed) : e164.test(trimmed) ? trimmed : undefined;
    if (!phone) return { ok: false, reason: "invalid_phone", message: "not a valid phone number (use E.164, e.g. +14155550100)" };
    value = phone;
  }
  // The workspace's list is compared in normal form too: a blocked `+14155550100` is blocked as `+1 415-555-0100`.
  if (value !== trimmed && options.blocked?.length && blockedInNormalForm(input.type, value, options)) {
    return { ok: false, reason: "blocked", message: `"${input.value}" is a blocked ${input.type} value` };
  }
  return { ok: true, identifier: { type: input.type, value } };
}

const e164 = /^\+[1-9]\d{6,14}$/;

/**
 * Whether a normalised email or phone is on the workspace's list once the list is read the same
 * way (emails lower-cased and NFC, phones parsed to E.164). The list's normal forms are worked out
 * once per list (the settings hold one array until they change).
 */
function blockedInNormalForm(type: string, value: string, options: NormalizeOptions): boolean {
  const list = options.blocked as readonly string[];
  const cached = normalFormsOf.get(list);
  let forms = cached !== undefined && cached.parsePhone === options.parsePhone ? cached.forms : undefined;
  if (!forms) {
    forms = new Set<string>();
    for (const blocked of list) {
      const trimmed = blocked.trim();
      forms.add(`email:${toNfc(trimmed.toLowerCase())}`);
      const phone = options.parsePhone ? options.parsePhone(trimmed) : e164.test(trimmed) ? trimmed : undefined;
      if (phone) forms.add(`phone:${phone}`);
    }
    normalFormsOf.set(list, { parsePhone: options.parsePhone, forms });
  }
  return forms.has(`${type}:${value}`);
}

const normalFormsOf = new WeakMap<readonly string[], { parsePhone: PhoneParser | undefined; forms: Set<string> }>();

/** True when a value must never become an identifier. */
export function isBlockedValue(value: string, extra: readonly string[] = []): boolean {
  const bare = bareValue(value);
  if (blockedIdentifierValues.includes(bare)) return true;
  const first = bare.charCodeAt(0);
  if ((first === 48 || first === 45) && /^[0-]+$/.test(bare)) return true;
  // Only dots: no identifier, and "." or ".." in a URL path would be read as a path segment.
  if (first === 46 && /^\.+$/.test(bare)) return true;
  return extra.length > 0 && extra.some((blocked) => bareValue(blocked) === bare);
}

/** Trimmed, outer quotes stripped, lower-cased. Most values have nothing to strip (the tracking path checks every identifier). */
function bareValue(value: string): string {
  if (value.length > 0 && plainEdge(value.charCodeAt(0)) && plainEdge(value.charCodeAt(value.length - 1))) return value.toLowerCase();
  return value
    .trim()
    .replace(/^["']+|["']+$/g, "")
    .trim()
    .toLowerCase();
}

/** Neither white space (as `trim` knows it: ASCII controls, NBSP and the Unicode spaces from U+1680 up) nor a quote. */
function plainEdge(code: number): boolean {
  return code > 32 && code !== 34 && code !== 39 && code !== 0xa0 && code < 0x1680;
}

/**
 * `value.normalize("NFC")`, without the call for the usual printable-ASCII value (already NFC): the
 * tracking path normalises an email on every identify.
 */
export function toNfc(value: string): string {
  return nonAscii.test(value) ? value.normalize("NFC") : value;
}

/** Anything but printable ASCII (a control character takes the slow path too: still right, and rare). */
const nonAscii = /[^ -~]/;
