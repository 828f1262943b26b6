import * as z from "zod/mini";
import { Timestamp } from "./common.js";

export const propertyTypes = ["string", "number", "integer", "boolean", "date", "datetime", "enum", "array", "object"] as const;
export type PropertyType = (typeof propertyTypes)[number];

export const PropertyName = z
  .string()
  .check(z.regex(/^[a-zA-Z][a-zA-Z0-9_]{0,63}$/, "must start with a letter; letters, digits and _ only; ≤ 64 characters"));

export const PropertyDefine = z
  .strictObject({
    name: PropertyName,
    type: z.enum(propertyTypes),
    required: z.optional(z.boolean()),
    enum: z.optional(z.array(z.string().check(z.minLength(1), z.maxLength(200))).check(z.minLength(1), z.maxLength(500))),
    description: z.optional(z.string().check(z.maxLength(1000))),
  })
  .check(
    z.superRefine((definition, ctx) => {
      if (definition.type === "enum" && !definition.enum) {
        ctx.issues.push({ code: "custom", input: definition, path: ["enum"], message: "an enum property lists its values" });
      }
      if (definition.type !== "enum" && definition.enum) {
        ctx.issues.push({ code: "custom", input: definition, path: ["enum"], message: "only an enum property lists values" });
      }
    }),
  );
export type PropertyDefine = z.input<typeof PropertyDefine>;

export const PropertyDefinition = z.object({
  name: z.string(),
  type: z.enum(propertyTypes),
  required: z.boolean(),
  enum: z.optional(z.array(z.string())),
  description: z.nullable(z.string()),
  /** Base properties are built in; extended ones live under `properties.<name>`. */
  builtIn: z.boolean(),
  createdAt: z.nullable(Timestamp),
});
export type PropertyDefinition = z.infer<typeof PropertyDefinition>;

export const PropertyList = z.object({ data: z.array(PropertyDefinition) });
