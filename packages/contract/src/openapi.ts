import * as z from "zod/mini";
import { ErrorBody, errorCodes } from "./errors.js";
import { permissionMatrix, roles } from "./permissions.js";
import type { RouteDefinition } from "./route.js";
import { apiBasePath, routes } from "./routes/index.js";

type JsonSchema = Record<string, unknown>;

/** The JSON Schema of one of the contract's schemas, as the OpenAPI document and the docs print it. */
export function jsonSchema(schema: z.ZodMiniType, io: "input" | "output"): JsonSchema {
  const { $schema: _, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: "any" }) as JsonSchema;
  return rest;
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

function rolesFor(route: RouteDefinition): string[] {
  const permission = route.permission;
  if (!permission) return [];
  return roles.filter((role) => permissionMatrix[role].includes(permission));
}

/** Builds the OpenAPI 3.1 document from the route table. `docs/openapi.json` is this, checked in. */
export function buildOpenApiDocument(options: { version?: string } = {}): JsonSchema {
  const paths: Record<string, Record<string, JsonSchema>> = {};
  for (const route of Object.values(routes) as RouteDefinition[]) {
    const path = `${apiBasePath}${route.path}`;
    const allowed = rolesFor(route);
    const operation: JsonSchema = {
      operationId: route.name,
      summary: route.summary,
      ...(route.description ? { description: route.description } : {}),
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
          content: { "application/json": { schema: jsonSchema(route.response, "output") } },
        },
        default: { $ref: "#/components/responses/Error" },
      },
      security: route.auth === "client" ? [{ basicAuth: [] }, {}] : [{ bearerAuth: [] }],
    };
    if (route.body) {
      const schema = jsonSchema(route.body, "input");
      operation.requestBody = {
        required: !route.bodyOptional,
        content:
          route.auth === "client"
            ? { "application/x-www-form-urlencoded": { schema }, "application/json": { schema } }
            : { "application/json": { schema } },
      };
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
      },
      schemas: { Error: jsonSchema(ErrorBody, "output") },
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
