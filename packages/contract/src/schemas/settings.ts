import * as z from "zod/mini";
import { builtInIdentifierTypes, IdentifierType } from "../identifiers.js";
import { mergePatchOf } from "./merge-patch.js";

/** Per identifier type: unique (a value belongs to one live profile), how many a profile may hold, and which is dropped first (higher number). */
export const IdentifierTypeSettings = z.strictObject({
  unique: z.boolean(),
  limit: z.number().check(z.int(), z.minimum(1), z.maximum(1000)),
  priority: z.number().check(z.int(), z.minimum(1), z.maximum(100)),
});
export type IdentifierTypeSettings = z.infer<typeof IdentifierTypeSettings>;

export const Settings = z.object({
  identity: z.object({
    /** Every type in use: the built-in ones (DESIGN §4's defaults unless changed), plus the workspace's custom types. */
    types: z.record(IdentifierType, IdentifierTypeSettings),
    /** The workspace's own blocked values, on top of the built-in list. */
    blockedValues: z.array(z.string().check(z.minLength(1), z.maxLength(200))).check(z.maxLength(1000)),
  }),
  /** What a message or event of an undefined type does: stored as `custom`, or refused. */
  unknownEventTypes: z.enum(["custom", "reject"]),
});
export type Settings = z.infer<typeof Settings>;

/**
 * A JSON merge patch (RFC 7396) of the settings, derived from `Settings`: objects merge, a member
 * left out stays, `null` removes it and what is removed falls back to its default: a built-in type
 * to its DESIGN §4 rule, one field of a rule to that field's default, a custom type's rule is
 * removed (values already held stay, under the custom-type default), `blockedValues` to none,
 * `unknownEventTypes` to `custom`. A type the settings lack starts from the custom-type default.
 * Built-in types stay unique.
 */
export const SettingsUpdate = /* @__PURE__ */ mergePatchOf(Settings).check(
  /* @__PURE__ */ z.superRefine((patch, ctx) => {
    const types = patch.identity?.types;
    if (!types) return;
    for (const type of builtInIdentifierTypes) {
      if (Object.hasOwn(types, type) && types[type]?.unique === false) {
        ctx.addIssue({
          code: "custom",
          path: ["identity", "types", type, "unique"],
          message: "built-in identifier types are unique",
          input: false,
        });
      }
    }
  }),
);
export type SettingsUpdate = z.input<typeof SettingsUpdate>;
