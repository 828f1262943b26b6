import * as z from "zod/mini";
import { defineRoute } from "../route.js";
import { IdParam, listOptions, ReasonBody } from "../schemas/common.js";
import { BulkDelete, CustomerCreate, CustomerUpdate, LookupQuery } from "../schemas/customer.js";
import { CustomerListQuery, CustomerSearch } from "../schemas/search.js";

const CustomerParams = z.strictObject({ id: IdParam });
const GetQuery = z.strictObject({ fields: listOptions.fields });

export const customerRoutes = {
  "customers.create": defineRoute({
    name: "customers.create",
    method: "POST",
    path: "/customers",
    summary: "Create a customer",
    description:
      '201 with outcome `created`. When an identifier belongs to another profile: 409 `identifier_conflict`, or with `onConflict: "merge"` 200 and that profile updated (outcome `updated`).',
    permission: "customers:write",
    body: CustomerCreate,
    status: 201,
    response: "CustomerCreated",
    audited: true,
  }),
  "customers.list": defineRoute({
    name: "customers.list",
    method: "GET",
    path: "/customers",
    summary: "List customers, with full-text search",
    description:
      "`q`: unquoted terms are AND-ed, case-insensitive token prefixes across names, emails, phones, ids and text properties; a quoted phrase equals a whole field value.",
    permission: "customers:read",
    query: CustomerListQuery,
    status: 200,
    response: "CustomerPage",
  }),
  "customers.search": defineRoute({
    name: "customers.search",
    method: "POST",
    path: "/customers/search",
    summary: "Search customers by conditions",
    permission: "customers:read",
    body: CustomerSearch,
    status: 200,
    response: "CustomerPage",
  }),
  "customers.lookup": defineRoute({
    name: "customers.lookup",
    method: "GET",
    path: "/customers/lookup",
    summary: "Find the customer holding an identifier",
    permission: "customers:read",
    query: LookupQuery,
    status: 200,
    response: "Customer",
  }),
  "customers.bulkDelete": defineRoute({
    name: "customers.bulkDelete",
    method: "POST",
    path: "/customers/bulk-delete",
    summary: "Delete up to 100 customers, all or nothing",
    permission: "customers:delete",
    body: BulkDelete,
    status: 200,
    response: "BulkDeleted",
    audited: true,
  }),
  "customers.get": defineRoute({
    name: "customers.get",
    method: "GET",
    path: "/customers/{id}",
    summary: "Get a customer (a merged id answers with the survivor)",
    permission: "customers:read",
    params: CustomerParams,
    query: GetQuery,
    status: 200,
    response: "CustomerProjection",
  }),
  "customers.update": defineRoute({
    name: "customers.update",
    method: "PATCH",
    path: "/customers/{id}",
    summary: "Update a customer (JSON merge patch)",
    permission: "customers:write",
    params: CustomerParams,
    body: CustomerUpdate,
    status: 200,
    response: "Customer",
    audited: true,
  }),
  "customers.delete": defineRoute({
    name: "customers.delete",
    method: "DELETE",
    path: "/customers/{id}",
    summary: "Delete a customer, irreversibly",
    permission: "customers:delete",
    params: CustomerParams,
    body: ReasonBody,
    status: 200,
    response: "CustomerDeleted",
    audited: true,
  }),
} as const;
