import { DomainError } from "./errors.js";
import { canonicalJson } from "./patch.js";

/**
 * A list as its cursors name it: its kind (with its sort), and a fingerprint of what selects and
 * orders its records, so a cursor pages only the list and query that issued it.
 */
export interface CursorList {
  kind: string;
  fingerprint: string;
}

/**
 * Where a cursor stands: the last item's sort value and id; for a list of one profile's records (its
 * changelog, its consent log, its events), that profile's id, so the cursor pages no other profile's list.
 */
export interface CursorPosition {
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

/**
 * The list a request asks for. `selection` holds what picks and orders its records as the list reads
 * them: the workspace (the organization, for the organization's lists), the sort, every filter, with
 * defaults filled in and absent filters left out; never what only shapes a page (`limit`, `fields`).
 * Its fingerprint is FNV-1a over the selection's canonical JSON (keys sorted), so two requests for the
 * same records share it whatever the order of their keys.
 */
export function cursorList(kind: string, selection: Record<string, unknown>): CursorList {
  return { kind, fingerprint: fnv1a(canonicalJson(selection)) };
}

/** Cursors are opaque to clients: base64url of a small JSON. */
export function encodeCursor(list: CursorList, position: CursorPosition): string {
  const fields = [list.kind, list.fingerprint, position.value ?? null, position.id];
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
 * or one of another profile's list included, is 400 `invalid_cursor` at the cursor's place; so is a
 * cursor of this kind of list issued for another selection (other filters, text, sort or workspace).
 */
export function decodeCursor(cursor: string, list: CursorList, check: CursorCheck = {}): CursorPosition {
  const { path = "query.cursor", accepts = valueOfKind[list.kind] ?? cursorValues.none, owners } = check;
  const position = readCursor(cursor, list.kind, accepts, owners);
  if (!position)
    throw new DomainError("invalid_cursor", "The cursor is not one this list issued (it belongs to another list or sort).", [
      { path, message: "is not a cursor of this list" },
    ]);
  if (position.fingerprint !== list.fingerprint)
    throw new DomainError(
      "invalid_cursor",
      "The cursor belongs to another list or query: it was issued for other filters, full text, sort or workspace. Send the query that issued it, or start again without a cursor.",
      [{ path, message: "belongs to another list or query" }],
    );
  return { value: position.value, id: position.id, owner: position.owner };
}

/** The ids a profile's list cursors may name: its own, and those of the profiles merged into it. */
export function profileIds(customer: { id: string; aliases?: string[] | undefined }): string[] {
  return [customer.id, ...(customer.aliases ?? [])];
}

function readCursor(
  cursor: string,
  kind: string,
  accepts: CursorValue,
  owners: readonly string[] | undefined,
): (CursorPosition & { fingerprint: string }) | undefined {
  let parsed: unknown;
  try {
    const base64 = cursor.replace(/-/g, "+").replace(/_/g, "/");
    const bytes = Uint8Array.from(atob(base64), (char) => char.charCodeAt(0));
    parsed = JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    // any undecodable cursor is the same client error
    return undefined;
  }
  const length = owners === undefined ? 4 : 5;
  if (!Array.isArray(parsed) || parsed.length !== length || parsed[0] !== kind) return undefined;
  const [, fingerprint, value, id, owner]: unknown[] = parsed;
  if (typeof fingerprint !== "string" || !accepts(value) || typeof id !== "string" || id === "") return undefined;
  if (owners !== undefined && !(typeof owner === "string" && owners.includes(owner))) return undefined;
  return { fingerprint, value, id, owner: typeof owner === "string" ? owner : undefined };
}

/** 32-bit FNV-1a over the text's UTF-8 bytes, in base 36: a short stable fingerprint, not a secret. */
function fnv1a(text: string): string {
  let hash = 0x811c9dc5;
  for (const byte of new TextEncoder().encode(text)) {
    hash ^= byte;
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0).toString(36);
}

function isStoredTime(value: string): boolean {
  const ms = Date.parse(value);
  return !Number.isNaN(ms) && new Date(ms).toISOString() === value;
}
