import { readFileSync } from "node:fs";
import { apiBasePath, buildOpenApiDocument, type RouteDefinition, routes } from "@cdp/contract";
import { Validator } from "@seriousme/openapi-schema-validator";
import { describe, expect, it } from "vitest";

const { version } = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as { version: string };
const checkedIn = new URL("../../../docs/openapi.json", import.meta.url);

interface Parameter {
  name: string;
  in: string;
  required?: boolean;
}
interface Operation {
  operationId: string;
  parameters?: Parameter[];
}
type Document = { openapi: string; paths: Record<string, Record<string, Operation>> } & Record<string, unknown>;

const methods = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];
const document = buildOpenApiDocument({ version }) as Document;
const operations = Object.entries(document.paths).flatMap(([path, item]) =>
  Object.entries(item)
    .filter(([method]) => methods.includes(method))
    .map(([method, operation]) => ({ path, method, operation })),
);

/** Every `$ref` in the document, with where it was found. */
function refs(value: unknown, at = "#"): { at: string; ref: string }[] {
  if (Array.isArray(value)) return value.flatMap((item, index) => refs(item, `${at}/${index}`));
  if (value === null || typeof value !== "object") return [];
  return Object.entries(value).flatMap(([key, item]) =>
    key === "$ref" && typeof item === "string"
      ? [{ at, ref: item }]
      : refs(item, `${at}/${key.replaceAll("~", "~0").replaceAll("/", "~1")}`),
  );
}

function resolvePointer(root: unknown, pointer: string): unknown {
  let node = root;
  for (const raw of pointer.replace(/^#\/?/, "").split("/")) {
    if (raw === "") continue;
    const key = decodeURIComponent(raw).replaceAll("~1", "/").replaceAll("~0", "~");
    if (node === null || typeof node !== "object" || !(key in node)) return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}

describe("docs/openapi.json", () => {
  it("is what the contract generates", () => {
    const expected = `${JSON.stringify(document, null, 2)}\n`;
    const actual = readFileSync(checkedIn, "utf8");
    const stale = "docs/openapi.json is stale: run `pnpm openapi` and commit the result";
    expect(JSON.parse(actual), stale).toEqual(JSON.parse(expected));
    expect(actual === expected, stale).toBe(true);
  });
});

describe("the OpenAPI document", () => {
  it("is valid OpenAPI 3.1 by the specification's schema", async () => {
    expect(document.openapi).toMatch(/^3\.1\./);
    const validator = new Validator();
    const result = await validator.validate(structuredClone(document));
    expect(result.errors ?? [], "schema errors").toEqual([]);
    expect(result.valid).toBe(true);
    expect(validator.version).toBe("3.1");
  });

  it("gives every operation a unique operationId", () => {
    const ids = operations.map(({ operation }) => operation.operationId);
    expect(ids.every((id) => typeof id === "string" && id.length > 0)).toBe(true);
    const duplicates = ids.filter((id, index) => ids.indexOf(id) !== index);
    expect(duplicates).toEqual([]);
  });

  it("has an operation for every route of the route table, and no other", () => {
    const table = Object.entries(routes as Record<string, RouteDefinition>);
    for (const [key, route] of table) {
      const operation = document.paths[`${apiBasePath}${route.path}`]?.[route.method.toLowerCase()];
      expect(operation, `${key}: ${route.method} ${apiBasePath}${route.path}`).toBeDefined();
      expect(operation?.operationId).toBe(route.name);
    }
    expect(operations).toHaveLength(table.length);
  });

  it("declares every path parameter, required, and no path parameter its path lacks", () => {
    for (const { path, method, operation } of operations) {
      const inPath = [...path.matchAll(/\{([^}]+)\}/g)].map((match) => match[1]).sort();
      const declared = (operation.parameters ?? []).filter((parameter) => parameter.in === "path");
      expect(declared.map((parameter) => parameter.name).sort(), `${method.toUpperCase()} ${path}`).toEqual(inPath);
      for (const parameter of declared) expect(parameter.required, `${method.toUpperCase()} ${path} {${parameter.name}}`).toBe(true);
      const keys = (operation.parameters ?? []).map((parameter) => `${parameter.in}:${parameter.name}`);
      expect(new Set(keys).size, `${method.toUpperCase()} ${path}: a parameter declared twice`).toBe(keys.length);
    }
  });

  it("lets the tracking routes take a write key (HTTP Basic, or writeKey in a text/plain body) or a secret key", () => {
    const schemes = (document.components as { securitySchemes: Record<string, { type: string; scheme?: string; description?: string }> })
      .securitySchemes;
    expect(schemes.writeKeyAuth).toMatchObject({ type: "http", scheme: "basic" });
    expect(schemes.writeKeyAuth?.description).toMatch(/write key.*user name.*empty password/i);
    const tracking = Object.values(routes as Record<string, RouteDefinition>).filter((route) => route.auth === "tracking");
    expect(tracking.map((route) => route.path).sort()).toEqual(["/alias", "/batch", "/group", "/identify", "/page", "/screen", "/track"]);
    for (const route of tracking) {
      const operation = document.paths[`${apiBasePath}${route.path}`]?.post as Operation & {
        security: Record<string, string[]>[];
        requestBody: { content: Record<string, { schema: unknown }> };
      };
      expect(operation.security, route.path).toEqual(expect.arrayContaining([{ writeKeyAuth: [] }, { bearerAuth: [] }]));
      const content = operation.requestBody.content;
      expect(Object.keys(content).sort(), route.path).toEqual(["application/json", "text/plain"]);
      expect(content["text/plain"]?.schema, route.path).toEqual(content["application/json"]?.schema);
    }
  });

  it("keeps HTTP Basic client credentials for the token route only, and a write key off the other routes", () => {
    const schemes = (document.components as { securitySchemes: Record<string, { description?: string }> }).securitySchemes;
    expect(schemes.basicAuth?.description).toMatch(/OAuth client credentials/);
    for (const { path, method, operation } of operations) {
      const security = JSON.stringify((operation as Operation & { security?: unknown }).security);
      const route = Object.values(routes as Record<string, RouteDefinition>).find(
        (candidate) => `${apiBasePath}${candidate.path}` === path && candidate.method.toLowerCase() === method,
      );
      expect(security.includes("basicAuth"), `${method} ${path}`).toBe(route?.auth === "client");
      expect(security.includes("writeKeyAuth"), `${method} ${path}`).toBe(route?.auth === "tracking");
    }
  });

  it("has no dangling $ref", () => {
    const dangling = refs(document).filter(({ ref }) => !ref.startsWith("#") || resolvePointer(document, ref) === undefined);
    expect(dangling).toEqual([]);
  });
});
