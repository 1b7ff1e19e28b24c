import { createRequire } from 'node:module';
import type { z } from 'zod';

// Why lazy: loading zod (~100 files) and building ~60 schemas cost more than the rest of the core
// entry together, and `import('llm-failover')` must stay cheap for someone who only wants the
// circuit breaker (issue 7: core import under 100 ms). So zod is loaded, and each schema built,
// on the first parse that needs it. zod 4 ships CommonJS, so `require` loads it synchronously and
// the parse functions stay synchronous; the types still come from `import type`.

/** The `z` namespace of zod. */
export type Zod = typeof z;

/** A schema getter made by {@link lazySchema}. */
export type SchemaGetter<S extends z.ZodType = z.ZodType> = () => S;

/** The parsed type of a schema getter's schema. */
export type Infer<G extends SchemaGetter> = z.infer<ReturnType<G>>;

let loaded: Zod | undefined;

/** zod's `z`, loaded on the first call. */
export function zod(): Zod {
  loaded ??= (createRequire(import.meta.url)('zod') as { z: Zod }).z;
  return loaded;
}

/**
 * A getter that builds the schema on its first call (loading zod then) and returns the same
 * instance afterwards. A schema built from others calls their getters inside `build`, so nothing
 * is built at module load.
 */
export function lazySchema<S extends z.ZodType>(build: (z: Zod) => S): SchemaGetter<S> {
  let schema: S | undefined;
  return () => (schema ??= build(zod()));
}
