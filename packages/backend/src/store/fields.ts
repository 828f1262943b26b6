import type { Identifier } from "@cdp/contract";
import type { CustomerRecord } from "./records.js";

/**
 * Reads a field of a customer by its search name: a base property, `address.x`, `properties.x`,
 * `traits.x`, `identifiers.<type>` (all values of that type), `tags`, or a record field.
 */
export function readField(customer: CustomerRecord, field: string): unknown {
  const dot = field.indexOf(".");
  if (dot === -1) {
    switch (field) {
      case "id":
      case "status":
      case "mergedInto":
      case "restricted":
      case "createdAt":
      case "updatedAt":
        return customer[field];
      case "tags":
        return customer.tags;
      case "email":
      case "phone":
        return customer.identifiers.find((identifier) => identifier.type === field)?.value;
      default:
        return customer.base[field];
    }
  }
  const head = field.slice(0, dot);
  const rest = field.slice(dot + 1);
  switch (head) {
    case "identifiers":
      return customer.identifiers.filter((identifier) => identifier.type === rest).map((identifier) => identifier.value);
    case "properties":
      return readPath(customer.properties, rest);
    case "traits":
      return readPath(customer.traits, rest);
    case "address":
      return readPath(customer.base.address, rest);
    default:
      return undefined;
  }
}

function readPath(value: unknown, path: string): unknown {
  let current = value;
  for (const part of path.split(".")) {
    if (current === null || typeof current !== "object" || Array.isArray(current)) return undefined;
    if (!Object.hasOwn(current, part)) return undefined;
    current = (current as Record<string, unknown>)[part];
  }
  return current;
}

/** A value a list can sort by: a string, number or boolean; anything else (objects, arrays) sorts as missing. */
export function sortableValue(value: unknown): string | number | boolean | null {
  const first = Array.isArray(value) ? value[0] : value;
  return typeof first === "string" || typeof first === "number" || typeof first === "boolean" ? first : null;
}

/**
 * Orders two sort values, a total order even when a field mixes kinds: numbers (numerically) before
 * booleans (false, true) before strings (by UTF-16 code units); missing values last. Comparing a
 * number with a string as text would not be one (9 < 10 < "10a" < 9), and a sort or a cursor over
 * such a field could skip or repeat a record.
 */
export function compareValues(a: unknown, b: unknown): number {
  const x = sortableValue(a);
  const y = sortableValue(b);
  if (x === null || y === null) return x === y ? 0 : x === null ? 1 : -1;
  const kinds = kindRank(x) - kindRank(y);
  if (kinds !== 0) return kinds;
  if (typeof x === "number") return x - (y as number);
  return x < y ? -1 : x > y ? 1 : 0;
}

function kindRank(value: string | number | boolean): number {
  return typeof value === "number" ? 0 : typeof value === "boolean" ? 1 : 2;
}

/** Whether a list of identifiers holds one (same type and value): a scan, for the short lists profiles hold. */
export function holdsIdentifier(identifiers: readonly Identifier[], identifier: Identifier): boolean {
  for (const held of identifiers) if (held.value === identifier.value && held.type === identifier.type) return true;
  return false;
}
