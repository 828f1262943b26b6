import type { EventRecord } from "../store/records.js";
import type { Domain, Scope } from "./context.js";
import { getCustomer } from "./customers.js";

const day = 24 * 60 * 60 * 1000;
const week = 7 * day;

/** Events per category for each of the last 52 ISO weeks (UTC), oldest first, the current week last, zero-filled. */
export function customerTimeline(domain: Domain, scope: Scope, id: string) {
  const customer = getCustomer(domain, scope, id);
  const currentMonday = mondayOf(domain.clock.now());
  const weeks = Array.from({ length: 52 }, (_, index) => ({
    week: isoWeekLabel(currentMonday - (51 - index) * week),
    counts: new Map<string, number>(),
  }));
  for (const event of domain.store.eventsOfCustomer(scope.workspaceId, customer.id)) {
    const at = Date.parse(event.timestamp);
    if (Number.isNaN(at)) continue;
    const back = Math.round((currentMonday - mondayOf(at)) / week);
    if (back < 0 || back > 51) continue;
    // A Map: a category may be named "constructor".
    const counts = (weeks[51 - back] as { counts: Map<string, number> }).counts;
    counts.set(event.category, (counts.get(event.category) ?? 0) + 1);
  }
  return { data: weeks.map(({ week: label, counts }) => ({ week: label, counts: Object.fromEntries(counts) })) };
}

/**
 * Orders, items and revenue per month (the last 12) or year (the last 5), keyed by the Order
 * Completed timestamp. An order nets its total minus its refunds, never below 0, and 0 once
 * cancelled; money is summed exactly as decimal strings per currency.
 */
export function customerPurchases(domain: Domain, scope: Scope, id: string, period: "month" | "year" = "month") {
  const customer = getCustomer(domain, scope, id);
  const events = domain.store.eventsOfCustomer(scope.workspaceId, customer.id);
  const now = new Date(domain.clock.now());
  const labels =
    period === "month"
      ? Array.from({ length: 12 }, (_, index) => monthLabel(now.getUTCFullYear(), now.getUTCMonth() - (11 - index)))
      : Array.from({ length: 5 }, (_, index) => String(now.getUTCFullYear() - (4 - index)));
  const buckets = new Map(labels.map((label) => [label, { period: label, orders: 0, items: 0, revenue: new Map<string, bigint>() }]));

  const orders = new Map<string, { completed: EventRecord; refunded: bigint; cancelled: boolean }>();
  const sorted = [...events].sort((a, b) => (a.timestamp < b.timestamp ? -1 : a.timestamp > b.timestamp ? 1 : 0));
  for (const event of sorted) {
    const orderId = orderIdOf(event);
    if (orderId === undefined) continue;
    if (event.type === "Order Completed" && !orders.has(orderId)) orders.set(orderId, { completed: event, refunded: 0n, cancelled: false });
  }
  for (const event of sorted) {
    const order = orders.get(orderIdOf(event) ?? "");
    if (!order) continue;
    if (event.type === "Order Refunded") order.refunded += toMicros(event.properties.total ?? event.properties.revenue) ?? 0n;
    if (event.type === "Order Cancelled") order.cancelled = true;
  }
  for (const { completed, refunded, cancelled } of orders.values()) {
    const label = period === "month" ? completed.timestamp.slice(0, 7) : completed.timestamp.slice(0, 4);
    const bucket = buckets.get(label);
    if (!bucket) continue;
    const currency = typeof completed.properties.currency === "string" ? completed.properties.currency.toUpperCase() : "USD";
    const total = toMicros(completed.properties.total ?? completed.properties.revenue) ?? 0n;
    const net = cancelled ? 0n : total - refunded > 0n ? total - refunded : 0n;
    if (!cancelled) {
      bucket.orders += 1;
      bucket.items += itemsOf(completed);
    }
    bucket.revenue.set(currency, (bucket.revenue.get(currency) ?? 0n) + net);
  }
  return {
    data: [...buckets.values()].map((bucket) => ({
      period: bucket.period,
      orders: bucket.orders,
      items: bucket.items,
      revenue: Object.fromEntries([...bucket.revenue].map(([currency, micros]) => [currency, formatMicros(micros)])),
    })),
  };
}

function orderIdOf(event: EventRecord): string | undefined {
  const id = event.properties.order_id ?? event.properties.orderId;
  return typeof id === "string" || typeof id === "number" ? String(id) : undefined;
}

function itemsOf(event: EventRecord): number {
  const products = event.properties.products;
  if (!Array.isArray(products)) return 0;
  return products.reduce((sum: number, product) => {
    const quantity = product && typeof product === "object" ? (product as { quantity?: unknown }).quantity : undefined;
    return sum + (typeof quantity === "number" && Number.isInteger(quantity) && quantity > 0 ? quantity : 1);
  }, 0);
}

/** A money amount (JSON number or decimal string) in millionths, exactly; undefined when it is not one. */
export function toMicros(value: unknown): bigint | undefined {
  const text =
    typeof value === "number" && Number.isFinite(value) ? numberToPlain(value) : typeof value === "string" ? value.trim() : undefined;
  const match = text?.match(/^(-?)(\d+)(?:\.(\d+))?$/);
  if (!match) return undefined;
  const fraction = (match[3] ?? "").slice(0, 6).padEnd(6, "0");
  const micros = BigInt(match[2] as string) * 1_000_000n + BigInt(fraction);
  return match[1] === "-" ? -micros : micros;
}

/** 123450000n → "123.45": at least two decimals, no trailing zeros beyond them. */
export function formatMicros(micros: bigint): string {
  const negative = micros < 0n;
  const abs = negative ? -micros : micros;
  const whole = abs / 1_000_000n;
  let fraction = (abs % 1_000_000n).toString().padStart(6, "0").replace(/0+$/, "");
  fraction = fraction.padEnd(2, "0");
  return `${negative ? "-" : ""}${whole}.${fraction}`;
}

function numberToPlain(value: number): string {
  // JSON numbers like 19.99 print as written; tiny or huge ones use exponents, which toFixed avoids.
  const text = String(value);
  return /e/i.test(text) ? value.toFixed(6) : text;
}

function mondayOf(time: number): number {
  const date = new Date(time);
  const midnight = Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate());
  const weekday = (date.getUTCDay() + 6) % 7; // Monday 0 … Sunday 6
  return midnight - weekday * day;
}

/** ISO 8601 week label of the week starting on this Monday: the year is the one of its Thursday. */
function isoWeekLabel(monday: number): string {
  const thursday = new Date(monday + 3 * day);
  const year = thursday.getUTCFullYear();
  const firstThursday = new Date(Date.UTC(year, 0, 4));
  const firstMonday = mondayOf(firstThursday.getTime());
  const number = Math.round((monday - firstMonday) / week) + 1;
  return `${year}-W${String(number).padStart(2, "0")}`;
}

function monthLabel(year: number, month: number): string {
  const date = new Date(Date.UTC(year, month, 1));
  return `${date.getUTCFullYear()}-${String(date.getUTCMonth() + 1).padStart(2, "0")}`;
}
