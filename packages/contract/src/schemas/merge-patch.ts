import * as z from "zod/mini";

/**
 * A JSON merge patch (RFC 7396) of a document of type `T`: every member may be left out, `null`
 * removes it, objects (and records) merge member by member, anything else (arrays included) replaces.
 */
export type MergePatch<T> = T extends readonly unknown[]
  ? T
  : T extends Record<string, unknown>
    ? { [K in keyof T]?: MergePatch<T[K]> | null | undefined }
    : T;

/**
 * The schema of a merge patch of what `schema` describes, derived from it so that the document and
 * its patch are declared once: objects become strict (an unknown member is refused, naming its
 * path) with every member optional and nullable, records take nullable patches of their values,
 * and every other schema (strings, numbers, enums, arrays) keeps its own checks. Checks on an object
 * or record as a whole are not carried over: they judge a whole document, not a part of one.
 */
export function mergePatchOf<S extends z.ZodMiniType>(schema: S): z.ZodMiniType<MergePatch<z.output<S>>, MergePatch<z.input<S>>> {
  return patchOf(schema) as unknown as z.ZodMiniType<MergePatch<z.output<S>>, MergePatch<z.input<S>>>;
}

function patchOf(schema: z.ZodMiniType): z.ZodMiniType {
  const def = (schema as unknown as { _zod: { def: PatchableDef } })._zod.def;
  switch (def.type) {
    case "object": {
      const shape: Record<string, z.ZodMiniType> = {};
      for (const [key, member] of Object.entries(def.shape ?? {})) shape[key] = z.optional(z.nullable(patchOf(unwrapped(member))));
      return z.strictObject(shape);
    }
    case "record":
      return z.record(def.keyType as z.ZodMiniString, z.nullable(patchOf(unwrapped(def.valueType as z.ZodMiniType))));
    default:
      return schema;
  }
}

/** An optional or nullable member is patched as its inner schema: leaving out and null are the patch's own words. */
function unwrapped(schema: z.ZodMiniType): z.ZodMiniType {
  const def = (schema as unknown as { _zod: { def: PatchableDef } })._zod.def;
  return (def.type === "optional" || def.type === "nullable") && def.innerType ? unwrapped(def.innerType) : schema;
}

/** The parts of a zod definition this module reads. */
interface PatchableDef {
  readonly type: string;
  readonly shape?: Record<string, z.ZodMiniType>;
  readonly keyType?: z.ZodMiniType;
  readonly valueType?: z.ZodMiniType;
  readonly innerType?: z.ZodMiniType;
}
