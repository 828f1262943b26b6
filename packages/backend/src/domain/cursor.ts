import { DomainError } from "./errors.js";

/** What a cursor carries: the list it belongs to (with its sort), and the last item's sort value and id. */
export interface CursorPosition {
  kind: string;
  value: unknown;
  id: string;
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
  const json = JSON.stringify([position.kind, position.value ?? null, position.id]);
  return btoa(String.fromCharCode(...new TextEncoder().encode(json)))
    .replace(/\+/g, "-")
    .replace(/\//g, "_")
    .replace(/=+$/, "");
}

/**
 * Reads a cursor this list issued: its kind, a value of the kind the list puts there (`accepts`,
 * by default the list's own: a time for events, null for lists keyed by id alone) and a non-empty
 * id. Anything else, a forged cursor included, is 400 `invalid_cursor` at `path`.
 */
export function decodeCursor(
  cursor: string,
  kind: string,
  path = "query.cursor",
  accepts: CursorValue = valueOfKind[kind] ?? cursorValues.none,
): CursorPosition {
  try {
    const base64 = cursor.replace(/-/g, "+").replace(/_/g, "/");
    const bytes = Uint8Array.from(atob(base64), (char) => char.charCodeAt(0));
    const parsed: unknown = JSON.parse(new TextDecoder().decode(bytes));
    if (Array.isArray(parsed) && parsed.length === 3 && parsed[0] === kind && accepts(parsed[1])) {
      const id: unknown = parsed[2];
      if (typeof id === "string" && id !== "") return { kind, value: parsed[1], id };
    }
  } catch {
    // fall through: any undecodable cursor is the same client error
  }
  throw new DomainError("invalid_cursor", "The cursor is not one this list issued (it belongs to another list or sort).", [
    { path, message: "is not a cursor of this list" },
  ]);
}

function isStoredTime(value: string): boolean {
  const ms = Date.parse(value);
  return !Number.isNaN(ms) && new Date(ms).toISOString() === value;
}
