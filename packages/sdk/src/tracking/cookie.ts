/**
 * The first-party cookie that holds a browser's anonymous id. `@cdp/browser` writes it; the
 * server middleware of `@cdp/node` reads it, so server events join the browser's profile.
 */
export const anonymousIdCookie = "cdp_anonymous_id";

/**
 * The anonymous id in a `Cookie` header, or `undefined`. The value is URL-decoded; quotes around it
 * (as some tools write JSON strings) are taken off.
 *
 * ```ts
 * readAnonymousId("theme=dark; cdp_anonymous_id=2f1c…"); // "2f1c…"
 * ```
 */
export function readAnonymousId(cookieHeader: string | null | undefined, name: string = anonymousIdCookie): string | undefined {
  if (!cookieHeader) return undefined;
  for (const part of cookieHeader.split(";")) {
    const equals = part.indexOf("=");
    if (equals === -1 || part.slice(0, equals).trim() !== name) continue;
    let value = part.slice(equals + 1).trim();
    try {
      value = decodeURIComponent(value);
    } catch {
      // a malformed escape: keep the raw value
    }
    if (value.length >= 2 && value.startsWith('"') && value.endsWith('"')) value = value.slice(1, -1);
    return value === "" ? undefined : value;
  }
  return undefined;
}
