import type { RedisConnection } from './redis-connection.js';
import type { ResponseStore, StoredResponse } from './response-store.js';

/**
 * Stored responses of the Responses API in Redis, so a fleet shares them: one key per response
 * with its expiry, as JSON. While Redis is unreachable a `get` misses (the caller answers 400
 * naming the id) and a `put` is dropped; with `fallback` (e.g. the in-memory store) both go to
 * it instead, so an instance still continues its own conversations.
 */
export class RedisResponseStore implements ResponseStore {
  constructor(
    private readonly connection: RedisConnection,
    private readonly prefix: string,
    private readonly fallback?: ResponseStore,
  ) {}

  async get(id: string): Promise<StoredResponse | undefined> {
    const text = await this.connection.run((r) => r.get(this.prefix + id));
    if (text === undefined) return this.fallback?.get(id);
    return text === null ? undefined : (JSON.parse(text) as StoredResponse);
  }

  async put(id: string, value: StoredResponse, ttlMs: number): Promise<void> {
    const ttl = Math.max(1, Math.ceil(ttlMs));
    const done = await this.connection.run((r) =>
      r.set(this.prefix + id, JSON.stringify(value), 'PX', ttl),
    );
    if (done === undefined) await this.fallback?.put(id, value, ttlMs);
  }

  async delete(id: string): Promise<boolean> {
    const [removed, local] = await Promise.all([
      this.connection.run((r) => r.del(this.prefix + id)),
      this.fallback?.delete(id),
    ]);
    return (removed ?? 0) > 0 || local === true;
  }

  /** The connection belongs to the state store, which closes it. */
  close(): Promise<void> {
    return this.fallback?.close() ?? Promise.resolve();
  }
}
