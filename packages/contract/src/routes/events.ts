import * as z from "zod/mini";
import { defineRoute, type RouteDocs } from "../route.js";
import { IdParam } from "../schemas/common.js";
import { EventCreate, EventDelete, EventListQuery, EventTypeDefine, EventUpdate } from "../schemas/event.js";

const EventParams = z.strictObject({ id: IdParam });

export const eventRoutes = {
  "events.create": defineRoute({
    name: "events.create",
    method: "POST",
    path: "/events",
    permission: "events:write",
    body: EventCreate,
    status: 201,
    otherStatus: {
      status: 200,
      when: "when the messageId was seen before: the event recorded then (whatever else this body says), nothing written, no audit entry; the messageId of a deleted or erased event answers 409 `message_replayed`",
    },
    response: "Event",
    audited: true,
  }),
  "events.list": defineRoute({
    name: "events.list",
    method: "GET",
    path: "/events",
    permission: "events:read",
    query: EventListQuery,
    status: 200,
    response: "EventPage",
  }),
  "events.get": defineRoute({
    name: "events.get",
    method: "GET",
    path: "/events/{id}",
    permission: "events:read",
    params: EventParams,
    status: 200,
    response: "Event",
  }),
  "events.update": defineRoute({
    name: "events.update",
    method: "PATCH",
    path: "/events/{id}",
    permission: "events:write",
    params: EventParams,
    body: EventUpdate,
    status: 200,
    response: "Event",
    audited: true,
  }),
  "events.delete": defineRoute({
    name: "events.delete",
    method: "DELETE",
    path: "/events/{id}",
    permission: "events:delete",
    params: EventParams,
    body: EventDelete,
    status: 200,
    response: "EventDeleted",
    audited: true,
  }),
  "events.duplicate": defineRoute({
    name: "events.duplicate",
    method: "POST",
    path: "/events/{id}/duplicate",
    permission: "events:write",
    params: EventParams,
    status: 201,
    response: "Event",
    audited: true,
  }),
  "eventTypes.list": defineRoute({
    name: "eventTypes.list",
    method: "GET",
    path: "/event-types",
    permission: "schema:read",
    status: 200,
    response: "EventTypeList",
  }),
  "eventTypes.define": defineRoute({
    name: "eventTypes.define",
    method: "POST",
    path: "/event-types",
    permission: "schema:write",
    body: EventTypeDefine,
    status: 201,
    response: "EventType",
    audited: true,
  }),
} as const;

/** What the docs and the OpenAPI document say of each route (kept apart so browser bundles skip it). */
export const eventRouteDocs: RouteDocs<typeof eventRoutes> = {
  "events.create": {
    summary: "Record an event",
    description:
      "For a customer by id, or by identifiers that resolve the profile (creating it when none matches; identifiers all of non-unique types identify no one: 422 `identifier_not_unique`; a custom type that would be the workspace's 51st: 422 `identifier_types_exhausted`). A messageId seen before in the workspace answers 200 (not 201) with the event already recorded, whatever else the body says, and writes nothing; the messageId of an event since deleted answers 409 `message_replayed`.",
  },
  "events.list": {
    summary: "List events, newest first, by customer, type, category, time range and text",
    description:
      'Always newest first by `timestamp` (then id); the list takes no `sort` or `fields`. `q` searches the type and the text values of `properties`: unquoted terms must each start a word (`blue shi`), a quoted phrase must equal a whole value, case aside (`"Blue Shirt"` finds `Blue Shirt`, not `Blue Shirt Deluxe`). A restricted profile\'s events are left out for every role but dpo.',
  },
  "events.get": { summary: "Get an event" },
  "events.update": { summary: "Update an event (JSON merge patch)" },
  "events.delete": { summary: "Delete an event, with a reason" },
  "events.duplicate": {
    summary: "Copy an event under a new id and messageId",
    description: "Takes no body: send none (or `{}`); any other body is a 400 at `body` and copies nothing.",
  },
  "eventTypes.list": { summary: "List the event types: built in (the Segment e-commerce v2 spec among them) and the workspace's own" },
  "eventTypes.define": { summary: "Define an event type with its category" },
};
