import type { Clock } from '../time/index.js';
import type { ResponseStore, StoredResponse } from './response-store.js';

/** Bounds of a {@link MemoryResponseStore}. */
export interface MemoryResponseStoreOptions {
  /** Most responses kept; the least recently used go first. Default 1000. */
  maxEntries?: number;
  /** Most bytes kept (JSON size of the stored values). Default 64 MiB. */
  maxBytes?: number;
  /** Monotonic time for the TTLs. */
  clock: Clock;
}

interface Entry {
  /** The value as JSON: its size is what the bound counts, and a reader gets its own copy. */
  readonly json: string;
  readonly bytes: number;
  readonly expiresAt: number;
}

/** Defaults of the embedded store (also the config's). */
export const DEFAULT_RESPONSE_STORE_LIMITS = Object.freeze({
  maxEntries: 1_000,
  maxBytes: 64 * 1024 * 1024,
  ttlSeconds: 3_600,
});

/**
 * The embedded {@link ResponseStore}: one process's memory, bounded by entries and bytes, each
 * entry kept at most its TTL (read from the injected clock, so tests move time by hand). A Map in
 * recency order gives LRU eviction: a read or write moves the entry to the end, eviction takes
 * from the front. Values are kept as JSON so the byte bound is exact and no caller can mutate
 * what another one reads later.
 */
export class MemoryResponseStore implements ResponseStore {
  readonly #entries = new Map<string, Entry>();
  readonly #clock: Clock;
  readonly #maxEntries: number;
  readonly #maxBytes: number;
  #bytes = 0;

  constructor(options: MemoryResponseStoreOptions) {
    this.#clock = options.clock;
    this.#maxEntries = options.maxEntries ?? DEFAULT_RESPONSE_STORE_LIMITS.maxEntries;
    this.#maxBytes = options.maxBytes ?? DEFAULT_RESPONSE_STORE_LIMITS.maxBytes;
  }

  /** Entries held now (expired ones not yet swept included). */
  get size(): number {
    return this.#entries.size;
  }

  /** Bytes held now. */
  get bytes(): number {
    return this.#bytes;
  }

  get(id: string): Promise<StoredResponse | undefined> {
    const entry = this.#entries.get(id);
    if (entry === undefined) return Promise.resolve(undefined);
    if (entry.expiresAt <= this.#clock.now()) {
      this.#remove(id, entry);
      return Promise.resolve(undefined);
    }
    // Recently used: to the back of the eviction order.
    this.#entries.delete(id);
    this.#entries.set(id, entry);
    return Promise.resolve(JSON.parse(entry.json) as StoredResponse);
  }

  put(id: string, value: StoredResponse, ttlMs: number): Promise<void> {
    const old = this.#entries.get(id);
    if (old !== undefined) this.#remove(id, old);
    const json = JSON.stringify(value);
    const bytes = Buffer.byteLength(json);
    // One value larger than the whole store is not kept (a later read misses, as after expiry).
    if (ttlMs <= 0 || bytes > this.#maxBytes) return Promise.resolve();
    this.#sweepExpired();
    this.#entries.set(id, { json, bytes, expiresAt: this.#clock.now() + ttlMs });
    this.#bytes += bytes;
    this.#evictOverBounds();
    return Promise.resolve();
  }

  delete(id: string): Promise<boolean> {
    const entry = this.#entries.get(id);
    if (entry === undefined) return Promise.resolve(false);
    this.#remove(id, entry);
    return Promise.resolve(entry.expiresAt > this.#clock.now());
  }

  close(): Promise<void> {
    this.#entries.clear();
    this.#bytes = 0;
    return Promise.resolve();
  }

  /** Drops expired entries from the front (the oldest writes), stopping at the first live one. */
  #sweepExpired(): void {
    const now = this.#clock.now();
    for (const [id, entry] of this.#entries) {
      if (entry.expiresAt > now) return;
      this.#remove(id, entry);
    }
  }

  /** Least recently used first, until both bounds hold. */
  #evictOverBounds(): void {
    for (const [id, entry] of this.#entries) {
      if (this.#entries.size <= this.#maxEntries && this.#bytes <= this.#maxBytes) return;
      this.#remove(id, entry);
    }
  }

  #remove(id: string, entry: Entry): void {
    this.#entries.delete(id);
    this.#bytes -= entry.bytes;
  }
}
