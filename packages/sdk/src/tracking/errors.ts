/** Why a tracking call or a delivery attempt failed; `code` is stable, the message says what to do. */
export type TrackingErrorCode = "invalid_message" | "message_too_large" | "network_error" | "timeout" | "http_error" | "invalid_option";

/** An error of the tracking core: thrown by a call given a bad message, or reported by the 'error' event. */
export class TrackingError extends Error {
  /** What went wrong, for a program to branch on. */
  readonly code: TrackingErrorCode;
  /** The HTTP status, when the server answered. */
  readonly status: number | undefined;

  /**
   * @param code - What went wrong.
   * @param message - What a person can act on.
   * @param init - The HTTP status and the underlying error, when there are.
   */
  constructor(code: TrackingErrorCode, message: string, init: { status?: number; cause?: unknown } = {}) {
    super(message, init.cause === undefined ? undefined : { cause: init.cause });
    this.name = "TrackingError";
    this.code = code;
    this.status = init.status;
  }
}
