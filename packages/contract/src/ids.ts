/**
 * Prefixed, time-sortable ids. The prefix names the kind of record; the rest is a ULID
 * (Crockford base32, 26 characters), so ids sort by creation time.
 */
export const idPrefixes = {
  organization: "org",
  workspace: "ws",
  key: "key",
  customer: "cus",
  event: "evt",
  import: "imp",
  audit: "aud",
  change: "chg",
  request: "req",
  consent: "con",
  list: "lst",
  privacyRequest: "prq",
} as const;

export type IdKind = keyof typeof idPrefixes;

const ulidBody = "[0-9A-HJKMNP-TV-Z]{26}";

/** A regular expression that matches ids of one kind, e.g. `idPattern("customer")` for `cus_…`. */
export function idPattern(kind: IdKind): RegExp {
  return new RegExp(`^${idPrefixes[kind]}_${ulidBody}$`);
}

/** Every id of one kind in a text (a path, a JSON answer), each once, in the order first met. */
export function idsIn(kind: IdKind, text: string): string[] {
  const pattern = new RegExp(`(?<![0-9A-Za-z_])${idPrefixes[kind]}_${ulidBody}(?![0-9A-Za-z])`, "g");
  return [...new Set(text.match(pattern) ?? [])];
}

/** True when `value` looks like an id of the given kind. */
export function isId(kind: IdKind, value: string): boolean {
  return idPattern(kind).test(value);
}
