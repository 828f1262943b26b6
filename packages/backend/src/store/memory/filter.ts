import type { SearchCondition, SearchGroup } from "@cdp/contract";
import { readField } from "../fields.js";
import type { CustomerRecord } from "../records.js";

/** True when a customer satisfies a search group (`match: all` by default). */
export function matchesGroup(customer: CustomerRecord, group: SearchGroup): boolean {
  const any = group.match === "any";
  if (group.conditions.length === 0) return true;
  for (const condition of group.conditions) {
    const ok = "conditions" in condition ? matchesGroup(customer, condition) : matchesCondition(customer, condition);
    if (any && ok) return true;
    if (!any && !ok) return false;
  }
  return !any;
}

function matchesCondition(customer: CustomerRecord, condition: SearchCondition): boolean {
  const actual = readField(customer, condition.field);
  const values = Array.isArray(actual) ? actual : actual === undefined || actual === null ? [] : [actual];
  const { op, value } = condition;
  switch (op) {
    case "exists":
      return value === false ? values.length === 0 : values.length > 0;
    case "neq":
      return !values.some((item) => equals(item, value));
    case "eq":
      return values.some((item) => equals(item, value));
    case "in":
      return Array.isArray(value) && values.some((item) => value.some((candidate) => equals(item, candidate)));
    case "contains":
      return (
        typeof value === "string" && values.some((item) => typeof item === "string" && item.toLowerCase().includes(value.toLowerCase()))
      );
    case "startsWith":
      return (
        typeof value === "string" && values.some((item) => typeof item === "string" && item.toLowerCase().startsWith(value.toLowerCase()))
      );
    case "between": {
      if (!Array.isArray(value) || value.length !== 2) return false;
      const [min, max] = value;
      return values.some((item) => order(item, min) >= 0 && order(item, max) <= 0);
    }
    default:
      return values.some((item) => {
        const c = order(item, value);
        if (Number.isNaN(c)) return false;
        return op === "gt" ? c > 0 : op === "gte" ? c >= 0 : op === "lt" ? c < 0 : c <= 0;
      });
  }
}

function equals(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  // A number stored as text (or the other way round) equals its value: forms send strings.
  if (typeof a === "number" && typeof b === "string") return b.trim() !== "" && Number(b) === a;
  if (typeof a === "string" && typeof b === "number") return a.trim() !== "" && Number(a) === b;
  return false;
}

/** Compares values of one kind (number with number, string with string); NaN when they cannot be compared. */
function order(a: unknown, b: unknown): number {
  if (typeof a === "number" && typeof b === "number") return a - b;
  if (typeof a === "string" && typeof b === "string") return a < b ? -1 : a > b ? 1 : 0;
  if (typeof a === "number" && typeof b === "string" && b.trim() !== "" && !Number.isNaN(Number(b))) return a - Number(b);
  if (typeof a === "string" && typeof b === "number" && a.trim() !== "" && !Number.isNaN(Number(a))) return Number(a) - b;
  return Number.NaN;
}
