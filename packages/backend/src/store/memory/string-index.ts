/**
 * A map from strings to values for the store's largest indexes (a workspace's messageIds: one per
 * tracking message, never forgotten). With a million keys, a lookup in V8's `Map` costs several
 * cache misses (bucket, entry, then the key itself to compare), about half a microsecond; most
 * lookups here are for a new messageId, and this table answers those from one array of 32-bit
 * hashes: open addressing with linear probing, the key compared only when its hash matches.
 * Keys are never removed (a value may be set to null).
 */
export class StringIndex<V> {
  /** Power of two, at least twice the number of keys. */
  private capacity = 1024;
  /** Per slot: 1 + the entry's position in `keys`, or 0 for an empty slot. */
  private slots = new Int32Array(this.capacity);
  /** Per slot: the key's hash (never 0). */
  private hashes = new Int32Array(this.capacity);
  private readonly keys: string[] = [];
  private readonly values: V[] = [];

  get size(): number {
    return this.keys.length;
  }

  has(key: string): boolean {
    return this.entryOf(key, hashOf(key)) !== -1;
  }

  get(key: string): V | undefined {
    const entry = this.entryOf(key, hashOf(key));
    return entry === -1 ? undefined : this.values[entry];
  }

  set(key: string, value: V): void {
    const hash = hashOf(key);
    const entry = this.entryOf(key, hash);
    if (entry !== -1) {
      this.values[entry] = value;
      return;
    }
    if ((this.keys.length + 1) * 2 > this.capacity) this.grow();
    this.keys.push(key);
    this.values.push(value);
    this.place(hash, this.keys.length);
  }

  /** The entry's position in `keys`, or -1. */
  private entryOf(key: string, hash: number): number {
    const mask = this.capacity - 1;
    for (let slot = hash & mask; ; slot = (slot + 1) & mask) {
      const entry = this.slots[slot] as number;
      if (entry === 0) return -1;
      if (this.hashes[slot] === hash && this.keys[entry - 1] === key) return entry - 1;
    }
  }

  private place(hash: number, entry: number): void {
    const mask = this.capacity - 1;
    let slot = hash & mask;
    while (this.slots[slot] !== 0) slot = (slot + 1) & mask;
    this.slots[slot] = entry;
    this.hashes[slot] = hash;
  }

  private grow(): void {
    const { slots, hashes } = this;
    this.capacity *= 2;
    this.slots = new Int32Array(this.capacity);
    this.hashes = new Int32Array(this.capacity);
    for (let slot = 0; slot < slots.length; slot++) {
      const entry = slots[slot] as number;
      if (entry !== 0) this.place(hashes[slot] as number, entry);
    }
  }
}

/** FNV-1a over the UTF-16 units, never 0 (0 marks an empty slot's hash). */
function hashOf(key: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) hash = Math.imul(hash ^ key.charCodeAt(i), 0x01000193);
  return hash | 1;
}
