import { defineRoute, type RouteDocs } from "../route.js";
import { IdParams } from "../schemas/common.js";
import { EraseBody, EraseSourceBody, ExportQuery, PrivacyRequestListQuery, RestrictBody } from "../schemas/privacy.js";

/** Privacy rights: access and portability, erasure, restriction, and the requests that record them. */
export const privacyRoutes = {
  "customers.export": defineRoute({
    name: "customers.export",
    method: "GET",
    path: "/customers/{id}/export",
    permission: "customers:export",
    params: IdParams,
    query: ExportQuery,
    status: 200,
    response: "CustomerExport",
    csv: true,
    audited: true,
  }),
  "customers.erase": defineRoute({
    name: "customers.erase",
    method: "POST",
    path: "/customers/{id}/erase",
    permission: "privacy:erase",
    params: IdParams,
    body: EraseBody,
    status: 200,
    response: "PrivacyRequest",
    audited: true,
  }),
  "customers.restrict": defineRoute({
    name: "customers.restrict",
    method: "POST",
    path: "/customers/{id}/restrict",
    permission: "privacy:restrict",
    params: IdParams,
    body: RestrictBody,
    bodyOptional: true,
    status: 200,
    response: "Customer",
    audited: true,
  }),
  "customers.unrestrict": defineRoute({
    name: "customers.unrestrict",
    method: "POST",
    path: "/customers/{id}/unrestrict",
    permission: "privacy:restrict",
    params: IdParams,
    body: RestrictBody,
    bodyOptional: true,
    status: 200,
    response: "Customer",
    audited: true,
  }),
  "privacy.eraseSource": defineRoute({
    name: "privacy.eraseSource",
    method: "POST",
    path: "/erasures",
    permission: "privacy:erase",
    body: EraseSourceBody,
    status: 200,
    response: "PrivacyRequest",
    audited: true,
  }),
} as const;

/** The organization's privacy requests (apart, so a page that only exports carries nothing of them). */
export const privacyRequestRoutes = {
  "privacyRequests.list": defineRoute({
    name: "privacyRequests.list",
    scope: "organization",
    method: "GET",
    path: "/privacy-requests",
    permission: "privacy:requests",
    query: PrivacyRequestListQuery,
    status: 200,
    response: "PrivacyRequestPage",
  }),
} as const;

/** What the docs and the OpenAPI document say of each route (kept apart so browser bundles skip it). */
export const privacyRouteDocs: RouteDocs<typeof privacyRoutes> = {
  "customers.export": {
    summary: "Export everything held about a customer (dpo, admin), as JSON or as one CSV row",
    description:
      "`format=json` (default): profile, identifiers with the ID changelog, events, consents with their history, subscriptions, changelog. `format=csv`: `text/csv`, one header row and one row (id, email, phone, names, address, properties, traits, tags, identifiers, createdAt, one column per consent purpose, consentDate). Recorded as an `access` privacy request. A restricted profile is exported to a dpo only.",
  },
  "customers.erase": {
    summary: "Erase a person in every workspace of the organization (dpo): the right to be forgotten",
    description:
      'Removes the profile and every profile in the organization\'s other workspaces that holds one of its identifiers, with their events, identity-index entries, subscriptions, consents and changelogs. Its identifiers are kept only as hashes, so later tracking messages for them are dropped (accepted, nothing re-created), and an event by identifiers or a create with `onConflict: "merge"` naming one is a 422 `identifier_erased` (a plain create, a new sign-up, may name them). The audit entry names a hash, never the id.',
  },
  "customers.restrict": {
    summary: "Restrict processing (GDPR art. 18; dpo): appends a limitation record",
    description:
      "While restricted, writes by any role but dpo are refused (403 `processing_restricted`), and the profile is left out of searches and exports for every role but dpo. So are its events: changing, duplicating or deleting one is the same 403, and event lists (`GET /v1/events`, by customer too) leave them out; `GET /v1/events/{id}` still reads one.",
  },
  "customers.unrestrict": { summary: "Lift a restriction (dpo): appends a limitation record with `active: false`" },
  "privacy.eraseSource": {
    summary: "Erase everything one source wrote in the workspace (dpo): a shop that left (Shopify's shop/redact)",
    description:
      "`source` is a plug-in's source, `<platform>:<name>` (`shopify:acme.myshopify.com`), as tracking messages name it in their `source` field. Removes every customer of the workspace whose identifiers this source added, all of them (with its merged ids, events, identity-index entries, subscriptions, consents and changelogs); from a customer that other sources gave identifiers too, only the identifiers this source added (ID changelog: `removed`; the fields it wrote stay); and every event this source recorded. So one message naming a shop's source (a write key is public) cannot get a profile that other sources built erased. Unlike a person's erasure, the identifiers are not blocked afterwards: the shop left, not the person. Recorded as an `erasure` privacy request whose subject is the source; answered once the erasure is complete.",
  },
};

export const privacyRequestRouteDocs: RouteDocs<typeof privacyRequestRoutes> = {
  "privacyRequests.list": { summary: "List the organization's privacy requests, newest first (dpo)" },
};
