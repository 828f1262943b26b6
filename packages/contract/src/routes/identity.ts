import * as z from "zod/mini";
import { defineRoute, type RouteDocs } from "../route.js";
import { Cursor, IdParams, Limit } from "../schemas/common.js";
import { CustomerMerge, IdentityResolve, PurchasesQuery } from "../schemas/identity.js";
import { SettingsUpdate } from "../schemas/settings.js";

export const identityRoutes = {
  "identity.resolve": defineRoute({
    name: "identity.resolve",
    method: "POST",
    path: "/identity/resolve",
    permission: "customers:read",
    body: IdentityResolve,
    status: 200,
    response: "IdentityResolved",
  }),
  "customers.merge": defineRoute({
    name: "customers.merge",
    method: "POST",
    path: "/customers/merge",
    permission: "customers:merge",
    body: CustomerMerge,
    status: 200,
    response: "CustomerMerged",
    audited: true,
  }),
  "customers.identities": defineRoute({
    name: "customers.identities",
    method: "GET",
    path: "/customers/{id}/identities",
    permission: "customers:read",
    params: IdParams,
    status: 200,
    response: "CustomerIdentities",
  }),
  "customers.changelog": defineRoute({
    name: "customers.changelog",
    method: "GET",
    path: "/customers/{id}/changelog",
    permission: "customers:read",
    params: IdParams,
    query: z.strictObject({ limit: z.optional(Limit), cursor: z.optional(Cursor) }),
    status: 200,
    response: "ChangelogPage",
  }),
  "customers.timeline": defineRoute({
    name: "customers.timeline",
    method: "GET",
    path: "/customers/{id}/timeline",
    permission: "events:read",
    params: IdParams,
    status: 200,
    response: "Timeline",
  }),
  "customers.purchases": defineRoute({
    name: "customers.purchases",
    method: "GET",
    path: "/customers/{id}/purchases",
    permission: "events:read",
    params: IdParams,
    query: PurchasesQuery,
    status: 200,
    response: "Purchases",
  }),
} as const;

/** What the docs and the OpenAPI document say of each route (kept apart so browser bundles skip it). */
export const identityRouteDocs: RouteDocs<typeof identityRoutes> = {
  "identity.resolve": {
    summary: "Find the profile a set of identifiers resolves to, writing nothing",
    description:
      "The identifiers are read as a write reads them: normalised (an email trimmed and lower-cased, a phone to E.164), and an invalid email or phone is a 400 `validation_failed` at `body.identifiers.<index>.value`, as on `POST /v1/events`. A blocked value (the built-in list or the workspace's) identifies no one: it matches nothing, and the others still resolve. Identifiers held by several profiles answer the oldest, the one a write would merge them into; `null` when none holds any. Held by more than 50 profiles, they answer the 422 `identifier_limit` (at `body.identifiers`) that a write with them would get: no write could join them, so no profile answers for them.",
  },
  "customers.merge": {
    summary: "Merge profiles into one (admin)",
    description:
      "The `from` profiles become `merged` into `into`; fields follow the latest write, tags unite, events move. Refused (422 `identifier_limit`) when the result would break an identifier limit, unless `force: true`. An old (merged) id acts on its survivor: as `into`, the survivor receives; in `from`, its survivor is merged (and listed in `merged`), or, when that survivor is already `into`'s, nothing is done and the id is listed in `alreadyMerged` (so repeating a merge answers 200). A `from` entry naming `into` itself, or repeating an earlier entry, is refused with 400 `validation_failed` at `body.from.<index>`; an id that never existed (or was deleted) answers 404 naming its place. A restricted profile among them is merged by a dpo only: for any other caller, 403 `processing_restricted` with an issue at the place of each restricted one (`body.into`, `body.from.<index>`), and nothing is merged.",
  },
  "customers.identities": {
    summary: "A customer's aliases, identifiers and their ID changelog (added, moved, removed, dropped)",
    description:
      "`aliases`: the ids of the profiles merged into this one, directly or through an earlier merge; each still acts on it. `changelog` holds the lines of those merged profiles too (their identifiers' history before the merge), oldest first; each line's `customerId` names the profile it was written on.",
  },
  "customers.changelog": {
    summary: "Every change to a customer, merges included, newest first",
    description:
      "Holds the entries of every profile merged into this one too (their history before the merge), in one sequence newest first that the cursor pages; each entry's `customerId` names the profile it was written on. An old (merged) id answers its survivor's changelog.",
  },
  "customers.timeline": {
    summary: "Events per category for each of the last 52 ISO weeks (UTC), oldest first",
    description:
      "`data` holds 52 weeks (`{ week: \"2026-W44\", counts }`), the current week last, keyed by each event's `timestamp`. Every week's `counts` names the same categories, sorted: each category the profile has an event in within those 52 weeks, with 0 in a week that had none, so that a chart's series line up. A profile with no event in the 52 weeks has `counts: {}` in every week.",
  },
  "customers.purchases": {
    summary: "Orders, items and revenue per month (12) or year (5)",
    description:
      "From Order Completed, net of Order Refunded and zero once Order Cancelled (never below zero; a refund and a cancellation are not taken twice); revenue per currency as exact decimal strings, any number of decimals kept (at least two shown). An order's amount is its `total`, else its `revenue` (a JSON number or a decimal string); one order id counts once (a second Order Completed of it is a replay); an Order Completed without `order_id` / `orderId` is an order of its own. A refund takes its size (`-50` refunds 50), or the whole order when it names no amount; a refund in another `currency` than its order's is not taken from it. `currency` is trimmed and upper-cased; missing, it is `USD` (Segment's default); not three letters, the order counts under `XXX` (ISO 4217: no currency). Items: each product's `quantity` (a whole number, or its digits as text), 0 for a quantity of 0 or below, 1 for a product with none or a fraction (2.5 kg).",
  },
};

/** The workspace's settings: identity rules and what unknown event types do. */
export const settingsRoutes = {
  "settings.get": defineRoute({
    name: "settings.get",
    method: "GET",
    path: "/settings",
    permission: "schema:read",
    status: 200,
    response: "Settings",
  }),
  "settings.update": defineRoute({
    name: "settings.update",
    method: "PATCH",
    path: "/settings",
    permission: "settings:write",
    body: SettingsUpdate,
    status: 200,
    response: "Settings",
    audited: true,
  }),
} as const;

export const settingsRouteDocs: RouteDocs<typeof settingsRoutes> = {
  "settings.get": { summary: "The workspace's settings: identity rules and what unknown event types do" },
  "settings.update": {
    summary: "Change the workspace's settings (JSON merge patch)",
    description:
      "A JSON merge patch (RFC 7396) of `Settings`: objects merge member by member (`{ identity: { types: { email: { limit: 3 } } } }` changes only email's limit), arrays such as `blockedValues` replace, and `null` removes a member, which falls back to its default: a built-in type to its default rule, one field of a rule to that field's default, a custom type's rule is removed (values already held stay, under the custom-type default: unique, limit 5, priority 5), `blockedValues` to none, `unknownEventTypes` to `custom`. A type not in the settings starts from the custom-type default. Built-in types stay unique. An unknown member, a limit or priority that is not a whole number in range, or a built-in type made non-unique is a 400 `validation_failed` naming the field (`body.identity.types.email.limit`), and nothing changes. A rule for a new custom type that would make the workspace know more than 50 of its own (counted after the patch: one patch may swap a rule for another) is a 422 `identifier_types_exhausted` at `body.identity.types.<type>`. A new rule applies from the next write: a limit lowered below what a profile holds removes nothing (that profile takes no further value of the type until it is under the limit), and a type made unique again keeps a value several profiles hold on each of them (the oldest holder is the one matched). Answers the whole settings.",
  },
};
