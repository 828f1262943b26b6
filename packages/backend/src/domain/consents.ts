import {
  type ApiIssue,
  type ConsentHistoryQuery,
  type ConsentModeType,
  type ConsentRecord,
  type ConsentRecordCreate,
  type ConsentState,
  consentModeTypes,
  type Purpose,
  type PurposeDefine,
} from "@cdp/contract";
import type { ConsentRecordRecord, CustomerRecord } from "../store/records.js";
import { recordChange } from "./changelog.js";
import type { Domain, Scope } from "./context.js";
import { now } from "./context.js";
import { cursorList, decodeCursor, encodeCursor, profileIds } from "./cursor.js";
import { DomainError } from "./errors.js";

/** How far a `collectedAt` may lie before the backend's clock without `historicalImport` (clock skew). */
export const consentClockSkewMs = 5 * 60_000;

/** The purposes every workspace has (DESIGN §3), with their Consent Mode v2 and IAB TCF v2 mappings. */
const builtInPurposes: readonly Purpose[] = [
  {
    id: "marketing",
    name: "Marketing",
    description: "Advertising and marketing messages, personalised ads.",
    builtIn: true,
    consentMode: ["ad_storage", "ad_user_data", "ad_personalization"],
    tcfPurposes: [1, 2, 3, 4, 7],
    createdAt: null,
  },
  {
    id: "profiling",
    name: "Profiling and analytics",
    description: "Measuring use and building a profile of interests; what trackers need by default.",
    builtIn: true,
    consentMode: ["analytics_storage"],
    tcfPurposes: [1, 5, 6, 8, 9],
    createdAt: null,
  },
  {
    id: "softSpam",
    name: "Soft opt-in",
    description: "Messages about similar products to existing customers (soft spam, ePrivacy art. 13(2)).",
    builtIn: true,
    consentMode: [],
    tcfPurposes: [],
    createdAt: null,
  },
  {
    id: "thirdPartyTransfer",
    name: "Transfer to third parties",
    description: "Sharing personal data with partners.",
    builtIn: true,
    consentMode: ["ad_user_data"],
    tcfPurposes: [],
    createdAt: null,
  },
];

/** The built-in purposes and the workspace's own. */
export function listPurposes(domain: Domain, workspaceId: string): Purpose[] {
  const own = domain.store
    .listPurposes(workspaceId)
    .map(({ workspaceId: _, ...purpose }) => purpose)
    .sort((a, b) => (a.id < b.id ? -1 : 1));
  return [...builtInPurposes.map(copyPurpose), ...own.map(copyPurpose)];
}

export function definePurpose(domain: Domain, scope: Scope, input: PurposeDefine): Purpose {
  if (findPurpose(domain, scope.workspaceId, input.id)) {
    throw new DomainError("already_exists", `The purpose ${input.id} exists already.`, [{ path: "body.id", message: "is taken" }]);
  }
  const purpose: Purpose = {
    id: input.id,
    name: input.name,
    description: input.description ?? null,
    builtIn: false,
    consentMode: [...new Set(input.consentMode ?? [])],
    tcfPurposes: [...new Set(input.tcfPurposes ?? [])].sort((a, b) => a - b),
    createdAt: now(domain),
  };
  domain.store.putPurpose({ ...purpose, workspaceId: scope.workspaceId });
  return copyPurpose(purpose);
}

export function findPurpose(domain: Domain, workspaceId: string, id: string): Purpose | undefined {
  return (
    builtInPurposes.find((purpose) => purpose.id === id) ?? domain.store.listPurposes(workspaceId).find((purpose) => purpose.id === id)
  );
}

/** The state derived from a customer's log: per purpose the latest decision (by collectedAt), denied while an objection stands. */
export function consentState(domain: Domain, workspaceId: string, customer: CustomerRecord): ConsentState {
  const log = byCollection(domain.store.listConsents(workspaceId, customer.id));
  const purposes = listPurposes(domain, workspaceId);
  const states = purposes.map((purpose) => {
    const decision = latest(log, (record) => record.kind === "decision" && record.purpose === purpose.id);
    const objection = latest(log, (record) => record.kind === "objection" && record.purpose === purpose.id);
    const objected = objection?.active === true;
    return {
      purpose: purpose.id,
      state: objected ? ("denied" as const) : (decision?.decision ?? ("unknown" as const)),
      decision: decision?.decision ?? null,
      objection: objected,
      collectedAt: decision?.collectedAt ?? null,
      source: decision?.source ?? null,
      disclaimerVersion: decision?.disclaimer?.version ?? null,
    };
  });
  const consentMode: Record<string, "granted" | "denied"> = {};
  for (const type of consentModeTypes) {
    const mapped = purposes.filter((purpose) => purpose.consentMode.includes(type as ConsentModeType));
    const granted =
      mapped.length > 0 && mapped.every((purpose) => states.find((state) => state.purpose === purpose.id)?.state === "granted");
    consentMode[type] = granted ? "granted" : "denied";
  }
  const limitation = latest(log, (record) => record.kind === "limitation");
  return {
    customerId: customer.id,
    purposes: states,
    limitation: limitation?.active === true,
    consentMode,
    updatedAt: log[log.length - 1]?.collectedAt ?? null,
  };
}

/**
 * Appends a record to the customer's consent log. A limitation is a dpo's alone and sets the
 * profile's `restricted`; an objection to marketing ends every marketing subscription. While the
 * profile is restricted, only a dpo appends anything but a withdrawal (a denial, an objection).
 */
export function recordConsent(
  domain: Domain,
  scope: Scope,
  customer: CustomerRecord,
  input: ConsentRecordCreate,
  effects: { objectToMarketing: (customerId: string) => void },
): ConsentRecord {
  const isDpo = scope.actor.role === "dpo";
  if (input.kind === "limitation" && !isDpo) {
    throw new DomainError("forbidden", "Only a dpo records a limitation of processing (GDPR art. 18).", [
      { path: "body.kind", message: "limitation needs the dpo role" },
    ]);
  }
  const withdraws =
    (input.kind !== "limitation" && "decision" in input && input.decision === "denied") || (input.kind === "objection" && input.active);
  if (customer.restricted && !isDpo && !withdraws) {
    throw new DomainError(
      "processing_restricted",
      "The profile's processing is restricted (GDPR art. 18): only a dpo records anything but a denial or an objection.",
    );
  }
  if (input.kind !== "limitation" && !findPurpose(domain, scope.workspaceId, input.purpose)) {
    throw new DomainError("unknown_purpose", `${input.purpose} is not a consent purpose of the workspace.`, [
      { path: "body.purpose", message: "is not a defined purpose" },
    ]);
  }
  const recordedAt = now(domain);
  const collectedAt = checkCollectedAt(input.collectedAt, input.historicalImport === true, recordedAt);
  const record = appendConsent(domain, scope, customer.id, {
    kind: input.kind ?? "decision",
    purpose: input.kind === "limitation" ? null : input.purpose,
    decision: input.kind === undefined || input.kind === "decision" ? input.decision : null,
    active: input.kind === "limitation" || input.kind === "objection" ? input.active : null,
    disclaimer: input.disclaimer ? { version: input.disclaimer.version, approvedAt: input.disclaimer.approvedAt } : null,
    source: input.source ?? scope.source,
    collectedAt,
    historicalImport: input.historicalImport === true,
    proof: input.proof ? { ...input.proof } : null,
    tcfString: input.tcfString ?? null,
    recordedBy: scope.actor.keyId,
  });
  if (input.kind === "limitation") setRestricted(domain, scope, customer.id, input.active);
  if (input.kind === "objection" && input.active && input.purpose === "marketing") effects.objectToMarketing(customer.id);
  return record;
}

/** A dpo's restrict or unrestrict: a limitation record, and the profile's `restricted` follows it. */
export function recordLimitation(domain: Domain, scope: Scope, customerId: string, active: boolean): void {
  appendConsent(domain, scope, customerId, {
    kind: "limitation",
    purpose: null,
    decision: null,
    active,
    disclaimer: null,
    source: scope.source,
    collectedAt: now(domain),
    historicalImport: false,
    proof: null,
    tcfString: null,
    recordedBy: scope.actor.keyId,
  });
  setRestricted(domain, scope, customerId, active);
}

/**
 * Consent as tracking carries it (`context.consent.categoryPreferences`, Segment's shape): per
 * purpose the workspace knows, true → granted, false → denied; a record is appended only when the
 * purpose's decision changes. Unknown keys are ignored.
 */
export function recordTrackedConsent(domain: Domain, scope: Scope, customerId: string, preferences: Record<string, unknown>): string[] {
  // Sorted once: a message names each purpose once, so what it appends never changes another's latest.
  const log = byCollection(domain.store.listConsents(scope.workspaceId, customerId));
  const at = now(domain);
  const appended: string[] = [];
  for (const [purpose, value] of Object.entries(preferences)) {
    if (typeof value !== "boolean" || !findPurpose(domain, scope.workspaceId, purpose)) continue;
    const decision = value ? "granted" : "denied";
    const current = latest(log, (record) => record.kind === "decision" && record.purpose === purpose);
    if (current?.decision === decision) continue;
    appended.push(purpose);
    appendConsent(domain, scope, customerId, {
      kind: "decision",
      purpose,
      decision,
      active: null,
      disclaimer: null,
      source: scope.source,
      collectedAt: at,
      historicalImport: false,
      proof: null,
      tcfString: null,
      // A tracking message, not a key's API call, recorded it.
      recordedBy: null,
    });
  }
  return appended;
}

/** The customer's consent log, newest first, by cursor. */
export function consentHistory(domain: Domain, scope: Scope, customer: CustomerRecord, query: ConsentHistoryQuery) {
  const limit = Number(query.limit ?? 50);
  const list = cursorList("consents", { workspace: scope.workspaceId, purpose: query.purpose });
  const beforeId = query.cursor === undefined ? undefined : decodeCursor(query.cursor, list, { owners: profileIds(customer) }).id;
  const records = domain.store
    .listConsents(scope.workspaceId, customer.id)
    .filter(
      (record) => (query.purpose === undefined || record.purpose === query.purpose) && (beforeId === undefined || record.id < beforeId),
    )
    .sort((a, b) => (a.id < b.id ? 1 : -1));
  const data = records.slice(0, limit).map(toConsentRecord);
  const last = data[data.length - 1];
  return {
    data,
    nextCursor: records.length > limit && last ? encodeCursor(list, { value: null, id: last.id, owner: customer.id }) : null,
  };
}

/** Every record of the customer's log, oldest first (exports). */
export function consentLog(domain: Domain, workspaceId: string, customerId: string): ConsentRecord[] {
  return domain.store.listConsents(workspaceId, customerId).map(toConsentRecord);
}

/** Whether the customer's latest objection to a purpose stands (GDPR art. 21). */
export function objects(domain: Domain, workspaceId: string, customerId: string, purpose: string): boolean {
  const log = byCollection(domain.store.listConsents(workspaceId, customerId));
  return latest(log, (record) => record.kind === "objection" && record.purpose === purpose)?.active === true;
}

/** After a merge: the survivor's `restricted` mirrors the latest limitation of the united log. */
export function restrictedAfterMerge(domain: Domain, workspaceId: string, customerId: string): boolean | undefined {
  const limitation = latest(byCollection(domain.store.listConsents(workspaceId, customerId)), (record) => record.kind === "limitation");
  return limitation?.active ?? undefined;
}

function appendConsent(
  domain: Domain,
  scope: Scope,
  customerId: string,
  fields: Omit<ConsentRecord, "id" | "customerId" | "recordedOn" | "recordedAt">,
): ConsentRecord {
  const record: ConsentRecordRecord = {
    id: domain.ids.id("consent"),
    customerId,
    recordedOn: customerId,
    ...fields,
    recordedAt: now(domain),
    workspaceId: scope.workspaceId,
  };
  domain.store.appendConsent(record);
  return toConsentRecord(record);
}

function setRestricted(domain: Domain, scope: Scope, customerId: string, restricted: boolean): void {
  const customer = domain.store.getCustomer(scope.workspaceId, customerId);
  if (!customer || customer.restricted === restricted) return;
  domain.store.putCustomer({ ...customer, restricted, updatedAt: now(domain) });
  recordChange(domain, scope, customerId, { kind: "updated", changes: { restricted } });
}

function checkCollectedAt(collectedAt: string | undefined, historicalImport: boolean, recordedAt: string): string {
  if (collectedAt === undefined) return recordedAt;
  const at = Date.parse(collectedAt);
  const nowMs = Date.parse(recordedAt);
  const issues: ApiIssue[] = [{ path: "body.collectedAt", message: "" }];
  if (at > nowMs + consentClockSkewMs) {
    throw new DomainError("validation_failed", "collectedAt lies in the future.", [
      { path: "body.collectedAt", message: "is in the future" },
    ]);
  }
  if (at < nowMs - consentClockSkewMs && !historicalImport) {
    (issues[0] as ApiIssue).message = "is in the past; send historicalImport: true to record a past decision";
    throw new DomainError("backdated_consent", undefined, issues);
  }
  return new Date(at).toISOString();
}

/** Records in the order they were collected (then made): what "latest" means. */
function byCollection(log: ConsentRecordRecord[]): ConsentRecordRecord[] {
  return [...log].sort((a, b) => (a.collectedAt === b.collectedAt ? (a.id < b.id ? -1 : 1) : a.collectedAt < b.collectedAt ? -1 : 1));
}

function latest(log: ConsentRecordRecord[], test: (record: ConsentRecordRecord) => boolean): ConsentRecordRecord | undefined {
  for (let i = log.length - 1; i >= 0; i--) if (test(log[i] as ConsentRecordRecord)) return log[i];
  return undefined;
}

function toConsentRecord(record: ConsentRecordRecord): ConsentRecord {
  const { workspaceId: _, ...rest } = record;
  return {
    ...rest,
    disclaimer: rest.disclaimer ? { ...rest.disclaimer } : null,
    proof: rest.proof ? { ...rest.proof } : null,
  };
}

function copyPurpose(purpose: Purpose): Purpose {
  const { id, name, description, builtIn, consentMode, tcfPurposes, createdAt } = purpose;
  return { id, name, description, builtIn, consentMode: [...consentMode], tcfPurposes: [...tcfPurposes], createdAt };
}
