import * as z from "zod/mini";
import { defineRoute, type RouteDocs } from "../route.js";
import { IdParam } from "../schemas/common.js";
import { ConsentHistoryQuery, ConsentRecordCreate, PurposeDefine } from "../schemas/consent.js";

const CustomerParams = z.strictObject({ id: IdParam });

/** Consent purposes and each customer's consent log. */
export const consentRoutes = {
  "purposes.list": defineRoute({
    name: "purposes.list",
    method: "GET",
    path: "/purposes",
    permission: "schema:read",
    status: 200,
    response: "PurposeList",
  }),
  "purposes.define": defineRoute({
    name: "purposes.define",
    method: "POST",
    path: "/purposes",
    permission: "schema:write",
    body: PurposeDefine,
    status: 201,
    response: "Purpose",
    audited: true,
  }),
  "consents.get": defineRoute({
    name: "consents.get",
    method: "GET",
    path: "/customers/{id}/consents",
    permission: "consents:read",
    params: CustomerParams,
    status: 200,
    response: "ConsentState",
  }),
  "consents.record": defineRoute({
    name: "consents.record",
    method: "POST",
    path: "/customers/{id}/consents",
    permission: "consents:write",
    params: CustomerParams,
    body: ConsentRecordCreate,
    status: 201,
    response: "ConsentRecord",
    audited: true,
  }),
  "consents.history": defineRoute({
    name: "consents.history",
    method: "GET",
    path: "/customers/{id}/consents/history",
    permission: "consents:history",
    params: CustomerParams,
    query: ConsentHistoryQuery,
    status: 200,
    response: "ConsentRecordPage",
  }),
} as const;

/** What the docs and the OpenAPI document say of each route (kept apart so browser bundles skip it). */
export const consentRouteDocs: RouteDocs<typeof consentRoutes> = {
  "purposes.list": {
    summary: "List the consent purposes: the built-in ones and the workspace's own, with their Consent Mode v2 and IAB TCF mappings",
  },
  "purposes.define": { summary: "Define a consent purpose (admin)" },
  "consents.get": {
    summary: "A customer's consent state, derived from the log",
    description:
      "Per purpose the latest decision (by `collectedAt`), `denied` while an objection stands; the limitation (GDPR art. 18); the Consent Mode v2 signals.",
  },
  "consents.record": {
    summary: "Append a consent record: a decision, a limitation (dpo only) or an objection",
    description:
      "The log is append-only. `collectedAt` defaults to now; an earlier time needs `historicalImport: true` (422 `backdated_consent`). An objection to marketing unsubscribes every marketing subscription (reason `objection`); a limitation restricts the profile.",
  },
  "consents.history": {
    summary: "A customer's consent records, newest first (dpo, admin)",
    description: "After a merge, the absorbed profile's records are here too (`recordedOn` names where each was recorded).",
  },
};
