import { DomainError } from "./errors.js";

/** What a cursor carries: the list it belongs to (with its sort), and the last item's sort value and id. */
export interface CursorPosition {
  kind: string;
  value: unknown;
  id: string;
}

/** Cursors are opaque to clients: base64url of a small JSON. */
export function encodeCursor(position: CursorPosition): string {
  const json = JSON.stringify([position.kind, position.value ?? null, position.id]);
  return btoa(String.fromCharCode(...new TextEncoder().encode(json)))
    .replace(/\+/g, "-")
    .replace(/\//g, "_")
    .replace(/=+$/, "");
}

export function decodeCursor(cursor: string, kind: string, path = "query.cursor"): CursorPosition {
  try {
    const base64 = cursor.replace(/-/g, "+").replace(/_/g, "/");
    const bytes = Uint8Array.from(atob(base64), (char) => char.charCodeAt(0));
    const parsed: unknown = JSON.parse(new TextDecoder().decode(bytes));
    const value: unknown = Array.isArray(parsed) ? parsed[1] : undefined;
    const scalar = value === null || typeof value === "string" || typeof value === "number" || typeof value === "boolean";
    if (Array.isArray(parsed) && parsed.length === 3 && parsed[0] === kind && scalar && typeof parsed[2] === "string") {
      return { kind, value: parsed[1], id: parsed[2] };
    }
  } catch {
    // fall through: any undecodable cursor is the same client error
  }
  throw new DomainError("invalid_cursor", "The cursor is not one this list issued (it belongs to another list or sort).", [
    { path, message: "is not a cursor of this list" },
  ]);
}
