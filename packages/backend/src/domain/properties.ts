import { type ApiIssue, baseProperties, basePropertyNames, type PropertyDefine, type PropertyDefinition } from "@cdp/contract";
import type { Domain, Scope } from "./context.js";
import { canonicalTime, now, readIsoTime } from "./context.js";
import { DomainError } from "./errors.js";
import { copyObject, isPlainObject, setOwn } from "./patch.js";

/** The workspace's property schema: the fixed base list, then its extended properties. */
export function listProperties(domain: Domain, workspaceId: string): PropertyDefinition[] {
  const base: PropertyDefinition[] = basePropertyNames.map((name) => ({
    name,
    type: baseProperties[name].type === "date" ? "date" : baseProperties[name].type === "object" ? "object" : "string",
    required: false,
    description: baseProperties[name].description,
    builtIn: true,
    createdAt: null,
  }));
  const extended = domain.store.listProperties(workspaceId).map(({ workspaceId: _, ...definition }) => definition);
  return [...base, ...extended];
}

export function defineProperty(domain: Domain, scope: Scope, input: PropertyDefine): PropertyDefinition {
  if ((basePropertyNames as string[]).includes(input.name)) {
    throw new DomainError("reserved_property", `${input.name} is a base property`, [
      { path: "body.name", message: "is the name of a base property" },
    ]);
  }
  if (domain.store.listProperties(scope.workspaceId).some((property) => property.name === input.name)) {
    throw new DomainError("already_exists", `A property named ${input.name} exists`, [
      { path: "body.name", message: "is already defined" },
    ]);
  }
  const definition: PropertyDefinition = {
    name: input.name,
    type: input.type,
    required: input.required ?? false,
    ...(input.enum ? { enum: input.enum } : {}),
    description: input.description ?? null,
    builtIn: false,
    createdAt: now(domain),
  };
  domain.store.putProperty({ ...definition, workspaceId: scope.workspaceId });
  return definition;
}

/**
 * Checks extended property values against the workspace's schema. `values` is the complete set a
 * customer would hold after the write; `written` names the keys the request wrote (for paths).
 */
export function checkProperties(
  domain: Domain,
  workspaceId: string,
  values: Record<string, unknown>,
  written: Iterable<string>,
  options: { required?: boolean } = {},
): void {
  const definitions = new Map(domain.store.listProperties(workspaceId).map((definition) => [definition.name, definition]));
  const unknown: ApiIssue[] = [];
  const invalid: ApiIssue[] = [];
  for (const name of written) {
    if (!Object.hasOwn(values, name)) continue;
    const definition = definitions.get(name);
    if (!definition) {
      unknown.push({
        path: `body.properties.${name}`,
        message: "is not defined in the workspace's property schema (define it with POST /v1/properties)",
      });
      continue;
    }
    const problem = checkValue(definition, values[name]);
    if (problem) invalid.push({ path: `body.properties.${name}`, message: problem });
  }
  if (unknown.length) throw new DomainError("unknown_property", "Properties must be defined before they are written", unknown);
  if (invalid.length) throw new DomainError("invalid_property", "A property value does not match its definition", invalid);
  if (options.required === false) return;
  const missing = [...definitions.values()]
    .filter((definition) => definition.required && (values[definition.name] === undefined || values[definition.name] === null))
    .map((definition) => ({ path: `body.properties.${definition.name}`, message: "is required" }));
  if (missing.length) throw new DomainError("required_property", "A required property is missing", missing);
}

export function checkValue(definition: PropertyDefinition, value: unknown): string | undefined {
  switch (definition.type) {
    case "string":
      return typeof value === "string" && value.length <= 10_000 ? undefined : "must be a string of at most 10,000 characters";
    case "number":
      return typeof value === "number" && Number.isFinite(value) ? undefined : "must be a number";
    case "integer":
      return Number.isSafeInteger(value) ? undefined : "must be an integer";
    case "boolean":
      return typeof value === "boolean" ? undefined : "must be true or false";
    case "date":
      return typeof value === "string" && /^\d{4}-\d{2}-\d{2}$/.test(value) && readIsoTime(value, { bareDate: true }) !== undefined
        ? undefined
        : "must be a date, YYYY-MM-DD";
    case "datetime":
      // RFC 3339's profile of ISO 8601 (a `T`, an offset with its colon), read as tracking reads times.
      return typeof value === "string" &&
        /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/.test(value) &&
        readIsoTime(value, { bareDate: false }) !== undefined
        ? undefined
        : "must be an ISO 8601 date-time";
    case "enum":
      return typeof value === "string" && (definition.enum ?? []).includes(value)
        ? undefined
        : `must be one of ${(definition.enum ?? []).join(", ")}`;
    case "array":
      return Array.isArray(value) && value.length <= 1_000 && value.every((item) => item === null || typeof item !== "object")
        ? undefined
        : "must be an array of at most 1,000 plain values";
    case "object":
      return isPlainObject(value) ? undefined : "must be an object";
  }
}

/**
 * Extended property values as the store keeps them: a datetime that checks as one becomes the instant
 * it names in `toISOString`'s form, so a search compares instants, not the offsets they were written
 * with (`…12:00:00+02:00` and `…10:00:00Z` are one time). Any other value, and a datetime that fails
 * its check, is given back as it is (for `checkProperties` to judge).
 */
export function storedProperties(domain: Domain, workspaceId: string, values: Record<string, unknown>): Record<string, unknown> {
  const datetimes = domain.store.listProperties(workspaceId).filter((definition) => definition.type === "datetime");
  if (!datetimes.some((definition) => Object.hasOwn(values, definition.name))) return values;
  const out = copyObject(values);
  for (const definition of datetimes) {
    if (Object.hasOwn(out, definition.name)) setOwn(out, definition.name, storedValue(definition, out[definition.name]));
  }
  return out;
}

/** One value as the store keeps it (see `storedProperties`). */
export function storedValue(definition: PropertyDefinition, value: unknown): unknown {
  return definition.type === "datetime" && typeof value === "string" && checkValue(definition, value) === undefined
    ? canonicalTime(value)
    : value;
}
