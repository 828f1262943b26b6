import {
  builtInIdentifierTypes,
  type IdentifierTypeSettings,
  maxCustomIdentifierTypes,
  type Settings,
  type SettingsUpdate,
} from "@cdp/contract";
import type { Domain } from "./context.js";
import { DomainError } from "./errors.js";
import { isPlainObject, mergePatch, setOwn } from "./patch.js";

/** DESIGN.md §4 defaults (lower priority number wins; the highest is dropped first). */
const builtInRules: Readonly<Record<string, IdentifierTypeSettings>> = {
  userId: { unique: true, limit: 1, priority: 1 },
  email: { unique: true, limit: 5, priority: 2 },
  phone: { unique: true, limit: 5, priority: 3 },
  loyaltyCard: { unique: true, limit: 5, priority: 4 },
  pushToken: { unique: true, limit: 10, priority: 6 },
  deviceId: { unique: true, limit: 100, priority: 7 },
  anonymousId: { unique: true, limit: 100, priority: 8 },
};

/** A custom unique-id type nobody configured. */
export const customTypeRule: IdentifierTypeSettings = { unique: true, limit: 5, priority: 5 };

export function defaultSettings(): Settings {
  return { identity: { types: { ...builtInRules }, blockedValues: [] }, unknownEventTypes: "custom" };
}

/** What a workspace that never changed its settings has; shared and frozen (read on every tracking message). */
const unchangedSettings: Settings = deepFreeze(defaultSettings());

export function getSettings(domain: Domain, workspaceId: string): Settings {
  return domain.store.getSettings(workspaceId) ?? unchangedSettings;
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === "object") {
    for (const item of Object.values(value)) deepFreeze(item);
    Object.freeze(value);
  }
  return value;
}

/**
 * Applies a JSON merge patch (RFC 7396) to the workspace's settings and answers them in full. What
 * the patch removes (null) falls back to its default, and a type the settings lack starts from the
 * custom-type default: see `SettingsUpdate`. Identifiers already held of a type whose rule is
 * removed stay where they are, under the custom-type default rule.
 */
export function updateSettings(domain: Domain, workspaceId: string, patch: SettingsUpdate): Settings {
  const previous = getSettings(domain, workspaceId);
  const next = withDefaults(mergePatch(previous, patch));
  // Counted after the patch: one that removes a rule and adds another swaps them, at the cap too.
  const known = customIdentifierTypes(domain, workspaceId, previous);
  const after = customIdentifierTypes(domain, workspaceId, next);
  const added = [...after].filter((type) => !known.has(type));
  if (added.length > 0 && after.size > maxCustomIdentifierTypes) {
    throw typesExhausted(
      known.size,
      added.map((type) => ({ type, path: `body.identity.types.${type}` })),
    );
  }
  domain.store.putSettings(workspaceId, next);
  return next;
}

/** Fills in what a merged document lacks with its default; a rule field by field. */
function withDefaults(merged: unknown): Settings {
  const document = isPlainObject(merged) ? merged : {};
  const identity = isPlainObject(document.identity) ? document.identity : {};
  const patched = isPlainObject(identity.types) ? identity.types : {};
  const types: Record<string, IdentifierTypeSettings> = {};
  for (const [type, rule] of Object.entries(builtInRules)) setOwn(types, type, rule);
  for (const [type, rule] of Object.entries(patched)) {
    const base = Object.hasOwn(builtInRules, type) ? (builtInRules[type] as IdentifierTypeSettings) : customTypeRule;
    setOwn(types, type, { ...base, ...(rule as Partial<IdentifierTypeSettings>) });
  }
  return {
    identity: { types, blockedValues: (identity.blockedValues as string[] | undefined) ?? [] },
    unknownEventTypes: (document.unknownEventTypes as Settings["unknownEventTypes"] | undefined) ?? unchangedSettings.unknownEventTypes,
  };
}

/** The rule of one identifier type in a workspace's settings. */
export function ruleOf(settings: Settings, type: string): IdentifierTypeSettings {
  return Object.hasOwn(settings.identity.types, type) ? (settings.identity.types[type] as IdentifierTypeSettings) : customTypeRule;
}

const builtInTypes: ReadonlySet<string> = new Set(builtInIdentifierTypes);

/** The workspace's own identifier types: those some live profile holds and those given a rule. */
function customIdentifierTypes(domain: Domain, workspaceId: string, settings: Settings): Set<string> {
  const known = new Set<string>();
  for (const type of domain.store.identifierTypes(workspaceId)) if (!builtInTypes.has(type)) known.add(type);
  for (const type of Object.keys(settings.identity.types)) if (!builtInTypes.has(type)) known.add(type);
  return known;
}

/**
 * A write may bring a custom identifier type the workspace has not seen only while it knows fewer
 * than `maxCustomIdentifierTypes`: else 422 `identifier_types_exhausted`, one issue per new type at
 * its place (`pathOf(index)`), and nothing changes. Built-in and declared types cost a lookup; the
 * count is taken only for a type not in the settings.
 */
export function assertRoomForTypes(
  domain: Domain,
  workspaceId: string,
  settings: Settings,
  identifiers: ReadonlyArray<{ type: string }>,
  pathOf: (index: number) => string,
): void {
  let known: Set<string> | undefined;
  const fresh: Array<{ type: string; path: string }> = [];
  for (const [index, { type }] of identifiers.entries()) {
    if (builtInTypes.has(type) || Object.hasOwn(settings.identity.types, type) || fresh.some((one) => one.type === type)) continue;
    known ??= customIdentifierTypes(domain, workspaceId, settings);
    if (!known.has(type)) fresh.push({ type, path: pathOf(index) });
  }
  const held = known?.size ?? 0;
  if (fresh.length > 0 && held + fresh.length > maxCustomIdentifierTypes) throw typesExhausted(held, fresh);
}

function typesExhausted(known: number, fresh: ReadonlyArray<{ type: string; path: string }>): DomainError {
  return new DomainError(
    "identifier_types_exhausted",
    `A workspace may know at most ${maxCustomIdentifierTypes} identifier types of its own; it knows ${known}.`,
    fresh.map(({ type, path }) => ({
      path,
      message: `a new identifier type (${type}), past the ${maxCustomIdentifierTypes} a workspace may know`,
    })),
  );
}
