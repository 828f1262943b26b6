import { isHTTPError, type RetryOptions } from "ky";

/** Statuses worth another attempt. Never 413: the same body would be refused again. */
export const retryStatusCodes = [408, 429, 500, 502, 503, 504];

/**
 * The retry policy (DESIGN §6), in ky's terms; ky's defaults differ (no POST, 413 retried, no
 * jitter, no retry on timeout). Network errors and timed-out attempts are retried; the backoff
 * is 0.5 s·2ⁿ with full jitter, at most 8 s; `Retry-After` on 429 and 503 is honoured up to 60 s.
 * A 409 `idempotency_in_progress` means the first attempt is still running on the backend, so it
 * is retried like a 503 (with backoff); a caller's abort is never retried.
 */
export function retryPolicy(maxRetries: number, signal: AbortSignal | undefined): RetryOptions {
  return {
    limit: maxRetries,
    // Every method: POST, PATCH and DELETE carry an Idempotency-Key, so repeating them is safe.
    methods: ["get", "post", "put", "patch", "delete", "head", "options", "trace"],
    statusCodes: retryStatusCodes,
    afterStatusCodes: [429, 503],
    maxRetryAfter: 60_000,
    backoffLimit: 8_000,
    delay: (attempt) => 500 * 2 ** (attempt - 1),
    jitter: true,
    retryOnTimeout: true,
    shouldRetry: async ({ error }) => {
      if (signal?.aborted) return false;
      if (isHTTPError(error) && error.response.status === 409 && (await isIdempotencyInProgress(error.response))) return true;
      return undefined;
    },
  };
}

async function isIdempotencyInProgress(response: Response): Promise<boolean> {
  try {
    const body = (await response.clone().json()) as { error?: { code?: unknown } } | null;
    return body?.error?.code === "idempotency_in_progress";
  } catch {
    return false;
  }
}
