import * as z from "zod/mini";
import { Identifier, IdentifierType } from "../identifiers.js";
import { defineRoute, type RouteDocs } from "../route.js";
import { Fields, IdParam, IdParams, ReasonBody } from "../schemas/common.js";
import { BulkDelete, CustomerCreate, CustomerUpdate, IdentifierAdd, LookupQuery } from "../schemas/customer.js";
import { CustomerListQuery, CustomerSearch } from "../schemas/search.js";

const GetQuery = z.strictObject({ fields: z.optional(Fields) });

export const customerRoutes = {
  "customers.create": defineRoute({
    name: "customers.create",
    method: "POST",
    path: "/customers",
    permission: "customers:write",
    body: CustomerCreate,
    status: 201,
    otherStatus: {
      status: 200,
      when: 'with `onConflict: "merge"` when a profile already held an identifier: outcome `updated` or `merged`',
    },
    response: "CustomerCreated",
    audited: true,
  }),
  "customers.list": defineRoute({
    name: "customers.list",
    method: "GET",
    path: "/customers",
    permission: "customers:read",
    query: CustomerListQuery,
    status: 200,
    response: "CustomerPage",
  }),
  "customers.search": defineRoute({
    name: "customers.search",
    method: "POST",
    path: "/customers/search",
    permission: "customers:read",
    body: CustomerSearch,
    status: 200,
    response: "CustomerPage",
  }),
  "customers.lookup": defineRoute({
    name: "customers.lookup",
    method: "GET",
    path: "/customers/lookup",
    permission: "customers:read",
    query: LookupQuery,
    status: 200,
    response: "Customer",
  }),
  "customers.bulkDelete": defineRoute({
    name: "customers.bulkDelete",
    method: "POST",
    path: "/customers/bulk-delete",
    permission: "customers:delete",
    body: BulkDelete,
    status: 200,
    response: "BulkDeleted",
    audited: true,
  }),
  "customers.get": defineRoute({
    name: "customers.get",
    method: "GET",
    path: "/customers/{id}",
    permission: "customers:read",
    params: IdParams,
    query: GetQuery,
    status: 200,
    response: "CustomerProjection",
  }),
  "customers.update": defineRoute({
    name: "customers.update",
    method: "PATCH",
    path: "/customers/{id}",
    permission: "customers:write",
    params: IdParams,
    body: CustomerUpdate,
    status: 200,
    response: "Customer",
    audited: true,
  }),
  "customers.delete": defineRoute({
    name: "customers.delete",
    method: "DELETE",
    path: "/customers/{id}",
    permission: "customers:delete",
    params: IdParams,
    body: ReasonBody,
    status: 200,
    response: "CustomerDeleted",
    audited: true,
  }),
  "customers.addIdentifier": defineRoute({
    name: "customers.addIdentifier",
    method: "POST",
    path: "/customers/{id}/identifiers",
    permission: "customers:write",
    params: IdParams,
    body: IdentifierAdd,
    status: 200,
    response: "Customer",
    audited: true,
  }),
  "customers.removeIdentifier": defineRoute({
    name: "customers.removeIdentifier",
    method: "DELETE",
    path: "/customers/{id}/identifiers/{type}/{value}",
    permission: "customers:write",
    params: z.strictObject({ id: IdParam, type: IdentifierType, value: Identifier.shape.value }),
    body: ReasonBody,
    status: 200,
    response: "Customer",
    audited: true,
  }),
} as const;

/** What the docs and the OpenAPI document say of each route (kept apart so browser bundles skip it). */
export const customerRouteDocs: RouteDocs<typeof customerRoutes> = {
  "customers.create": {
    summary: "Create a customer",
    description:
      '201 with outcome `created`. When an identifier belongs to another profile: 409 `identifier_conflict`, or with `onConflict: "merge"` 200 and that profile updated (outcome `updated`): an empty value (`""`, null, `{ city: "" }`: empty at any depth of a field, `address`, `properties` or `traits`) never overwrites a real one, values the profile holds already and tags it has are left out, and a sync with nothing new (only identifiers it holds, or only such values) writes nothing (no new `updatedAt`, no changelog entry); the `updated` entry lists only what changed. When taking every identifier would break a type\'s limit (a second `userId`), the sync drops the lowest-priority one and matches again (DESIGN §4): the answer\'s `dropped` names each identifier the profile did not take, its place and the rule (`[{ "path": "body.email", "type": "email", "value": "f@x.com", "rule": "userId limit 1" }]`), and the changelog has an `identifier_dropped` entry. A value of a type declared non-unique never conflicts and never merges: it is stored on the new profile whoever else holds it. A custom type that would be the workspace\'s 51st: 422 `identifier_types_exhausted` at `body.identifiers.N.type`.',
  },
  "customers.list": {
    summary: "List customers, with full-text search",
    description:
      "`q`: unquoted terms are AND-ed, case-insensitive token prefixes across names, emails, phones, ids and text properties; a quoted phrase equals a whole field value. A `q` that is exactly an old (merged) id, quoted or not, finds the live profile it merged into (once), as `GET /v1/customers/{oldId}` answers it.",
  },
  "customers.search": {
    summary: "Search customers by conditions",
    description:
      'Live profiles only, unless a condition names `status` or `mergedInto` (`{ field: "status", op: "eq", value: "merged" }`, `{ field: "mergedInto", op: "eq", value: "cus_…" }`) or names ids one by one (`{ field: "id", op: "eq" | "in", value }`): then merged profiles (aliases) match too, so an old id given to `id eq` / `id in` lists that alias itself. A `q` that is exactly an old id (with no such condition) finds its survivor instead, as in `GET /v1/customers`. An alias is a whole customer record, every field present: its `id`, `createdAt`, `updatedAt` (when it was merged), `status: "merged"`, `mergedInto` (the live survivor, kept current when that survivor merges in turn) and `restricted` (the survivor\'s); its data moved to the survivor, so the rest is empty: `firstName`, `lastName`, `birthDate`, `gender`, `locale`, `timeZone`, `email`, `phone`, `address`, `company` and `jobTitle` are `null`, `properties` and `traits` `{}`, `identifiers` and `tags` `[]`. A restricted survivor\'s aliases appear to a dpo only. Ids named with `id eq` / `id in` (under `all`, or in every branch of an `any`) are looked up, so such a search costs the same on any number of customers.',
  },
  "customers.lookup": {
    summary: "Find the customer holding an identifier",
    description:
      'The value is normalised first. 404 `not_found` when nobody holds it (a valid type name no one uses included). A `type` that is not an identifier type name (a lower-case letter, then letters, digits or `_`, at most 64) is a 400 `validation_failed` at `query.type`, as customer create answers for it. A type declared non-unique (`identity.types.<type>.unique: false` in the settings) identifies nobody: 422 `identifier_not_unique` (issue at `query.type`); find the customers sharing a value with `POST /v1/customers/search` and the condition `{ field: "identifiers.<type>", op: "eq", value }`. A value several customers still share from a time its type was non-unique answers the oldest of them.',
  },
  "customers.bulkDelete": {
    summary: "Delete up to 100 customers, all or nothing",
    description: "An old (merged) id deletes its survivor; each deleted customer's old ids go with it.",
  },
  "customers.get": {
    summary: "Get a customer (a merged id answers with the survivor)",
    description:
      "Given an old (merged) id, the answer is the survivor, whose `id` differs from the one asked. The survivor's `GET /customers/{id}/identities` lists its `aliases`; `POST /customers/search` with a condition on `status` or `mergedInto` finds the aliases themselves.",
  },
  "customers.update": {
    summary: "Update a customer (JSON merge patch)",
  },
  "customers.delete": {
    summary: "Delete a customer, irreversibly",
    description:
      "Its old (merged) ids go with it: afterwards they answer 404, and no search finds them. So does everything that was its alone: its events (the absorbed profiles' included), changelog, ID changelog, consents and subscriptions; the audit log keeps the delete and its reason. Unlike `POST /customers/{id}/erase`, it acts in this workspace only and keeps no hash of the identifiers: a later message or create with the same email starts a new profile. Bulk delete does the same for each id.",
  },
  "customers.addIdentifier": {
    summary: "Add an identifier to a customer",
    description:
      "The value is normalised first. 409 `identifier_conflict` when another live profile holds it, unless `move: true`, which takes it from there (from every profile holding it). A value of a type declared non-unique is added whoever else holds it: no 409, and `move` takes it from nobody. 422 `identifier_limit` past the type's limit; 422 `identifier_types_exhausted` for a custom type that would be the workspace's 51st.",
  },
  "customers.removeIdentifier": {
    summary: "Remove an identifier from a customer",
    description: "The value in the path is normalised like any identifier (URL-encode it). The reason goes in the body.",
  },
};
