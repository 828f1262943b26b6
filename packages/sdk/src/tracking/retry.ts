/** Answers worth another attempt (DESIGN §5): the same body may succeed later. Never 413 or another 4xx. */
export function isRetryable(status: number): boolean {
  return status === 408 || status === 429 || status >= 500;
}

/**
 * The wait before retry `attempt` (1, 2 …): 0.5 s·2ⁿ⁻¹ capped at 8 s, with full jitter (a random
 * share of it), so that many clients failing together do not come back together.
 */
export function backoffDelay(attempt: number, random: () => number = Math.random): number {
  return Math.floor(random() * Math.min(maxBackoff, 500 * 2 ** Math.max(0, attempt - 1)));
}

/** The longest `Retry-After` honoured; a server asking for more gets 60 s. */
export const maxRetryAfter = 60_000;
const maxBackoff = 8_000;

/** `Retry-After` (delta-seconds or an HTTP date) in milliseconds, capped at 60 s; `undefined` when absent or unreadable. */
export function parseRetryAfter(value: string | null | undefined, now: number = Date.now()): number | undefined {
  if (value === null || value === undefined || value.trim() === "") return undefined;
  const text = value.trim();
  const milliseconds = /^\d+(\.\d+)?$/.test(text) ? Number(text) * 1000 : Date.parse(text) - now;
  if (Number.isNaN(milliseconds)) return undefined;
  return Math.min(maxRetryAfter, Math.max(0, Math.ceil(milliseconds)));
}
