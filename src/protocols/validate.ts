import type { z } from 'zod';
import { LlmFailoverError } from '../errors/index.js';
import type { ErrorCode } from '../errors/index.js';
import { zod } from './lazy-schema.js';

type Issue = z.core.$ZodIssue;
type Key = PropertyKey;

/** Where a failed parse points: the dotted path of the bad field and what is wrong with it. */
export interface ValidationProblem {
  path: string;
  problem: string;
}

/**
 * An "open" tagged union: objects whose `type` is one of the known tags are validated by their
 * option (fast map lookup); any other `type` string is accepted as-is (providers add block and
 * part types all the time, and a same-protocol route must forward them untouched). Call it inside
 * a `lazySchema` build (it needs zod loaded).
 */
export function openTaggedUnion<
  const Options extends readonly [z.core.$ZodTypeDiscriminable, ...z.core.$ZodTypeDiscriminable[]],
>(options: Options, knownTypes: readonly string[]) {
  const z = zod();
  const known = new Set(knownTypes);
  const other = z.looseObject({
    type: z.string().refine((t) => !known.has(t), { message: 'known type', abort: true }),
  });
  return z.union([z.discriminatedUnion('type', options), other]);
}

const dotted = (path: readonly Key[]): string => path.map(String).join('.');

function valueAt(root: unknown, path: readonly Key[]): unknown {
  let at: unknown = root;
  for (const key of path) {
    if (at === null || typeof at !== 'object') return undefined;
    at = (at as Record<Key, unknown>)[key];
  }
  return at;
}

function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

const longestPath = (branch: readonly Issue[]): number =>
  Math.max(...branch.map((i) => i.path.length));

/**
 * How far a branch got; at equal depth a plain issue beats a nested union's, so an open tagged
 * union whose `type` is missing or not a string says so rather than listing the known tags
 * (any other string would have passed).
 */
const reach = (branch: readonly Issue[]): number =>
  longestPath(branch) * 2 + (branch[0]?.code === 'invalid_union' ? 0 : 1);

/**
 * Picks the issue to report from a failed union: the branch the value was meant for (it failed
 * below the top, and not at its `type` tag), else the branch that got furthest, else a summary of
 * the shapes that were expected.
 */
function fromUnion(
  issue: Extract<Issue, { code: 'invalid_union' }>,
  root: unknown,
  at: readonly Key[],
): ValidationProblem {
  const wrongShape = (branch: readonly Issue[]): boolean =>
    branch.some(
      (i) => i.path.length === 0 && (i.code === 'invalid_type' || i.code === 'invalid_value'),
    );
  const candidates = issue.errors.filter((branch) => branch.length > 0 && !wrongShape(branch));
  const meant = candidates.filter((branch) => !branch.some((i) => i.path[0] === 'type'));
  const pick =
    meant.length === 1 ? meant[0] : [...candidates].sort((a, b) => reach(b) - reach(a))[0];
  const first = pick?.[0];
  if (first !== undefined) return describe(first, root, at);
  const tags = 'options' in issue ? issue.options : undefined;
  if (tags !== undefined && tags.length > 0) {
    return { path: dotted(at), problem: `expected one of ${tags.map(String).join('|')}` };
  }
  const expected = issue.errors.flat().flatMap((i) => {
    if (i.path.length > 0) return [];
    if (i.code === 'invalid_type') return [i.expected];
    return i.code === 'invalid_value' ? i.values.map(String) : [];
  });
  const got = typeName(valueAt(root, at));
  const what = expected.length > 0 ? [...new Set(expected)].join('|') : 'a different value';
  return { path: dotted(at), problem: `expected ${what}, got ${got}` };
}

function describe(issue: Issue, root: unknown, base: readonly Key[] = []): ValidationProblem {
  const at = [...base, ...issue.path];
  if (issue.code === 'invalid_union') return fromUnion(issue, root, at);
  if (issue.code === 'invalid_value') {
    return { path: dotted(at), problem: `expected one of ${issue.values.map(String).join('|')}` };
  }
  if (issue.code === 'invalid_type') {
    const got = valueAt(root, at);
    return {
      path: dotted(at),
      problem:
        got === undefined
          ? `required (expected ${issue.expected})`
          : `expected ${issue.expected}, got ${typeName(got)}`,
    };
  }
  return { path: dotted(at), problem: issue.message };
}

/** The first problem of a failed parse, as a dotted path and a short sentence. */
export function describeZodError(error: z.ZodError, input: unknown): ValidationProblem {
  const first = error.issues[0];
  if (first === undefined) return { path: '', problem: 'invalid' };
  return describe(first, input);
}

/** What to throw when a parse fails: 400 INVALID_REQUEST for callers, 502 for upstream answers. */
export interface ParseFailure {
  /** Names the document in the message, e.g. "OpenAI chat request". */
  what: string;
  code?: ErrorCode;
  status?: number;
}

/**
 * Parses `body` with `schema`. Throws LlmFailoverError (default INVALID_REQUEST, status 400) whose
 * message names the dotted path of the first bad field and the problem, e.g.
 * `invalid OpenAI chat request: messages.1.role: expected one of system|developer|user|assistant|tool|function`.
 */
export function parseOrThrow<S extends z.ZodType>(
  schema: S,
  body: unknown,
  failure: ParseFailure,
): z.output<S> {
  const result = schema.safeParse(body);
  if (result.success) return result.data;
  const { path, problem } = describeZodError(result.error, body);
  const where = path === '' ? '(root)' : path;
  throw new LlmFailoverError(
    failure.code ?? 'INVALID_REQUEST',
    `invalid ${failure.what}: ${where}: ${problem}`,
    { status: failure.status ?? 400, path },
  );
}
