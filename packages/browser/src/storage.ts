import { anonymousIdCookie, randomId } from "@cdp/sdk/tracking";

/** The localStorage keys and the cookie the browser tracker writes; nothing else is stored. */
export const storageKeys = {
  /** The anonymous id: a first-party cookie on the top-level domain, mirrored in localStorage under the same name. */
  anonymousId: anonymousIdCookie,
  /** The user id given to `identify()`. */
  userId: "cdp_user_id",
  /** The traits given to `identify()`, merged. */
  traits: "cdp_traits",
  /** The consent preferences (`{ "profiling": true }`), kept once granted, or when consent is not required. */
  consent: "cdp_consent",
  /** Messages not yet delivered: a JSON array. */
  queue: "cdp_queue",
} as const;

/** What `run` returns, or `undefined` when it throws: storage and cookies may be blocked (sandboxed frames, privacy settings, a full quota). */
export function attempt<T>(run: () => T): T | undefined {
  try {
    return run();
  } catch {
    return undefined;
  }
}

/** A localStorage value, `null` when absent or blocked. */
export const read = (key: string): string | null => attempt(() => localStorage.getItem(key)) ?? null;
/** Writes a localStorage value; `false` when blocked or over quota. */
export const write = (key: string, value: string): boolean =>
  attempt(() => {
    localStorage.setItem(key, value);
    return true;
  }) ?? false;
export const remove = (key: string): void => attempt(() => localStorage.removeItem(key));
/** A localStorage value parsed as JSON, `undefined` when absent or unreadable. */
export const readJson = <T>(key: string): T | undefined => attempt(() => JSON.parse(read(key) as string) ?? undefined);

const oneYear = 31_536_000; // seconds

/**
 * The anonymous id: from the cookie, else from localStorage (the cookie wins when they differ), else
 * made anew; then written to both, which renews the cookie for a year.
 */
export function loadAnonymousId(domain: string, renew?: boolean): string {
  const id = (!renew && (readCookie(anonymousIdCookie) || read(anonymousIdCookie))) || randomId();
  writeCookie(anonymousIdCookie, id, domain, oneYear);
  write(anonymousIdCookie, id);
  return id;
}

/** Removes every identifier and trait the tracker stored. */
export function clearIdentity(domain: string): void {
  writeCookie(anonymousIdCookie, "", domain, 0);
  for (const key of [anonymousIdCookie, storageKeys.userId, storageKeys.traits]) remove(key);
}

/**
 * The domain the cookie goes on: the shortest suffix of the host that takes a cookie, so that every
 * subdomain shares one id ("shop.example.co.uk" for "www.shop.example.co.uk": browsers refuse cookies
 * on public suffixes such as "co.uk"). Empty, a host-only cookie, for localhost; an IP address takes
 * only itself, which browsers keep as a host-only cookie.
 */
export function topLevelDomain(hostname: string): string {
  const parts = hostname.split(".");
  for (let index = parts.length - 2; index >= 0; index--) {
    const domain = parts.slice(index).join(".");
    writeCookie("cdp_probe", "1", domain, 9);
    if (readCookie("cdp_probe")) {
      writeCookie("cdp_probe", "", domain, 0);
      return domain;
    }
  }
  return "";
}

const readCookie = (name: string) => attempt(() => document.cookie.match(`(^|; )${name}=([^;]+)`)?.[2]);

function writeCookie(name: string, value: string, domain: string, maxAge: number): void {
  attempt(() => {
    // biome-ignore lint/suspicious/noDocumentCookie: the Cookie Store API is asynchronous and missing from Firefox and older Safari
    document.cookie = `${name}=${value}; path=/; max-age=${maxAge}; SameSite=Lax${domain && `; domain=${domain}`}${
      location.protocol === "https:" ? "; Secure" : ""
    }`;
  });
}
