import type { ApiIssue, ErrorCode } from "@cdp/contract";

/** A refusal the domain explains: a stable code, a message a person can act on, and the fields at fault. */
export class DomainError extends Error {
  /** The message for people; without one the envelope says what the error table says of the code. */
  readonly detail: string | undefined;

  constructor(
    readonly code: ErrorCode,
    detail?: string,
    readonly issues?: ApiIssue[],
  ) {
    super(detail ?? code);
    this.name = "DomainError";
    this.detail = detail;
  }
}

export const notFound = (what: string) => new DomainError("not_found", `No ${what} with that id.`);
