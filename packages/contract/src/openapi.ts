import * as z from "zod/mini";
import { ErrorBody, errorCodes } from "./errors.js";
import { permissionMatrix, roles } from "./permissions.js";
import { responseSchemas } from "./responses.js";
import type { RouteAuth, RouteDefinition } from "./route.js";
import { apiBasePath, type RouteName, routeDocs, routes } from "./routes/index.js";
import { SearchGroup } from "./schemas/search.js";

type JsonSchema = Record<string, unknown>;

/** Schemas that get a name of their own in `components.schemas` (recursive ones must). */
function namedSchemas() {
  const names = z.registry<{ id: string }>();
  names.add(SearchGroup, { id: "SearchGroup" });
  return names;
}

/**
 * The JSON Schema of one of the contract's schemas, as the OpenAPI document and the docs print it.
 * Named schemas come back as `$defs`; the OpenAPI builder moves them to `components.schemas`.
 */
export function jsonSchema(schema: z.ZodMiniType, io: "input" | "output"): JsonSchema {
  const { $schema: _, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: "any", metadata: namedSchemas() }) as JsonSchema;
  return rest;
}

/** Moves `$defs` into `components` and points their `$ref`s there (a `#/$defs/…` ref would resolve against the document root). */
function hoistDefinitions(schema: JsonSchema, components: Record<string, JsonSchema>): JsonSchema {
  const { $defs, ...rest } = schema as JsonSchema & { $defs?: Record<string, JsonSchema> };
  for (const [name, definition] of Object.entries($defs ?? {})) components[name] = rewriteRefs(definition) as JsonSchema;
  return rewriteRefs(rest) as JsonSchema;
}

function rewriteRefs(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(rewriteRefs);
  if (value === null || typeof value !== "object") return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, item]) => [
      key,
      key === "$ref" && typeof item === "string" ? item.replace(/^#\/\$defs\//, "#/components/schemas/") : rewriteRefs(item),
    ]),
  );
}

function parameters(route: RouteDefinition): JsonSchema[] {
  const out: JsonSchema[] = [];
  for (const [where, schema] of [
    ["path", route.params],
    ["query", route.query],
  ] as const) {
    if (!schema) continue;
    const object = jsonSchema(schema, "input") as { properties?: Record<string, JsonSchema>; required?: string[] };
    for (const [name, property] of Object.entries(object.properties ?? {})) {
      out.push({ name, in: where, required: where === "path" || (object.required ?? []).includes(name), schema: property });
    }
  }
  return out;
}

/**
 * Who may call a route, per its `auth`. An empty requirement (`{}`) stands for credentials in the body,
 * which no OpenAPI security scheme can declare: the token route's client id and secret, a tracking
 * message's `writeKey`.
 */
const security: Record<RouteAuth, JsonSchema[]> = {
  secret: [{ bearerAuth: [] }],
  tracking: [{ writeKeyAuth: [] }, { bearerAuth: [] }, {}],
  client: [{ basicAuth: [] }, {}],
};

/** The body types a route reads: the tracking routes read `text/plain` as JSON (`sendBeacon` sends it), as Segment's API does. */
function bodyContent(auth: RouteAuth, schema: JsonSchema): JsonSchema {
  if (auth === "client") return { "application/x-www-form-urlencoded": { schema }, "application/json": { schema } };
  if (auth === "tracking") return { "application/json": { schema }, "text/plain": { schema } };
  return { "application/json": { schema } };
}

function rolesFor(route: RouteDefinition): string[] {
  const permission = route.permission;
  if (!permission) return [];
  return roles.filter((role) => permissionMatrix[role].includes(permission));
}

/** Builds the OpenAPI 3.1 document from the route table. `docs/openapi.json` is this, checked in. */
export function buildOpenApiDocument(options: { version?: string } = {}): JsonSchema {
  const paths: Record<string, Record<string, JsonSchema>> = {};
  const schemas: Record<string, JsonSchema> = { Error: jsonSchema(ErrorBody, "output") };
  for (const [name, schema] of Object.entries(responseSchemas)) schemas[name] = hoistDefinitions(jsonSchema(schema, "output"), schemas);
  for (const route of Object.values(routes) as RouteDefinition[]) {
    const path = `${apiBasePath}${route.path}`;
    const allowed = rolesFor(route);
    const operation: JsonSchema = {
      operationId: route.name,
      ...routeDocs[route.name as RouteName],
      tags: [route.name.split(".")[0]],
      "x-cdp-permission": route.permission,
      "x-cdp-roles": allowed,
      parameters: [
        ...parameters(route),
        ...(route.method === "GET"
          ? []
          : [{ name: "Idempotency-Key", in: "header", required: false, schema: { type: "string", maxLength: 255 } }]),
        { name: "Cdp-Workspace", in: "header", required: false, schema: { type: "string" } },
      ],
      responses: {
        [String(route.status)]: {
          description: "Success",
          content: {
            "application/json": { schema: { $ref: `#/components/schemas/${route.response}` } },
            ...(route.csv
              ? { "text/csv": { schema: { type: "string", description: "With format=csv: a header row and one row per record." } } }
              : {}),
          },
        },
        ...(route.otherStatus
          ? {
              [String(route.otherStatus.status)]: {
                description: `Success, ${route.otherStatus.when}`,
                content: { "application/json": { schema: { $ref: `#/components/schemas/${route.response}` } } },
              },
            }
          : {}),
        default: { $ref: "#/components/responses/Error" },
      },
      security: security[route.auth ?? "secret"],
    };
    if (route.body) {
      const schema = hoistDefinitions(jsonSchema(route.body, "input"), schemas);
      operation.requestBody = { required: !route.bodyOptional, content: bodyContent(route.auth ?? "secret", schema) };
    }
    paths[path] ??= {};
    (paths[path] as Record<string, JsonSchema>)[route.method.toLowerCase()] = operation;
  }
  return {
    openapi: "3.1.0",
    info: {
      title: "@cdp HTTP API",
      version: options.version ?? "0.1.0",
      description:
        "The @cdp customer data platform API. Errors: `{ error: { type, code, message, issues?, requestId } }`; codes are listed under x-cdp-error-codes.",
    },
    servers: [{ url: "http://localhost:4000" }],
    paths,
    components: {
      securitySchemes: {
        bearerAuth: { type: "http", scheme: "bearer", description: "A secret key or an OAuth access token." },
        basicAuth: { type: "http", scheme: "basic", description: "OAuth client credentials: key id and secret." },
        writeKeyAuth: {
          type: "http",
          scheme: "basic",
          description:
            'A write key (`wk_…`) as the user name and an empty password, as Segment\'s clients send it: `Authorization: Basic base64("wk_…:")`. The tracking routes also take it as `writeKey` in the body (a `text/plain` body from `sendBeacon`), which needs no header.',
        },
      },
      schemas,
      responses: {
        Error: {
          description: "An error in the API's envelope",
          content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } },
        },
      },
    },
    "x-cdp-error-codes": errorCodes,
    "x-cdp-roles": permissionMatrix,
  };
}
