import { readFileSync } from "node:fs";
import * as contract from "@cdp/contract";
import { describe, expect, it } from "vitest";
// @ts-expect-error: a plain .mjs script without types
import { buildRestApiMarkdown } from "../scripts/rest-api-doc.mjs";

describe("docs/rest-api.md", () => {
  it("is generated from the current contract (run `pnpm docs:rest` when this fails)", () => {
    const checkedIn = readFileSync(new URL("../docs/rest-api.md", import.meta.url), "utf8");
    expect(checkedIn).toBe(buildRestApiMarkdown(contract));
  });

  it("lists every route with its SDK method and every error code", () => {
    const markdown = buildRestApiMarkdown(contract) as string;
    for (const route of Object.values(contract.routes)) expect(markdown).toContain(`\`${route.name}\``);
    for (const code of Object.keys(contract.errorCodes)) expect(markdown).toContain(`\`${code}\``);
  });
});
