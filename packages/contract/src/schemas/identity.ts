import * as z from "zod/mini";
import { Identifier } from "../identifiers.js";
import { Reason, Timestamp } from "./common.js";
import { Customer } from "./customer.js";

export const IdentityResolve = z.strictObject({ identifiers: z.array(Identifier).check(z.minLength(1), z.maxLength(100)) });
export type IdentityResolve = z.input<typeof IdentityResolve>;
export const IdentityResolved = z.object({ customerId: z.nullable(z.string()) });

export const CustomerMerge = z
  .strictObject({
    /** The profile that stays (an old, merged id names its survivor); the others become `merged` into it. */
    into: z.string().check(z.minLength(1), z.maxLength(128)),
    /** Each id at most once, and never `into` itself; an old (merged) id names its survivor. */
    from: z.array(z.string().check(z.minLength(1), z.maxLength(128))).check(z.minLength(1), z.maxLength(49)),
    /** Merge even when the result would hold more identifiers of a type than its limit. */
    force: z.optional(z.boolean()),
    reason: z.optional(Reason),
  })
  .check(
    z.superRefine((merge, ctx) => {
      if (!Array.isArray(merge.from)) return;
      for (const [index, id] of merge.from.entries()) {
        const fail = (message: string) => ctx.issues.push({ code: "custom", input: id, path: ["from", index], message });
        if (id === merge.into) fail("is `into` itself: a profile cannot merge into itself");
        else if (merge.from.indexOf(id) < index) fail(`repeats from.${merge.from.indexOf(id)}`);
      }
    }),
  );
export type CustomerMerge = z.input<typeof CustomerMerge>;
export const CustomerMerged = z.object({
  /** The survivor, after the merge. */
  customer: Customer,
  /** The profiles this call merged into the survivor (an old id in `from` is listed as the survivor it named). */
  merged: z.array(z.string()),
  /** The `from` ids that were already merged into the survivor: nothing to do, so a repeated merge answers 200. */
  alreadyMerged: z.array(z.string()),
});

/** One line of a profile's ID changelog. */
export const IdentityChange = z.object({
  type: z.string(),
  value: z.string(),
  action: z.enum(["added", "moved", "removed", "dropped"]),
  at: Timestamp,
  source: z.string(),
  /** For moves: where from and where to. */
  from: z.optional(z.nullable(z.string())),
  to: z.optional(z.nullable(z.string())),
  /** For drops: which rule fired. */
  rule: z.optional(z.string()),
  /** The profile the line was written on: the customer asked for, or an id merged into it (a line from before that merge). */
  customerId: z.optional(z.string()),
});
export type IdentityChange = z.infer<typeof IdentityChange>;

export const CustomerIdentities = z.object({
  /** The ids of the profiles merged into this one (directly or through an earlier merge); each acts on it. */
  aliases: z.array(z.string()),
  identifiers: z.array(z.object({ type: z.string(), value: z.string(), addedAt: Timestamp, source: z.string() })),
  changelog: z.array(IdentityChange),
});

/** How the merge decided one field. */
export const FieldDecision = z.object({
  field: z.string(),
  value: z.unknown(),
  /** The profile whose value won. */
  from: z.string(),
  rule: z.enum(["latest_write", "only_value", "non_empty", "union"]),
});

export const ChangelogEntry = z.object({
  id: z.string(),
  at: Timestamp,
  kind: z.enum(["created", "updated", "merged", "identifier_added", "identifier_removed", "identifier_moved", "identifier_dropped"]),
  /** The touchpoint: `api`, `tracking` … */
  source: z.string(),
  /** The key that made the change. */
  initiator: z.nullable(z.string()),
  /** Fields written, with their new values. */
  changes: z.optional(z.record(z.string(), z.unknown())),
  merge: z.optional(
    z.object({
      absorbed: z.string(),
      rule: z.string(),
      decisions: z.array(FieldDecision),
    }),
  ),
  identifier: z.optional(z.object({ type: z.string(), value: z.string() })),
  /** For `identifier_moved`: the profile the identifier left and the one it went to (on both profiles' entries). */
  from: z.optional(z.string()),
  to: z.optional(z.string()),
  rule: z.optional(z.string()),
  /**
   * Why a written value went where it did, by field: a tracked trait that names a defined property
   * but does not fit it is kept under `traits` (`"traits.age": "not properties.age: must be a number"`).
   */
  notes: z.optional(z.record(z.string(), z.string())),
  /** The profile the entry was written on: the customer asked for, or an id merged into it (an entry from before that merge). */
  customerId: z.optional(z.string()),
});
export type ChangelogEntry = z.infer<typeof ChangelogEntry>;

export const TimelineWeek = z.object({
  /** The UTC ISO week, `2026-W44`. */
  week: z.string(),
  /** Events per category this week; every week names the same categories (those of the 52 weeks), 0 where it had none. */
  counts: z.record(z.string(), z.number()),
});
export const Timeline = z.object({ data: z.array(TimelineWeek) });
export const PurchasesQuery = z.strictObject({ period: z.optional(z.enum(["month", "year"])) });
export const PurchaseBucket = z.object({
  period: z.string(),
  orders: z.number(),
  items: z.number(),
  /** Per currency, a decimal string summed exactly. */
  revenue: z.record(z.string(), z.string()),
});
export const Purchases = z.object({ data: z.array(PurchaseBucket) });
