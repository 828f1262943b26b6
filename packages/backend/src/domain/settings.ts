import { builtInIdentifierTypes, type IdentifierTypeSettings, type Settings, type SettingsUpdate } from "@cdp/contract";
import type { Domain } from "./context.js";

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

/** A merge patch of the settings; a type set to null goes back to its default (a custom type is removed). */
export function updateSettings(domain: Domain, workspaceId: string, patch: SettingsUpdate): Settings {
  const current = getSettings(domain, workspaceId);
  const types: Record<string, IdentifierTypeSettings> = { ...current.identity.types };
  for (const [type, rule] of Object.entries(patch.identity?.types ?? {})) {
    if (rule === null) {
      if ((builtInIdentifierTypes as readonly string[]).includes(type)) types[type] = builtInRules[type] as IdentifierTypeSettings;
      else delete types[type];
    } else {
      Object.defineProperty(types, type, { value: rule, enumerable: true, writable: true, configurable: true });
    }
  }
  const next: Settings = {
    identity: { types, blockedValues: patch.identity?.blockedValues ?? current.identity.blockedValues },
    unknownEventTypes: patch.unknownEventTypes ?? current.unknownEventTypes,
  };
  domain.store.putSettings(workspaceId, next);
  return next;
}

/** The rule of one identifier type in a workspace's settings. */
export function ruleOf(settings: Settings, type: string): IdentifierTypeSettings {
  return Object.hasOwn(settings.identity.types, type) ? (settings.identity.types[type] as IdentifierTypeSettings) : customTypeRule;
}
