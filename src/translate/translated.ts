import { LlmFailoverError } from '../errors/index.js';

/** Options of the request translators. */
export interface TranslateOptions {
  /** `max_tokens` sent to Anthropic when the OpenAI request gives none (Anthropic requires it). Default 4096. */
  defaultMaxTokens?: number;
  /**
   * Which OpenAI field carries Anthropic's `max_tokens` (towards OpenAI). Default `max_tokens`, what
   * local servers read; OpenAI's reasoning models want `max_completion_tokens`.
   */
  openAIMaxTokensField?: 'max_tokens' | 'max_completion_tokens';
  /**
   * Towards OpenAI: keep llm-failover's own round-trip fields on messages (`is_error` on tool
   * messages, `reasoning_signature` on assistant messages). Default true, so a translation back
   * loses nothing; backends turn it off, since strict servers (OpenAI, older vLLM) answer 400 to
   * message fields they do not know.
   */
  roundTripFields?: boolean;
}

/** A translated document plus what the caller should be told about it (e.g. a clamped temperature). */
export interface Translated<T> {
  value: T;
  /** Human-readable notes, e.g. `temperature 1.7 clamped to 1`; empty when nothing was changed. */
  notes: string[];
}

/** Default `max_tokens` towards Anthropic. */
export const DEFAULT_MAX_TOKENS = 4096;

/** 400 TRANSLATION_UNSUPPORTED: the target protocol cannot say what the caller asked for. */
export function unsupported(path: string, what: string, target: string): LlmFailoverError {
  return new LlmFailoverError(
    'TRANSLATION_UNSUPPORTED',
    `${path}: ${what} cannot be expressed in ${target}`,
    {
      status: 400,
      path,
    },
  );
}

/** 400 INVALID_REQUEST naming the bad field (e.g. tool-call arguments that are not JSON). */
export function invalidField(path: string, problem: string): LlmFailoverError {
  return new LlmFailoverError('INVALID_REQUEST', `invalid request: ${path}: ${problem}`, {
    status: 400,
    path,
  });
}

/** A plain object (JSON object), not an array or null. */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** How a request translator treats top-level fields it does not map itself. */
export interface FieldPolicy {
  /** Fields the translator maps. */
  mapped: ReadonlySet<string>;
  /** Fields dropped without a note (bookkeeping, hints). */
  silent: ReadonlySet<string>;
  /** Fields that say nothing at these values (e.g. `n: 1`): dropped without a note. */
  defaults?: Readonly<Record<string, (value: unknown) => boolean>>;
  /** Fields the target cannot express, with what they ask for: refused. */
  unsupported: Readonly<Record<string, string>>;
}

/**
 * The top-level fields of `req` that `target` has no equivalent for, to be dropped with a note
 * (null and undefined values count as absent). The tables are read by own key only: a caller's
 * field named `toString` or `constructor` is an unknown field, not a prototype member.
 * @throws LlmFailoverError TRANSLATION_UNSUPPORTED (400) for a field `policy.unsupported` names.
 */
export function unmappedFields(
  req: Record<string, unknown>,
  policy: FieldPolicy,
  target: string,
): string[] {
  const dropped: string[] = [];
  for (const [key, value] of Object.entries(req)) {
    if (policy.mapped.has(key) || policy.silent.has(key)) continue;
    if (value === null || value === undefined) continue;
    const defaults = policy.defaults;
    if (defaults !== undefined && Object.hasOwn(defaults, key) && defaults[key]!(value)) continue;
    if (Object.hasOwn(policy.unsupported, key)) {
      throw unsupported(key, policy.unsupported[key]!, target);
    }
    dropped.push(key);
  }
  return dropped;
}

/** A caller's `type` (or role) value for a message: the string, bounded, else its JSON type. */
export function kindOf(value: unknown): string {
  if (typeof value === 'string') return value.slice(0, 40);
  return value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value;
}
