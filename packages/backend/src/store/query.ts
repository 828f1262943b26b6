import type { SearchGroup } from "@cdp/contract";

/** A parsed full-text query: lower-cased token prefixes (all must match) and whole-value phrases. */
export interface TextQuery {
  terms: string[];
  phrases: string[];
}

/** What the domain asks a store for; stores may answer it with their own indexes. */
export interface CustomerQuery {
  text?: TextQuery;
  filter?: SearchGroup;
  sort: { field: string; descending: boolean };
  /** Keyset position: the sort value and id of the last customer of the previous page. */
  after?: { value: unknown; id: string };
  limit: number;
  /** Restricted profiles appear only to a dpo. */
  includeRestricted: boolean;
  /** Merged profiles (aliases) too, not only live ones; a restricted survivor's aliases follow `includeRestricted`. */
  includeMerged?: boolean;
}
