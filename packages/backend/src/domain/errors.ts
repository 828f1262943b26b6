import type { ApiIssue, ErrorCode } from "@cdp/contract";

/** A refusal the domain explains: a stable code, a message a person can act on, and the fields at fault. */
export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message?: string,
    readonly issues?: ApiIssue[],
  ) {
    super(message ?? code);
    this.name = "DomainError";
  }
}

export const notFound = (what: string) => new DomainError("not_found", `No ${what} with that id.`);
