import * as z from "zod/mini";
import { IdentifierType } from "../identifiers.js";

/** Per identifier type: unique (a value belongs to one live profile), how many a profile may hold, and which is dropped first (higher number). */
export const IdentifierTypeSettings = z.strictObject({
  unique: z.boolean(),
  limit: z.number().check(z.int(), z.minimum(1), z.maximum(1000)),
  priority: z.number().check(z.int(), z.minimum(1), z.maximum(100)),
});
export type IdentifierTypeSettings = z.infer<typeof IdentifierTypeSettings>;

export const Settings = z.object({
  identity: z.object({
    /** Every type in use: the built-in ones with DESIGN's defaults, plus the workspace's custom types. */
    types: z.record(z.string(), IdentifierTypeSettings),
    /** The workspace's own blocked values, on top of the built-in list. */
    blockedValues: z.array(z.string()),
  }),
  /** What a message or event of an undefined type does: stored as `custom`, or refused. */
  unknownEventTypes: z.enum(["custom", "reject"]),
});
export type Settings = z.infer<typeof Settings>;

/** A JSON merge patch of the settings; a type set to null goes back to its default (custom types: removed). */
export const SettingsUpdate = z.strictObject({
  identity: z.optional(
    z.strictObject({
      types: z.optional(z.record(IdentifierType, z.nullable(IdentifierTypeSettings))),
      blockedValues: z.optional(z.array(z.string().check(z.minLength(1), z.maxLength(200))).check(z.maxLength(1000))),
    }),
  ),
  unknownEventTypes: z.optional(z.enum(["custom", "reject"])),
});
export type SettingsUpdate = z.input<typeof SettingsUpdate>;
