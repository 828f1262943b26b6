import { type MessageType, sourceNamePattern } from "@cdp/contract";

/**
 * True only when a tracking message, as parsed from JSON, certainly matches its type's schema in
 * `@cdp/contract` (`trackingMessages`), whose output would then be the message itself, field for
 * field. False means "ask the schema": it has the last word and says what is wrong. Most messages
 * are plainly valid, and this costs a tenth of a schema parse; `test/batch-validation.test.ts` holds
 * it to the schemas.
 */
export function surelyMatchesSchema(type: MessageType, message: Record<string, unknown>): boolean {
  if (
    message.type !== type ||
    Object.getPrototypeOf(message) !== Object.prototype ||
    // The schemas leave a "__proto__" key out of their output (the HTTP layer refuses one anyway).
    Object.hasOwn(message, "__proto__") ||
    !optionalString(message.messageId, 1, 200) ||
    !optionalTime(message.timestamp) ||
    !optionalTime(message.sentAt) ||
    !optionalTime(message.originalTimestamp) ||
    !optionalRecord(message.context) ||
    !optionalRecord(message.integrations) ||
    !(message.writeKey === undefined || typeof message.writeKey === "string") ||
    !optionalSource(message.source) ||
    !optionalId(message.anonymousId)
  ) {
    return false;
  }
  switch (type) {
    case "track":
      return (
        optionalId(message.userId) &&
        typeof message.event === "string" &&
        message.event.length >= 1 &&
        message.event.length <= 200 &&
        optionalRecord(message.properties) &&
        hasAnId(message)
      );
    case "page":
      return (
        optionalId(message.userId) &&
        optionalName(message.name) &&
        optionalName(message.category) &&
        optionalRecord(message.properties) &&
        hasAnId(message)
      );
    case "screen":
      return optionalId(message.userId) && optionalName(message.name) && optionalRecord(message.properties) && hasAnId(message);
    case "identify":
      return optionalId(message.userId) && optionalRecord(message.traits) && hasAnId(message);
    case "group":
      return optionalId(message.userId) && isId(message.groupId) && optionalRecord(message.traits) && hasAnId(message);
    case "alias":
      return isId(message.userId) && isId(message.previousId);
    default:
      return false;
  }
}

/** `TrackingId`: a string of at most 512 characters, or a finite number. */
function isId(value: unknown): boolean {
  return (typeof value === "string" && value.length <= 512) || (typeof value === "number" && Number.isFinite(value));
}

function optionalId(value: unknown): boolean {
  return value === undefined || value === null || isId(value);
}

function optionalString(value: unknown, min: number, max: number): boolean {
  return value === undefined || (typeof value === "string" && value.length >= min && value.length <= max);
}

/** `SourceName`: a plug-in's `<platform>:<name>`, at most 200 characters. */
function optionalSource(value: unknown): boolean {
  return value === undefined || (typeof value === "string" && value.length <= 200 && sourceNamePattern.test(value));
}

function optionalTime(value: unknown): boolean {
  return value === undefined || (typeof value === "string" && value.length <= 64);
}

function optionalName(value: unknown): boolean {
  return value === undefined || value === null || (typeof value === "string" && value.length <= 500);
}

/** `JsonObject`: a plain object, any keys (a "__proto__" one is left out of the schema's output). */
function optionalRecord(value: unknown): boolean {
  if (value === undefined) return true;
  if (typeof value !== "object" || value === null || Array.isArray(value) || Object.getPrototypeOf(value) !== Object.prototype)
    return false;
  return !Object.hasOwn(value, "__proto__");
}

/** The schemas' `needsAnId`: a userId or an anonymousId that is neither null nor empty. */
function hasAnId(message: Record<string, unknown>): boolean {
  const present = (value: unknown) => value !== undefined && value !== null && value !== "";
  return present(message.userId) || present(message.anonymousId);
}
