import * as z from "zod/mini";

/** An ISO 8601 time in UTC, e.g. `2026-11-23T12:00:00.000Z`. */
export const Timestamp = z.iso.datetime({ offset: false });

/**
 * A list's time range (`from`, `to`, both inclusive) must not end before it starts: an empty page
 * would hide the mistake, so `to` before `from` is a 400 at `query.to`.
 */
export const timeRangeInOrder = /* @__PURE__ */ z.superRefine((range: { from?: string | undefined; to?: string | undefined }, ctx) => {
  if (range.from !== undefined && range.to !== undefined && Date.parse(range.to) < Date.parse(range.from)) {
    ctx.issues.push({ code: "custom", input: range.to, path: ["to"], message: "must not be before from" });
  }
});

/** A record id as given in a path: checked by lookup, so a malformed id answers 404 like an unknown one. */
export const IdParam = z.string().check(z.minLength(1), z.maxLength(128));

/** The path parameters of a route on one record: `{id}`. */
export const IdParams = z.strictObject({ id: IdParam });

export const Reason = z.string().check(z.trim(), z.minLength(1, "a reason is required"), z.maxLength(1000));

/**
 * The pattern of a `SourceName` (which is also at most 200 characters): shared with the tracking
 * path's quick check of a batch item, which cannot afford a schema parse per message.
 */
export const sourceNamePattern = /^[a-z][a-z0-9-]{0,39}:[A-Za-z0-9][A-Za-z0-9._~:-]*$/;

/**
 * A plug-in's source: `<platform>:<name>`, e.g. `shopify:acme.myshopify.com` or `woocommerce:shop.example.com`.
 * The backend's own touchpoints (`api`, `tracking`) have no colon, so a plug-in cannot take their name.
 */
export const SourceName = z
  .string()
  .check(z.maxLength(200), z.regex(sourceNamePattern, "must be <platform>:<name>, e.g. shopify:acme.myshopify.com"));

/** `{ reason }`: deletes and erasures say why; the audit log keeps it. */
export const ReasonBody = z.strictObject({ reason: Reason });

export const Limit = z.coerce.number().check(z.int(), z.minimum(1), z.maximum(1000));
export const Cursor = z.string().check(z.maxLength(2048));
export const Fields = z
  .string()
  .check(z.regex(/^[a-zA-Z][a-zA-Z0-9_.]*(,[a-zA-Z][a-zA-Z0-9_.]*)*$/, "must be field names separated by commas"));

// Schemas name Limit, Cursor and Fields directly: a property read (`listOptions.limit`) inside a schema
// is a side effect to bundlers, which then keep that schema in every bundle.

/** Options every list takes: `limit` (default 50, ≤ 1000), an opaque `cursor`, `sort=field|-field`, `fields=a,b`. */
export const listOptions = {
  limit: z.optional(Limit),
  cursor: z.optional(Cursor),
  sort: z.optional(z.string().check(z.regex(/^-?[a-zA-Z][a-zA-Z0-9_.]{0,127}$/, "must be a field name, with - in front for descending"))),
  fields: z.optional(Fields),
};

/** One page of a list: `nextCursor` is null on the last page. */
export function page<T extends z.ZodMiniType>(item: T) {
  return z.object({ data: z.array(item), nextCursor: z.nullable(z.string()) });
}

/** A JSON value, as extended properties and traits hold them. */
export const JsonRecord = z.record(z.string().check(z.minLength(1), z.maxLength(128)), z.unknown());
/**
 * Any JSON object, its keys any text (the empty one too): what a tracker sends as traits,
 * properties and context, and what an event keeps. Tracking never fails on them (DESIGN §4).
 */
export const JsonObject = z.record(z.string(), z.unknown());
