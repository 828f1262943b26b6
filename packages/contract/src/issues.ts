import type { ApiIssue, ErrorCode } from "./errors.js";

/** The part of a zod issue this module reads (zod and zod/mini share it; so does Standard Schema). */
export interface SchemaIssue {
  readonly code?: string;
  readonly path?: ReadonlyArray<PropertyKey | { key: PropertyKey }>;
  readonly message: string;
  readonly expected?: string;
  readonly values?: readonly unknown[];
  readonly keys?: readonly string[];
  readonly minimum?: number | bigint;
  readonly maximum?: number | bigint;
  readonly origin?: string;
  readonly format?: string;
  readonly input?: unknown;
  readonly params?: { readonly code?: string };
  /** Of `invalid_union`: each branch's issues, with paths relative to the union. */
  readonly errors?: ReadonlyArray<readonly SchemaIssue[]>;
  /** Of `invalid_key` (a record's key): what the key schema said. */
  readonly issues?: readonly SchemaIssue[];
}

/**
 * "matches none of the allowed shapes" helps nobody: for a union, report the issues of the branch
 * that came closest (the fewest issues), under the union's path.
 */
function closestBranches(issues: readonly SchemaIssue[]): SchemaIssue[] {
  return issues.flatMap((issue) => {
    if (issue.code !== "invalid_union" || !issue.errors?.length) return [issue];
    const closest = [...issue.errors].sort((a, b) => a.length - b.length)[0] ?? [];
    if (closest.length === 0) return [issue];
    return closestBranches(closest).map((inner) => ({ ...inner, path: [...(issue.path ?? []), ...(inner.path ?? [])] }));
  });
}

/**
 * Turns schema issues into the API's `{ path, message }` issues, with `prefix` (`body`, `query`,
 * `params`) in front of each dotted path. zod/mini ships no messages ("Invalid input"); writing
 * them here costs less than a locale in the browser bundle.
 */
export function toApiIssues(issues: readonly SchemaIssue[], prefix?: string): ApiIssue[] {
  return closestBranches(issues).map((issue) => {
    const parts = (issue.path ?? []).map((p) => String(typeof p === "object" && p !== null ? p.key : p));
    if (issue.code === "unrecognized_keys" && issue.keys?.length === 1) parts.push(issue.keys[0] as string);
    const path = [prefix, ...parts].filter((p) => p !== undefined && p !== "").join(".");
    return { path: path || "(root)", message: describeIssue(issue) };
  });
}

/**
 * The error code for a set of schema issues: a schema may name a more precise code in an issue's
 * `params.code` (the customer patch names `identifier_field`); otherwise `validation_failed`.
 * The SDK and the backend both call this, so a refusal has one code wherever it happens.
 */
export function schemaErrorCode(issues: readonly SchemaIssue[]): ErrorCode {
  for (const issue of issues) {
    if (issue.params?.code === "identifier_field") return "identifier_field";
  }
  return "validation_failed";
}

function describeIssue(issue: SchemaIssue): string {
  if (issue.message && issue.message !== "Invalid input") return issue.message;
  switch (issue.code) {
    case "invalid_type":
      return issue.input === undefined
        ? `required: expected ${issue.expected}`
        : `expected ${issue.expected}, got ${typeName(issue.input)}`;
    case "invalid_value":
      return `expected one of ${(issue.values ?? []).map((v) => JSON.stringify(v)).join(", ")}`;
    case "unrecognized_keys":
      return `unknown field${(issue.keys?.length ?? 0) > 1 ? "s" : ""}: ${(issue.keys ?? []).join(", ")}`;
    case "too_small":
      return issue.origin === "string"
        ? `must be at least ${plural(issue.minimum, "character")} long`
        : issue.origin === "array"
          ? `must hold at least ${plural(issue.minimum, "item")}`
          : `must be at least ${issue.minimum}`;
    case "too_big":
      return issue.origin === "string"
        ? `must be at most ${plural(issue.maximum, "character")} long`
        : issue.origin === "array"
          ? `must hold at most ${plural(issue.maximum, "item")}`
          : `must be at most ${issue.maximum}`;
    case "invalid_format":
      return `must be a valid ${issue.format ?? "value"}`;
    case "invalid_union":
      return "matches none of the allowed shapes";
    case "invalid_key":
      return issue.issues?.[0] ? `key ${describeIssue(issue.issues[0])}` : "invalid key";
    case "not_multiple_of":
      return "must be a whole number";
    default:
      return "invalid value";
  }
}

function plural(count: number | bigint | undefined, noun: string): string {
  return `${count} ${noun}${count === 1 || count === 1n ? "" : "s"}`;
}

function typeName(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  if (typeof value === "number" && Number.isNaN(value)) return "NaN";
  return typeof value;
}
