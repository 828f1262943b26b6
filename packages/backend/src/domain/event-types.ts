import type { EventType, EventTypeDefine } from "@cdp/contract";
import type { Domain, Scope } from "./context.js";
import { DomainError } from "./errors.js";

const ecommerce = [
  "Products Searched",
  "Product List Viewed",
  "Product List Filtered",
  "Promotion Viewed",
  "Promotion Clicked",
  "Product Clicked",
  "Product Viewed",
  "Product Added",
  "Product Removed",
  "Cart Viewed",
  "Checkout Started",
  "Checkout Step Viewed",
  "Checkout Step Completed",
  "Payment Info Entered",
  "Order Updated",
  "Order Completed",
  "Order Refunded",
  "Order Cancelled",
  "Coupon Entered",
  "Coupon Applied",
  "Coupon Denied",
  "Coupon Removed",
  "Product Added to Wishlist",
  "Product Removed from Wishlist",
  "Wishlist Product Added to Cart",
  "Product Shared",
  "Cart Shared",
  "Product Reviewed",
];

/** Shipped with @cdp: the Segment e-commerce v2 spec, web and app views, email campaigns, retail and account events. */
export const builtInEventTypes: readonly EventType[] = [
  ...ecommerce.map((name) => ({ name, category: "ecommerce", description: "Segment e-commerce spec v2", builtIn: true })),
  { name: "Page Viewed", category: "browsing", description: "A page view (`page` call)", builtIn: true },
  { name: "Screen Viewed", category: "browsing", description: "An app screen view (`screen` call)", builtIn: true },
  ...["Email Delivered", "Email Opened", "Email Link Clicked", "Email Bounced", "Email Marked as Spam", "Unsubscribed"].map((name) => ({
    name,
    category: "email",
    description: "Email campaign",
    builtIn: true,
  })),
  ...["In-Store Purchase", "Store Visited", "Loyalty Points Earned", "Loyalty Points Redeemed"].map((name) => ({
    name,
    category: "retail",
    description: "Retail and loyalty",
    builtIn: true,
  })),
  ...["Signed Up", "Signed In", "Signed Out", "Account Created", "Account Deleted"].map((name) => ({
    name,
    category: "account",
    description: "Account lifecycle",
    builtIn: true,
  })),
  {
    name: "Segment Consent Preference Updated",
    category: "consent",
    description: "Consent preferences changed (browser tracker)",
    builtIn: true,
  },
];

const builtInByName = new Map(builtInEventTypes.map((type) => [type.name, type]));

export function listEventTypes(domain: Domain, workspaceId: string): EventType[] {
  const own = domain.store.listEventTypes(workspaceId).map(({ workspaceId: _, ...type }) => type);
  return [...builtInEventTypes, ...own];
}

export function defineEventType(domain: Domain, scope: Scope, input: EventTypeDefine): EventType {
  if (builtInByName.has(input.name) || domain.store.listEventTypes(scope.workspaceId).some((type) => type.name === input.name)) {
    throw new DomainError("already_exists", `An event type named ${input.name} exists`, [
      { path: "body.name", message: "is already defined" },
    ]);
  }
  const type: EventType = { name: input.name, category: input.category, description: input.description ?? null, builtIn: false };
  domain.store.putEventType({ ...type, workspaceId: scope.workspaceId });
  return type;
}

/** The registered type of that name (built in or the workspace's), if any. */
export function findEventType(domain: Domain, workspaceId: string, name: string): EventType | undefined {
  return builtInByName.get(name) ?? domain.store.listEventTypes(workspaceId).find((type) => type.name === name);
}
