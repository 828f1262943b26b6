import { DomainError } from "./errors.js";

/**
 * What a cursor carries: the list it belongs to (with its sort), and the last item's sort value and
 * id; for a list of one profile's records (its changelog, its consent log, its events), that
 * profile's id, so the cursor pages no other profile's list.
 */
export interface CursorPosition {
  kind: string;
  value: unknown;
  id: string;
  owner?: string | undefined;
}

/** What a list accepts back: where its cursor is read, the value it puts there, and whose list it is. */
export interface CursorCheck {
  /** Where the cursor was given (`query.cursor` unless told). */
  path?: string;
  /** The value the list puts in its cursors (by default its kind's: a time for events, null for lists keyed by id alone). */
  accepts?: CursorValue;
  /**
   * For a list of one profile's records: the ids its cursors may name, the profile's own and its
   * aliases' (a cursor issued before a merge keeps paging the survivor's list). Absent for a
   * workspace's lists, whose cursors name no profile.
   */
  owners?: readonly string[];
}

/** Whether a value is one a list puts in its cursors (the last item's sort value). */
export type CursorValue = (value: unknown) => boolean;

/** The kinds of value lists put in their cursors. */
export const cursorValues = {
  /** Lists keyed by id alone (keys, audit, consents, changelog, privacy requests) carry null. */
  none: (value) => value === null,
  /** A time in the store's form, what `toISOString` gives (event timestamps, createdAt, updatedAt). */
  time: (value) => typeof value === "string" && isStoredTime(value),
  text: (value) => typeof value === "string",
  textOrMissing: (value) => value === null || typeof value === "string",
  numberOrMissing: (value) => value === null || (typeof value === "number" && Number.isFinite(value)),
  booleanOrMissing: (value) => value === null || typeof value === "boolean",
  scalarOrMissing: (value) =>
    value === null || typeof value === "string" || typeof value === "boolean" || (typeof value === "number" && Number.isFinite(value)),
} satisfies Record<string, CursorValue>;

/** The value each list issues, by its kind, for the lists that do not name theirs (`decodeCursor`'s default). */
const valueOfKind: Record<string, CursorValue> = { events: cursorValues.time };

/** Cursors are opaque to clients: base64url of a small JSON. */
export function encodeCursor(position: CursorPosition): string {
  const fields = [position.kind, position.value ?? null, position.id];
  if (position.owner !== undefined) fields.push(position.owner);
  const json = JSON.stringify(fields);
  return btoa(String.fromCharCode(...new TextEncoder().encode(json)))
    .replace(/\+/g, "-")
    .replace(/\//g, "_")
    .replace(/=+$/, "");
}

/**
 * Reads a cursor this list issued: its kind, a value of the kind the list puts there, a non-empty
 * id and, for a profile's list, one of that profile's ids (`check`). Anything else, a forged cursor
 * or one of another profile's list included, is 400 `invalid_cursor` at the cursor's place.
 */
export function decodeCursor(cursor: string, kind: string, check: CursorCheck = {}): CursorPosition {
  const { path = "query.cursor", accepts = valueOfKind[kind] ?? cursorValues.none, owners } = check;
  try {
    const base64 = cursor.replace(/-/g, "+").replace(/_/g, "/");
    const bytes = Uint8Array.from(atob(base64), (char) => char.charCodeAt(0));
    const parsed: unknown = JSON.parse(new TextDecoder().decode(bytes));
    const length = owners === undefined ? 3 : 4;
    if (Array.isArray(parsed) && parsed.length === length && parsed[0] === kind && accepts(parsed[1])) {
      const id: unknown = parsed[2];
      const owner: unknown = parsed[3];
      const ownerFits = owners === undefined || (typeof owner === "string" && owners.includes(owner));
      if (typeof id === "string" && id !== "" && ownerFits)
        return { kind, value: parsed[1], id, owner: typeof owner === "string" ? owner : undefined };
    }
  } catch {
    // fall through: any undecodable cursor is the same client error
  }
  throw new DomainError("invalid_cursor", "The cursor is not one this list issued (it belongs to another list or sort).", [
    { path, message: "is not a cursor of this list" },
  ]);
}

/** The ids a profile's list cursors may name: its own, and those of the profiles merged into it. */
export function profileIds(customer: { id: string; aliases?: string[] | undefined }): string[] {
  return [customer.id, ...(customer.aliases ?? [])];
}

function isStoredTime(value: string): boolean {
  const ms = Date.parse(value);
  return !Number.isNaN(ms) && new Date(ms).toISOString() === value;
}
