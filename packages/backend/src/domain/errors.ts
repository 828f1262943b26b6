import type { ApiIssue, ErrorCode } from "@cdp/contract";

/** A refusal the domain explains: a stable code, a message a person can act on, and the fields at fault. */
export class DomainError extends Error {
  /** The message for people; without one the envelope says what the error table says of the code. */
  readonly detail: string | undefined;
  /**
   * A refusal that still recorded something (a tracked consent withdrawal on a restricted profile):
   * the profile it was recorded on, so the audit log keeps the write.
   */
  recordedOn: string | undefined;

  constructor(
    readonly code: ErrorCode,
    detail?: string,
    readonly issues?: ApiIssue[],
  ) {
    super(detail ?? code);
    this.name = "DomainError";
    this.detail = detail;
    this.recordedOn = undefined;
  }
}

export const notFound = (what: string) => new DomainError("not_found", `No ${what} with that id.`);
