/**
 * Where a webhook handler remembers the deliveries it recorded, so a redelivery changes nothing.
 * The memory store is the default; a shared one (Redis, a table) lets several servers share it.
 */
export interface DeliveryStore {
  /** Whether the delivery was recorded (and has not expired). */
  has(id: string): boolean | Promise<boolean>;
  /** Remembers a delivery once it is recorded. */
  add(id: string): void | Promise<void>;
}

/** Options of {@link createMemoryDeliveryStore}. */
export interface MemoryDeliveryStoreOptions {
  /** How long a delivery is remembered, in ms. Default 48 h: longer than Shopify retries a delivery. */
  ttl?: number;
  /** Deliveries remembered at most; the oldest are forgotten first. Default 100,000. */
  maxEntries?: number;
  /** The clock, in ms (tests pass their own). Default `Date.now`. */
  now?: () => number;
}

/** A {@link DeliveryStore} in memory, with a time to live and a bound; no timers. */
export function createMemoryDeliveryStore(options: MemoryDeliveryStoreOptions = {}): DeliveryStore {
  const ttl = options.ttl ?? 48 * 3_600_000;
  const maxEntries = options.maxEntries ?? 100_000;
  const now = options.now ?? Date.now;
  // Insertion order is expiry order (one ttl for all), so expired entries are always at the front.
  const expiries = new Map<string, number>();
  const prune = (at: number) => {
    for (const [id, expiresAt] of expiries) {
      if (expiresAt > at && expiries.size <= maxEntries) break;
      expiries.delete(id);
    }
  };
  return {
    has(id) {
      const at = now();
      prune(at);
      const expiresAt = expiries.get(id);
      return expiresAt !== undefined && expiresAt > at;
    },
    add(id) {
      const at = now();
      expiries.delete(id);
      expiries.set(id, at + ttl);
      prune(at);
    },
  };
}
