import { type ApiIssue, type SchemaIssue, schemaErrorCode, toApiIssues } from "@cdp/contract";
import * as z from "zod/mini";
import { DomainError } from "../domain/errors.js";

/** Parses one part of a request with the route's schema; failures name each field (`body.x.0.y`). */
export function parsePart<S extends z.ZodMiniType>(schema: S, value: unknown, where: "params" | "query" | "body"): z.output<S> {
  // reportInput: without it zod leaves `input` out and a wrong type reads like a missing field.
  const result = schema.safeParse(value, { reportInput: true });
  if (result.success) return result.data;
  const issues = result.error.issues as unknown as SchemaIssue[];
  throw new DomainError(schemaErrorCode(issues), "The request does not match the schema.", toApiIssues(issues, where));
}

/** Query strings as an object; a name given twice is refused rather than silently picked. */
export function readQuery(url: URL): Record<string, string> {
  const out: Record<string, string> = {};
  const repeated: ApiIssue[] = [];
  for (const [name, value] of url.searchParams) {
    if (Object.hasOwn(out, name)) repeated.push({ path: `query.${name}`, message: "is given more than once" });
    Object.defineProperty(out, name, { value, enumerable: true, writable: true, configurable: true });
  }
  if (repeated.length) throw new DomainError("validation_failed", "A query parameter is given more than once.", repeated);
  return out;
}

/** The query of a route that declares none: like the declared ones, strict, so any parameter is refused. */
export const noQuery = z.strictObject({});
