import {
  basePropertyNames,
  type Customer,
  type CustomerListQuery,
  type CustomerProjection,
  type CustomerSearch,
  idPrefixes,
  normalizeIdentifier,
  type SearchCondition,
  type SearchGroup,
} from "@cdp/contract";
import { readField, sortableValue } from "../store/fields.js";
import type { CustomerQuery, TextQuery } from "../store/query.js";
import type { CustomerRecord } from "../store/records.js";
import { type Domain, readIsoTime, type Scope } from "./context.js";
import { type CursorPosition, type CursorValue, cursorList, cursorValues, decodeCursor, encodeCursor } from "./cursor.js";
import { findCustomer, parseFields, projectCustomer, toCustomer } from "./customers.js";
import { DomainError } from "./errors.js";

export interface CustomerPage {
  data: CustomerProjection[];
  nextCursor: string | null;
}

/** `GET /customers?q=`: full text, sorted, paged by cursor. */
export function listCustomers(domain: Domain, scope: Scope, query: CustomerListQuery): CustomerPage {
  return runSearch(domain, scope, { ...query }, "query");
}

/** `POST /customers/search`: conditions (and optional full text), sorted, paged by cursor. */
export function searchCustomers(domain: Domain, scope: Scope, body: CustomerSearch): CustomerPage {
  return runSearch(domain, scope, body, "body");
}

const sortableRecordFields = ["id", "createdAt", "updatedAt", "status", "mergedInto", "tags"];

/** Fields only an alias (a merged profile) can match: a search naming one finds aliases too, not only live profiles. */
const aliasFields = ["status", "mergedInto"];
/** Operators that name ids one by one: `id eq` / `id in` naming an alias finds that alias, as `status` does. */
const namingOps = ["eq", "in"];

function runSearch(domain: Domain, scope: Scope, request: CustomerSearch, where: "query" | "body"): CustomerPage {
  const limit = Number(request.limit ?? 50);
  const fields = parseFields(request.fields, `${where}.fields`);
  const sortSpec = request.sort ?? "-createdAt";
  const descending = sortSpec.startsWith("-");
  const sortField = descending ? sortSpec.slice(1) : sortSpec;
  checkField(domain, scope, sortField, `${where}.sort`);

  const filter = request.conditions
    ? normalizeGroup(domain, scope, { match: request.match ?? "all", conditions: request.conditions }, `${where}.conditions`)
    : undefined;
  const includeMerged = filter !== undefined && namesAliasField(filter);
  const q = request.q === undefined || includeMerged ? request.q : survivorText(domain, scope, request.q);
  const text = q === undefined ? undefined : parseText(q);

  // GET /customers?q= and a search without conditions ask for the same records: their cursors are one list's.
  const list = cursorList(`customers:${sortSpec}`, {
    workspace: scope.workspaceId,
    sort: sortSpec,
    text: request.q === undefined ? undefined : textSelection(request.q),
    filter,
  });
  let after: CursorPosition | undefined;
  if (request.cursor !== undefined)
    after = decodeCursor(request.cursor, list, { path: `${where}.cursor`, accepts: sortCursorValue(domain, scope, sortField) });

  const query: CustomerQuery = {
    sort: { field: sortField, descending },
    limit: limit + 1,
    includeRestricted: scope.actor.role === "dpo",
    includeMerged,
    ...(text ? { text } : {}),
    ...(filter ? { filter } : {}),
    ...(after ? { after: { value: after.value, id: after.id } } : {}),
  };
  const records = domain.store.queryCustomers(scope.workspaceId, query);
  const pageRecords = records.slice(0, limit);
  const last = pageRecords[pageRecords.length - 1];
  return {
    data: pageRecords.map((record) => projectCustomer(presentCustomer(domain, scope, record), fields)),
    nextCursor: records.length > limit && last ? encodeCursor(list, { value: sortValue(last, sortField), id: last.id }) : null,
  };
}

/** A live profile as it is; an alias as what is left of it, restricted when its survivor is. */
function presentCustomer(domain: Domain, scope: Scope, record: CustomerRecord): Customer {
  const customer = toCustomer(record);
  if (record.status === "merged" && record.mergedInto !== null) {
    customer.restricted = domain.store.getCustomer(scope.workspaceId, record.mergedInto)?.restricted ?? false;
  }
  return customer;
}

function namesAliasField(group: SearchGroup): boolean {
  return group.conditions.some((condition) =>
    "conditions" in condition
      ? namesAliasField(condition)
      : aliasFields.includes(condition.field) || (condition.field === "id" && namingOps.includes(condition.op)),
  );
}

/**
 * `q` that is exactly an old (merged) id, quoted or not, finds its survivor once, as
 * `GET /customers/{oldId}` does; any other text is searched as given. Only text that starts like
 * a customer id costs a lookup.
 */
function survivorText(domain: Domain, scope: Scope, q: string): string {
  const trimmed = q.trim();
  const quoted = trimmed.length > 2 && trimmed.startsWith('"') && trimmed.endsWith('"');
  const id = quoted ? trimmed.slice(1, -1).trim() : trimmed;
  if (!id.startsWith(customerIdPrefix)) return q;
  const survivor = findCustomer(domain, scope, id);
  if (!survivor || survivor.id === id) return q;
  return quoted ? `"${survivor.id}"` : survivor.id;
}

const customerIdPrefix = `${idPrefixes.customer}_`;

/**
 * What a `q` selects, for a cursor's fingerprint: its terms and phrases sorted (all must match, in any order),
 * nothing for a `q` with neither (it matches everything), and the id a `q` that is exactly one stands
 * for (`survivorText` reads it so, where other text with the same terms would not be).
 */
function textSelection(q: string): { terms: string[]; phrases: string[]; id?: string } | undefined {
  const { terms, phrases } = parseText(q);
  if (terms.length === 0 && phrases.length === 0) return undefined;
  const trimmed = q.trim();
  const id = trimmed.length > 2 && trimmed.startsWith('"') && trimmed.endsWith('"') ? trimmed.slice(1, -1).trim() : trimmed;
  return { terms: [...terms].sort(), phrases: [...new Set(phrases)].sort(), ...(id.startsWith(customerIdPrefix) ? { id } : {}) };
}

/** The kind of value `sortValue` gives for a sort field: what a cursor of that sort may carry. */
function sortCursorValue(domain: Domain, scope: Scope, field: string): CursorValue {
  if (field === "createdAt" || field === "updatedAt") return cursorValues.time;
  if (field === "id" || field === "status") return cursorValues.text;
  const [head, name] = field.split(".");
  if (head === "traits") return cursorValues.scalarOrMissing;
  if (head === "properties") {
    const type = domain.store.listProperties(scope.workspaceId).find((property) => property.name === name)?.type;
    if (type === "number" || type === "integer") return cursorValues.numberOrMissing;
    if (type === "boolean") return cursorValues.booleanOrMissing;
    if (type === "array" || type === "object") return cursorValues.scalarOrMissing;
    return cursorValues.textOrMissing;
  }
  // Base properties, email and phone, tags, mergedInto, identifiers.<type>, address.<part>: text or missing.
  return cursorValues.textOrMissing;
}

function sortValue(record: CustomerRecord, field: string): unknown {
  return sortableValue(readField(record, field));
}

/** The quoted phrases of a `q` (trimmed, lower-cased), and the text around them. */
export function quotedPhrases(q: string): { phrases: string[]; rest: string } {
  const phrases: string[] = [];
  const rest = q.replace(/"([^"]*)"/g, (_, phrase: string) => {
    if (phrase.trim()) phrases.push(phrase.trim().toLowerCase());
    return " ";
  });
  return { phrases, rest };
}

/** Unquoted terms become lower-cased token prefixes (all must match); a quoted phrase must equal a whole value. */
export function parseText(q: string): TextQuery {
  const { phrases, rest } = quotedPhrases(q);
  // A phone number typed with a +, dashes or brackets is one term: its digits ("+1 (415) 555" → "1415555").
  // Digits with only spaces between them stay separate terms ("10115 12").
  const collapsed = rest.replace(/\+?\(?\d[\d\s().-]{4,}\d/g, (run) => (/^\+|[().-]/.test(run) ? ` ${run.replace(/\D/g, "")} ` : run));
  const terms = [...new Set(collapsed.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [])];
  return { terms, phrases };
}

/** Checks every field a search names and normalises identifier values as identifiers are stored. */
function normalizeGroup(domain: Domain, scope: Scope, group: SearchGroup, path: string, depth = 0): SearchGroup {
  if (depth > 8)
    throw new DomainError("validation_failed", "Search groups nest at most 8 deep", [{ path, message: "nested deeper than 8 groups" }]);
  return {
    match: group.match ?? "all",
    conditions: group.conditions.map((condition, index) =>
      "conditions" in condition
        ? normalizeGroup(domain, scope, condition, `${path}.${index}.conditions`, depth + 1)
        : normalizeCondition(domain, scope, condition, `${path}.${index}`),
    ),
  };
}

function normalizeCondition(domain: Domain, scope: Scope, condition: SearchCondition, path: string): SearchCondition {
  checkField(domain, scope, condition.field, `${path}.field`);
  if (comparingOps.includes(condition.op) && (timeFields.includes(condition.field) || isDatetimeProperty(domain, scope, condition.field)))
    return { ...condition, value: mapValues(condition.value, timeValue) };
  const type = condition.field.startsWith("identifiers.") ? condition.field.slice("identifiers.".length) : condition.field;
  if (!["email", "phone"].includes(type) && !condition.field.startsWith("identifiers.")) return condition;
  if (!["eq", "neq", "in"].includes(condition.op)) return condition;
  const normalize = (value: unknown) => {
    if (typeof value !== "string") return value;
    const result = normalizeIdentifier({ type, value }, { parsePhone: domain.parsePhone });
    return result.ok ? result.identifier.value : value;
  };
  return { ...condition, value: mapValues(condition.value, normalize) };
}

/** The profile's own times: stored as `toISOString` writes them, so a time given in another ISO 8601 form is written so too. */
const timeFields = ["createdAt", "updatedAt"];

/** A defined `datetime` property (`properties.lastOrderAt`): stored as an instant in the same form, so read as the profile's own times are. */
function isDatetimeProperty(domain: Domain, scope: Scope, field: string): boolean {
  if (!field.startsWith("properties.")) return false;
  const name = field.slice("properties.".length);
  return domain.store.listProperties(scope.workspaceId).some((property) => property.name === name && property.type === "datetime");
}

/** Operators that compare a whole value: text operators (`startsWith`, `contains`) read the stored text as it is. */
const comparingOps = ["eq", "neq", "in", "gt", "gte", "lt", "lte", "between"];

/**
 * A full ISO 8601 instant (with `Z` or an offset) in the stored form; anything else as given. A date is
 * left alone, compared as text (`2026-11-23` is no instant here), and so is a date-time without an offset.
 */
function timeValue(value: unknown): unknown {
  const ms = typeof value === "string" ? readIsoTime(value, { bareDate: false }) : undefined;
  return ms === undefined ? value : new Date(ms).toISOString();
}

function mapValues(value: SearchCondition["value"], map: (value: unknown) => unknown): SearchCondition["value"] {
  return (Array.isArray(value) ? value.map(map) : map(value)) as SearchCondition["value"];
}

function checkField(domain: Domain, scope: Scope, field: string, path: string): void {
  const issue = fieldProblem(domain, scope, field);
  if (issue) throw new DomainError(issue.code, issue.message, [{ path, message: issue.message }]);
}

function fieldProblem(
  domain: Domain,
  scope: Scope,
  field: string,
): { code: "validation_failed" | "unknown_property"; message: string } | undefined {
  const [head, ...rest] = field.split(".");
  if (rest.length === 0) {
    if ((basePropertyNames as string[]).includes(field) || sortableRecordFields.includes(field)) return undefined;
    return {
      code: "validation_failed",
      message: `${field} is not a customer field (base properties, properties.x, traits.x, identifiers.<type>, tags, createdAt, updatedAt, id, status, mergedInto)`,
    };
  }
  if (head === "properties") {
    const name = rest[0] as string;
    if (domain.store.listProperties(scope.workspaceId).some((property) => property.name === name)) return undefined;
    return { code: "unknown_property", message: `properties.${name} is not defined in the workspace's property schema` };
  }
  if (head === "traits" || head === "identifiers" || head === "address") return undefined;
  return { code: "validation_failed", message: `${field} is not a customer field` };
}
