import type { EventRecord } from "../store/records.js";
import type { Domain, Scope } from "./context.js";
import { getCustomer } from "./customers.js";

const day = 24 * 60 * 60 * 1000;
const week = 7 * day;

/**
 * Events per category for each of the last 52 ISO weeks (UTC), oldest first, the current week last,
 * zero-filled: every week carries every category the profile has an event in within those weeks.
 */
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
  // Every week names the same categories (those of any event in the 52 weeks, sorted), 0 where it
  // had none, so that a chart's series line up week by week.
  const categories = [...new Set(weeks.flatMap(({ counts }) => [...counts.keys()]))].sort();
  return {
    data: weeks.map(({ week: label, counts }) => ({
      week: label,
      counts: Object.fromEntries(categories.map((category) => [category, counts.get(category) ?? 0])),
    })),
  };
}

/**
 * Orders, items and revenue per month (the last 12) or year (the last 5), keyed by the Order
 * Completed timestamp. An order nets its amount minus its refunds, never below 0, and 0 once
 * cancelled; money is summed exactly, as decimals of any precision, per currency.
 *
 * Chosen where the e-commerce spec is loose: an Order Completed without an order id is an order of
 * its own (nothing can refund or cancel it); a refund's amount is its size (`-50` refunds 50); a
 * refund with no amount refunds the order in full; a refund in another currency than its order's is
 * not taken from it; a currency that is not three letters is counted under `XXX` (ISO 4217: no
 * currency), a missing one under `USD` (Segment's default).
 */
export function customerPurchases(domain: Domain, scope: Scope, id: string, period: "month" | "year" = "month") {
  const customer = getCustomer(domain, scope, id);
  const events = domain.store.eventsOfCustomer(scope.workspaceId, customer.id);
  const now = new Date(domain.clock.now());
  const labels =
    period === "month"
      ? Array.from({ length: 12 }, (_, index) => monthLabel(now.getUTCFullYear(), now.getUTCMonth() - (11 - index)))
      : Array.from({ length: 5 }, (_, index) => String(now.getUTCFullYear() - (4 - index)));
  const buckets = new Map(labels.map((label) => [label, { period: label, orders: 0, items: 0, revenue: new Map<string, Decimal>() }]));

  type Order = { completed: EventRecord; currency: string; total: Decimal; refunded: Decimal; cancelled: boolean };
  const orders: Order[] = [];
  const byOrderId = new Map<string, Order>();
  const sorted = [...events].sort((a, b) => (a.timestamp < b.timestamp ? -1 : a.timestamp > b.timestamp ? 1 : 0));
  for (const event of sorted) {
    if (event.type !== "Order Completed") continue;
    const orderId = orderIdOf(event);
    // A second Order Completed of one order id is a replay of the first, not another order.
    if (orderId !== undefined && byOrderId.has(orderId)) continue;
    const order = { completed: event, currency: currencyOf(event), total: amountOf(event) ?? zero, refunded: zero, cancelled: false };
    orders.push(order);
    if (orderId !== undefined) byOrderId.set(orderId, order);
  }
  for (const event of sorted) {
    if (event.type !== "Order Refunded" && event.type !== "Order Cancelled") continue;
    const order = byOrderId.get(orderIdOf(event) ?? "");
    if (!order) continue;
    if (event.type === "Order Cancelled") order.cancelled = true;
    else if (event.properties.currency === undefined || currencyOf(event) === order.currency) {
      const amount = amountOf(event);
      order.refunded = amount === undefined ? order.total : add(order.refunded, amount.units < 0n ? negate(amount) : amount);
    }
  }
  for (const { completed, currency, total, refunded, cancelled } of orders) {
    const label = period === "month" ? completed.timestamp.slice(0, 7) : completed.timestamp.slice(0, 4);
    const bucket = buckets.get(label);
    if (!bucket) continue;
    const left = add(total, negate(refunded));
    const net = cancelled || left.units < 0n ? zero : left;
    if (!cancelled) {
      bucket.orders += 1;
      bucket.items += itemsOf(completed);
    }
    bucket.revenue.set(currency, add(bucket.revenue.get(currency) ?? zero, net));
  }
  return {
    data: [...buckets.values()].map((bucket) => ({
      period: bucket.period,
      orders: bucket.orders,
      items: bucket.items,
      revenue: Object.fromEntries([...bucket.revenue].map(([currency, amount]) => [currency, formatDecimal(amount)])),
    })),
  };
}

function orderIdOf(event: EventRecord): string | undefined {
  const id = event.properties.order_id ?? event.properties.orderId;
  return (typeof id === "string" && id.trim() !== "") || typeof id === "number" ? String(id) : undefined;
}

function currencyOf(event: EventRecord): string {
  const currency = event.properties.currency;
  if (currency === undefined || currency === null) return "USD";
  const code = typeof currency === "string" ? currency.trim().toUpperCase() : "";
  return /^[A-Z]{3}$/.test(code) ? code : "XXX";
}

/** An event's money: the first of `total` and `revenue` that is an amount. */
function amountOf(event: EventRecord): Decimal | undefined {
  return toDecimal(event.properties.total) ?? toDecimal(event.properties.revenue);
}

/** Items of an order: each product's quantity (a whole number, or its text); 0 or below is none; a product with none, a fraction (2.5 kg) or anything else is one. */
function itemsOf(event: EventRecord): number {
  const products = event.properties.products;
  if (!Array.isArray(products)) return 0;
  let items = 0;
  for (const product of products) {
    const given = product && typeof product === "object" ? (product as { quantity?: unknown }).quantity : undefined;
    const quantity = typeof given === "string" && /^\s*-?\d+\s*$/.test(given) ? Number(given) : given;
    if (typeof quantity === "number" && Number.isSafeInteger(quantity)) items += Math.max(quantity, 0);
    // A negative quantity is no item; anything else that is not a whole number is one product line.
    else if (!(typeof quantity === "number" && quantity < 0)) items += 1;
  }
  return items;
}

/** An exact decimal: `units` / 10^`scale`. */
export interface Decimal {
  units: bigint;
  scale: number;
}

const zero: Decimal = { units: 0n, scale: 0 };

/** A money amount (a JSON number or a decimal string) exactly; undefined when it is not one. */
export function toDecimal(value: unknown): Decimal | undefined {
  const text =
    typeof value === "number" && Number.isFinite(value) ? numberToPlain(value) : typeof value === "string" ? value.trim() : undefined;
  const match = text?.match(/^(-?)(\d+)(?:\.(\d+))?$/);
  if (!match) return undefined;
  const fraction = match[3] ?? "";
  const units = BigInt(`${match[2]}${fraction}`);
  return { units: match[1] === "-" ? -units : units, scale: fraction.length };
}

function add(a: Decimal, b: Decimal): Decimal {
  const scale = Math.max(a.scale, b.scale);
  return { units: a.units * 10n ** BigInt(scale - a.scale) + b.units * 10n ** BigInt(scale - b.scale), scale };
}

function negate(a: Decimal): Decimal {
  return { units: -a.units, scale: a.scale };
}

/** { units: 12345n, scale: 2 } → "123.45": at least two decimals, no trailing zeros beyond them. */
export function formatDecimal({ units, scale }: Decimal): string {
  const negative = units < 0n;
  const digits = (negative ? -units : units).toString().padStart(scale + 1, "0");
  const whole = digits.slice(0, digits.length - scale);
  const fraction = digits
    .slice(digits.length - scale)
    .replace(/0+$/, "")
    .padEnd(2, "0");
  return `${negative ? "-" : ""}${whole}.${fraction}`;
}

/** A JSON number as the decimal it reads as: 19.99 as written; 1e21 and 1e-7 without an exponent. */
function numberToPlain(value: number): string {
  const text = String(value);
  if (!/e/i.test(text)) return text;
  if (Number.isInteger(value)) return BigInt(value).toString();
  // Only tiny numbers print with a negative exponent: 20 digits hold what a double says of them.
  return value.toFixed(20).replace(/0+$/, "");
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
