import * as z from "zod/mini";
import { listOptions } from "./common.js";

export const searchOperators = ["eq", "neq", "contains", "startsWith", "gt", "gte", "lt", "lte", "in", "exists", "between"] as const;
export type SearchOperator = (typeof searchOperators)[number];

/** base name | `properties.x` | `traits.x` | `identifiers.<type>` | `tags` | `createdAt` | `status` | `mergedInto` … */
export const SearchField = z
  .string()
  .check(
    z.regex(
      /^([a-zA-Z][a-zA-Z0-9_]{0,63}|(properties|traits|identifiers|address)\.[a-zA-Z0-9_][a-zA-Z0-9_.-]{0,127})$/,
      "must be a base property, properties.x, traits.x, identifiers.<type>, tags, createdAt, updatedAt, id, status or mergedInto",
    ),
  );

const Scalar = z.union([z.string().check(z.maxLength(1000)), z.number(), z.boolean(), z.null()]);

export const SearchCondition = z
  .strictObject({
    field: SearchField,
    op: z.enum(searchOperators),
    value: z.optional(z.union([Scalar, z.array(Scalar).check(z.maxLength(1000))])),
  })
  .check(
    z.superRefine((condition, ctx) => {
      const { op, value } = condition;
      const fail = (message: string) => ctx.issues.push({ code: "custom", input: value, path: ["value"], message });
      // A field set to null is a missing field: a null is refused with what to send instead (the type
      // keeps null so that the error, not the compiler, says so).
      if (value === null || (Array.isArray(value) && value.includes(null))) {
        fail(
          op === "neq"
            ? 'null is not a value: for a field that is present, use { op: "exists", value: true }'
            : op === "in"
              ? 'null is not a value: leave it out, and for a missing field add { op: "exists", value: false } under match "any"'
              : 'null is not a value: for a field that is missing, use { op: "exists", value: false }',
        );
      } else if (op === "exists") {
        if (value !== undefined && typeof value !== "boolean") fail("exists takes true, false or nothing");
      } else if (op === "in") {
        if (!Array.isArray(value)) fail("in takes an array of values");
      } else if (op === "between") {
        if (!Array.isArray(value) || value.length !== 2) fail("between takes [min, max]");
      } else if (value === undefined || Array.isArray(value)) {
        fail(`${op} takes one value`);
      } else if ((op === "contains" || op === "startsWith") && typeof value !== "string") {
        fail(`${op} takes a string`);
      }
    }),
  );
export type SearchCondition = z.infer<typeof SearchCondition>;

export interface SearchGroup {
  match?: "all" | "any" | undefined;
  conditions: Array<SearchCondition | SearchGroup>;
}

/** `{ match: "all" | "any", conditions: [condition | group] }`, nested at most 8 deep, 200 conditions a group. */
export const SearchGroup: z.ZodMiniType<SearchGroup, SearchGroup> = z.strictObject({
  match: z.optional(z.enum(["all", "any"])),
  get conditions() {
    return z.array(z.union([SearchCondition, SearchGroup])).check(z.maxLength(200));
  },
});

export const CustomerSearch = z.strictObject({
  match: z.optional(z.enum(["all", "any"])),
  conditions: z.optional(z.array(z.union([SearchCondition, SearchGroup])).check(z.maxLength(200))),
  /** Full text, as in `GET /customers?q=`. */
  q: z.optional(z.string().check(z.maxLength(1000))),
  ...listOptions,
});
export type CustomerSearch = z.input<typeof CustomerSearch>;

export const CustomerListQuery = z.strictObject({
  q: z.optional(z.string().check(z.maxLength(1000))),
  ...listOptions,
});
export type CustomerListQuery = z.input<typeof CustomerListQuery>;
