/**
 * A protocol's one table between HTTP statuses and its error `type`s. Every place that needs
 * "which type goes with a 429" or "which status goes with `overloaded_error`" (the gateway's
 * error answers, the error-body translators, the mock upstream) reads the protocol's table.
 */
export interface ErrorTypeTable<T extends string = string> {
  /** The canonical pairs: the status maps to the type and the type back to the status. */
  readonly entries: readonly (readonly [status: number, type: T])[];
  /** The type for `status`: its entry, else an alias, else the 5xx or the other-status type. */
  typeForStatus(this: void, status: number): T;
  /** The status for `type`: its entry, else a tolerated upstream alias, else 500. */
  statusForType(this: void, type: string | null | undefined): number;
  /** True for a type of the canonical entries. */
  isKnownType(this: void, type: string): type is T;
}

/** How to build an {@link ErrorTypeTable}. */
export interface ErrorTypeTableSpec<T extends string> {
  entries: readonly (readonly [status: number, type: T])[];
  /** More statuses for an entry's type; its type maps back to the entry's status, not to these. */
  statusAliases?: Readonly<Record<number, T>>;
  /** Types upstreams send that we never produce, with their status (read, never written). */
  typeAliases?: Readonly<Record<string, number>>;
  /** Type of an unlisted 5xx. */
  serverType: T;
  /** Type of any other unlisted status. */
  otherType: T;
}

/**
 * Builds a table.
 * @throws Error when two entries share a status or a type (the table would not round-trip).
 */
export function createErrorTypeTable<T extends string>(
  spec: ErrorTypeTableSpec<T>,
): ErrorTypeTable<T> {
  const typeOf = new Map<number, T>();
  const statusOf = new Map<string, number>();
  for (const [status, type] of spec.entries) {
    if (typeOf.has(status) || statusOf.has(type)) {
      throw new Error(`error type table: ${status} ${type} is listed twice`);
    }
    typeOf.set(status, type);
    statusOf.set(type, status);
  }
  const known = new Set<string>(statusOf.keys());
  for (const [status, type] of Object.entries(spec.statusAliases ?? {})) {
    typeOf.set(Number(status), type);
  }
  for (const [type, status] of Object.entries(spec.typeAliases ?? {})) {
    if (!statusOf.has(type)) statusOf.set(type, status);
  }
  return {
    entries: spec.entries,
    typeForStatus: (status) =>
      typeOf.get(status) ?? (status >= 500 ? spec.serverType : spec.otherType),
    statusForType: (type) =>
      (type === null || type === undefined ? undefined : statusOf.get(type)) ?? 500,
    isKnownType: (type): type is T => known.has(type),
  };
}
