import * as z from "zod/mini";
import { Identifier, IdentifierType } from "../identifiers.js";
import { JsonRecord, Reason, Timestamp } from "./common.js";

const Text = z.string().check(z.maxLength(1000));
const ShortText = z.string().check(z.maxLength(200));

export const Address = z.strictObject({
  street: z.optional(z.nullable(Text)),
  city: z.optional(z.nullable(ShortText)),
  postalCode: z.optional(z.nullable(ShortText)),
  region: z.optional(z.nullable(ShortText)),
  country: z.optional(z.nullable(z.string().check(z.regex(/^[A-Z]{2}$/, "must be an ISO 3166-1 alpha-2 code, e.g. DE")))),
});
export type Address = z.infer<typeof Address>;

const BirthDate = z.iso.date();
const Locale = z.string().check(z.regex(/^[a-zA-Z]{2,3}([-_][a-zA-Z0-9]{2,8})*$/, "must be a BCP 47 language tag, e.g. en-GB"));
const TimeZone = z.string().check(z.regex(/^[A-Za-z_]+(\/[A-Za-z0-9_+-]+)*$|^UTC$/, "must be an IANA time zone, e.g. Europe/Berlin"));
const Tag = z.string().check(z.trim(), z.minLength(1), z.maxLength(64));
const Tags = z.array(Tag).check(z.maxLength(100));

/**
 * The fixed list of base properties. `email` and `phone` are read-only mirrors of the profile's
 * first identifier of that type.
 */
export const baseProperties = {
  firstName: { type: "string", description: "Given name." },
  lastName: { type: "string", description: "Family name." },
  birthDate: { type: "date", description: "Date of birth, YYYY-MM-DD." },
  gender: { type: "string", description: "Gender as the customer gave it." },
  locale: { type: "string", description: "Preferred language, BCP 47." },
  timeZone: { type: "string", description: "IANA time zone." },
  email: { type: "string", description: "Read-only: the first email identifier." },
  phone: { type: "string", description: "Read-only: the first phone identifier, E.164." },
  address: { type: "object", description: "Postal address: street, city, postalCode, region, country." },
  company: { type: "string", description: "Company name." },
  jobTitle: { type: "string", description: "Job title." },
} as const;
export type BaseProperty = keyof typeof baseProperties;
export const basePropertyNames = Object.keys(baseProperties) as BaseProperty[];

/** Base properties a request may write (all but the identifier mirrors). */
const writableBase = {
  firstName: z.optional(z.nullable(ShortText)),
  lastName: z.optional(z.nullable(ShortText)),
  birthDate: z.optional(z.nullable(BirthDate)),
  gender: z.optional(z.nullable(z.string().check(z.maxLength(64)))),
  locale: z.optional(z.nullable(Locale)),
  timeZone: z.optional(z.nullable(TimeZone)),
  address: z.optional(z.nullable(Address)),
  company: z.optional(z.nullable(ShortText)),
  jobTitle: z.optional(z.nullable(ShortText)),
};

export const customerStatuses = ["active", "merged"] as const;

export const Customer = z.object({
  id: z.string(),
  status: z.enum(customerStatuses),
  mergedInto: z.nullable(z.string()),
  restricted: z.boolean(),
  firstName: z.nullable(z.string()),
  lastName: z.nullable(z.string()),
  birthDate: z.nullable(z.string()),
  gender: z.nullable(z.string()),
  locale: z.nullable(z.string()),
  timeZone: z.nullable(z.string()),
  email: z.nullable(z.string()),
  phone: z.nullable(z.string()),
  address: z.nullable(Address),
  company: z.nullable(z.string()),
  jobTitle: z.nullable(z.string()),
  properties: JsonRecord,
  traits: JsonRecord,
  identifiers: z.array(Identifier),
  tags: z.array(z.string()),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export type Customer = z.infer<typeof Customer>;

/** A customer projected by `fields`: `id` always, the rest as asked. */
export const CustomerProjection = z.extend(z.partial(Customer), { id: z.string() });
export type CustomerProjection = z.infer<typeof CustomerProjection>;

export const onConflictModes = ["error", "merge"] as const;

export const CustomerCreate = z.strictObject({
  ...writableBase,
  /** Shorthand for an `email` identifier. */
  email: z.optional(z.string().check(z.maxLength(512))),
  /** Shorthand for a `phone` identifier. */
  phone: z.optional(z.string().check(z.maxLength(64))),
  identifiers: z.optional(z.array(Identifier).check(z.maxLength(1000))),
  properties: z.optional(JsonRecord),
  traits: z.optional(JsonRecord),
  tags: z.optional(Tags),
  /** `error` (default): 409 when an identifier belongs to another profile. `merge`: update that profile instead. */
  onConflict: z.optional(z.enum(onConflictModes)),
});
export type CustomerCreate = z.input<typeof CustomerCreate>;

export const CustomerCreated = z.object({
  customer: Customer,
  outcome: z.enum(["created", "updated", "merged"]),
  /**
   * With `onConflict: "merge"`: each identifier the profile did not take (it would break its type's
   * limit; DESIGN §4), where the body had it, and the rule (`userId limit 1`). Absent when none.
   */
  dropped: z.optional(z.array(z.object({ path: z.string(), type: z.string(), value: z.string(), rule: z.string() }))),
});
export type CustomerCreated = z.infer<typeof CustomerCreated>;

/**
 * A JSON merge patch (RFC 7396): null removes a field, objects merge, arrays replace.
 * Identifiers never change here; naming `email` or `phone` is refused with `identifier_field`.
 */
export const CustomerUpdate = z
  .strictObject({
    ...writableBase,
    email: z.optional(z.unknown()),
    phone: z.optional(z.unknown()),
    properties: z.optional(z.nullable(JsonRecord)),
    traits: z.optional(z.nullable(JsonRecord)),
    tags: z.optional(z.nullable(Tags)),
  })
  .check(
    z.superRefine((patch, ctx) => {
      for (const field of ["email", "phone"] as const) {
        if (field in patch) {
          ctx.issues.push({
            code: "custom",
            input: patch[field],
            path: [field],
            message: `${field} mirrors the profile's ${field} identifiers: change them through /customers/{id}/identifiers`,
            params: { code: "identifier_field" },
          });
        }
      }
    }),
  );
export type CustomerUpdate = z.input<typeof CustomerUpdate>;

export const CustomerDeleted = z.object({ id: z.string(), deleted: z.literal(true) });

export const BulkDelete = z.strictObject({
  ids: z.array(z.string().check(z.minLength(1), z.maxLength(128))).check(z.minLength(1), z.maxLength(100)),
  reason: Reason,
});
export const BulkDeleted = z.object({ deleted: z.number(), ids: z.array(z.string()) });

export const LookupQuery = z.strictObject({
  /** The same name format customer create checks: a name no type can have is a 400, not a 404. */
  type: IdentifierType,
  value: z.string().check(z.minLength(1), z.maxLength(512)),
});

export const IdentifierAdd = z.strictObject({
  type: Identifier.shape.type,
  value: Identifier.shape.value,
  /** Take the identifier from the live profile holding it (ID changelog: moved) instead of answering 409. */
  move: z.optional(z.boolean()),
});
export type IdentifierAdd = z.input<typeof IdentifierAdd>;
