import * as z from "zod/mini";
import { defineRoute, type RouteDocs } from "../route.js";
import { IdParam } from "../schemas/common.js";
import { ListCreate, SubscribeBody, SuppressionCreate, UnsubscribeBody } from "../schemas/subscription.js";

const CustomerParams = z.strictObject({ id: IdParam });
const SubscriptionParams = z.strictObject({ id: IdParam, listId: IdParam });

/** Lists (topics), each customer's subscriptions, and channel-wide suppressions. */
export const subscriptionRoutes = {
  "lists.list": defineRoute({
    name: "lists.list",
    method: "GET",
    path: "/lists",
    permission: "schema:read",
    status: 200,
    response: "SubscriptionLists",
  }),
  "lists.create": defineRoute({
    name: "lists.create",
    method: "POST",
    path: "/lists",
    permission: "schema:write",
    body: ListCreate,
    status: 201,
    response: "SubscriptionList",
    audited: true,
  }),
  "subscriptions.list": defineRoute({
    name: "subscriptions.list",
    method: "GET",
    path: "/customers/{id}/subscriptions",
    permission: "subscriptions:read",
    params: CustomerParams,
    status: 200,
    response: "CustomerSubscriptions",
  }),
  "subscriptions.subscribe": defineRoute({
    name: "subscriptions.subscribe",
    method: "POST",
    path: "/customers/{id}/subscriptions/{listId}/subscribe",
    permission: "subscriptions:write",
    params: SubscriptionParams,
    body: SubscribeBody,
    bodyOptional: true,
    status: 200,
    response: "Subscription",
    audited: true,
  }),
  "subscriptions.confirm": defineRoute({
    name: "subscriptions.confirm",
    method: "POST",
    path: "/customers/{id}/subscriptions/{listId}/confirm",
    permission: "subscriptions:write",
    params: SubscriptionParams,
    body: SubscribeBody,
    bodyOptional: true,
    status: 200,
    response: "Subscription",
    audited: true,
  }),
  "subscriptions.unsubscribe": defineRoute({
    name: "subscriptions.unsubscribe",
    method: "POST",
    path: "/customers/{id}/subscriptions/{listId}/unsubscribe",
    permission: "subscriptions:write",
    params: SubscriptionParams,
    body: UnsubscribeBody,
    bodyOptional: true,
    status: 200,
    response: "Subscription",
    audited: true,
  }),
  "suppressions.list": defineRoute({
    name: "suppressions.list",
    method: "GET",
    path: "/suppressions",
    permission: "subscriptions:read",
    status: 200,
    response: "SuppressionList",
  }),
  "suppressions.create": defineRoute({
    name: "suppressions.create",
    method: "POST",
    path: "/suppressions",
    permission: "subscriptions:write",
    body: SuppressionCreate,
    status: 201,
    response: "Suppression",
    audited: true,
  }),
} as const;

/** What the docs and the OpenAPI document say of each route (kept apart so browser bundles skip it). */
export const subscriptionRouteDocs: RouteDocs<typeof subscriptionRoutes> = {
  "lists.list": { summary: "List the workspace's subscription lists" },
  "lists.create": { summary: "Create a subscription list (admin): channel, marketing or transactional, double opt-in or not" },
  "subscriptions.list": {
    summary: "A customer's subscriptions: every list of each contact value it holds, and the ones that ended",
    description:
      "A contact value with no record on a list is `never_subscribed`. A subscription belongs to its contact value: when the value leaves the profile, it ends (`contact_removed`).",
  },
  "subscriptions.subscribe": {
    summary: "Subscribe a contact value of the customer to a list",
    description:
      "`pending` on a double opt-in list until confirmed, else `subscribed`. 422 `contact_suppressed` when the channel is suppressed for the value, `objection_active` on a marketing list while the customer objects to marketing, `no_contact_value` when the customer holds no value of the channel.",
  },
  "subscriptions.confirm": { summary: "Confirm a pending double opt-in (409 `subscription_not_pending` otherwise)" },
  "subscriptions.unsubscribe": { summary: "Unsubscribe a contact value from a list, with the reason and method" },
  "suppressions.list": { summary: "List the channel-wide suppressions" },
  "suppressions.create": {
    summary: "Suppress a contact value on a whole channel",
    description:
      "Every subscription of that value on the channel's lists ends (reason `suppressed`), and no list of the channel takes it again.",
  },
};
