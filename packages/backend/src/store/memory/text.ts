import type { CustomerRecord } from "../records.js";

/** Splits text into lower-cased tokens of letters and digits, as both the index and the query do. */
export function tokenize(text: string): string[] {
  return text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
}

/** The text a customer is found by: names, emails, phones, ids, identifiers and text properties. */
export function searchableValues(customer: CustomerRecord): string[] {
  const values: string[] = [customer.id];
  for (const field of ["firstName", "lastName", "company", "jobTitle"]) {
    const value = customer.base[field];
    if (typeof value === "string") values.push(value);
  }
  for (const identifier of customer.identifiers) values.push(identifier.value);
  collectStrings(customer.properties, values, 0);
  collectStrings(customer.traits, values, 0);
  return values;
}

function collectStrings(value: unknown, out: string[], depth: number): void {
  if (depth > 4) return;
  if (typeof value === "string") {
    if (value.length <= 1000) out.push(value);
  } else if (Array.isArray(value)) {
    for (const item of value) collectStrings(item, out, depth + 1);
  } else if (value && typeof value === "object") {
    for (const item of Object.values(value)) collectStrings(item, out, depth + 1);
  }
}
