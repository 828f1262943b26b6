import type { PhoneParser, Role } from "@cdp/contract";
import type { Clock } from "../clock.js";
import type { IdSource } from "../ids.js";
import type { Store } from "../store/store.js";

/** What every domain function works with: the store and the backend's clock and ids. */
export interface Domain {
  store: Store;
  clock: Clock;
  ids: IdSource;
  parsePhone: PhoneParser;
}

/** Who acts: a key (or a token issued to one). */
export interface Actor {
  keyId: string;
  kind: "secret" | "write" | "token";
  role: Role | null;
  organizationId: string;
  workspaces: readonly string[];
  defaultWorkspace: string | null;
}

/** Who acts, in which workspace, through which touchpoint. */
export interface Scope {
  actor: Actor;
  workspaceId: string;
  /** Recorded with every write (`api`, later `tracking`, `shopify:<shop>` …). */
  source: string;
}

/** The backend's time as ISO 8601. One tracking message reads it several times within a millisecond: the text is reused. */
export function now(domain: Domain): string {
  const ms = domain.clock.now();
  if (ms !== lastMs) {
    lastMs = ms;
    lastIso = new Date(ms).toISOString();
  }
  return lastIso;
}

let lastMs = Number.NaN;
let lastIso = "";

/**
 * A time the API was given (`2026-11-05T10:00:00Z`, `…:00.5Z`, `…:00.123456789Z`) as the store keeps
 * every time: `toISOString`'s form, to the millisecond. Stores compare times as text, so a time that
 * reaches one in any other form would sort and filter wrongly. Only for values the contract checked
 * (`Timestamp`); anything else comes back unchanged.
 */
export function canonicalTime(value: string): string {
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? value : new Date(ms).toISOString();
}

/**
 * An ISO 8601 time as the instant it names (ms since the epoch), or undefined when it is none. Read: a
 * date and time with its offset (`Z`, `+02:00`, `+0200`; `T`, `t` or a space between them), and, with
 * `bareDate`, a date alone, which ECMAScript reads as UTC midnight. Nothing else: `Date.parse` reads
 * other forms (`5/1/2026`, a date-time without an offset) in the server's own time zone, so one value
 * would name another instant on another host. A date that does not exist (`2026-02-30`) is no time
 * either: `Date.parse` would roll it over into March.
 */
export function readIsoTime(value: string, options: { bareDate: boolean }): number | undefined {
  if (!isoDateTime.test(value) && !(options.bareDate && isoDate.test(value))) return undefined;
  const ms = Date.parse(value);
  return Number.isNaN(ms) || !dateExists(value) ? undefined : ms;
}

const isoDateTime = /^[+-]?\d{4,6}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?(?:[Zz]|[+-]\d{2}(?::?\d{2})?)$/;
const isoDate = /^[+-]?\d{4,6}-\d{2}-\d{2}$/;

/** Whether the date an ISO 8601 time starts with exists (the Gregorian calendar, as ECMAScript's). */
function dateExists(value: string): boolean {
  // The year may carry a sign (`+002026`): the month starts after the first dash past it.
  const dash = value.indexOf("-", 1);
  const digit = (index: number) => value.charCodeAt(index) - 48;
  const month = digit(dash + 1) * 10 + digit(dash + 2);
  const day = digit(dash + 4) * 10 + digit(dash + 5);
  if (month < 1 || month > 12 || day < 1) return false;
  // Every month has 28 days: only a later day needs the year.
  if (day <= 28) return true;
  const year = Number(value.slice(0, dash));
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  return day <= (month === 2 ? (leap ? 29 : 28) : month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31);
}
