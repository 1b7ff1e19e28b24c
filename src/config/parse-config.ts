import { readFile } from 'node:fs/promises';
import { parseDocument } from 'yaml';
import type { z } from 'zod';
import { LlmFailoverError } from '../errors/index.js';
import { gatewayConfigSchema } from './config-schema.js';
import type { GatewayConfig } from './config-schema.js';
import { rememberKeyVariables } from './disabled-reason.js';
import { expandEnv } from './expand-env.js';

/** Options of {@link parseConfig}. */
export interface ParseConfigOptions {
  /** Where `${VAR}` references are looked up. Default `process.env`. */
  env?: NodeJS.ProcessEnv;
  /** Named at the start of every error message (usually the file path). Default `"config"`. */
  source?: string;
}

/**
 * Parses and validates config text (YAML; JSON is YAML too): YAML -> `${VAR}` expansion in
 * string values -> zod validation with defaults.
 * @throws LlmFailoverError `INVALID_CONFIG` whose message starts `<source>: <dotted.path>: <problem>`
 *   and whose `path` is the dotted path of the first bad field.
 */
export function parseConfig(text: string, options: ParseConfigOptions = {}): GatewayConfig {
  const source = options.source ?? 'config';
  const raw = parseYaml(text, source);
  const expanded = withoutExtensionKeys(expandEnv(raw ?? {}, options.env ?? process.env));
  const result = gatewayConfigSchema.safeParse(expanded);
  if (!result.success) throw configError(source, result.error.issues);
  rememberAllKeyVariables(result.data, raw);
  return result.data;
}

/**
 * Top-level `x-...` keys are the user's own (as in docker-compose): a place to define YAML anchors
 * shared by several backends. They are dropped before validation, which rejects any other
 * unknown key.
 */
function withoutExtensionKeys(tree: unknown): unknown {
  if (tree === null || typeof tree !== 'object' || Array.isArray(tree)) return tree;
  return Object.fromEntries(Object.entries(tree).filter(([key]) => !key.startsWith('x-')));
}

function rememberAllKeyVariables(config: GatewayConfig, raw: unknown): void {
  const rawBackends = (raw as { backends?: Record<string, { apiKey?: unknown } | null> }).backends;
  for (const [name, entry] of Object.entries(config.backends)) {
    rememberKeyVariables(entry, rawBackends?.[name]?.apiKey);
  }
}

/**
 * Reads, parses and validates a config file. See {@link parseConfig}.
 * @throws LlmFailoverError `INVALID_CONFIG` (also when the file cannot be read).
 */
export async function loadConfigFile(
  path: string,
  env: NodeJS.ProcessEnv = process.env,
): Promise<GatewayConfig> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    const reason =
      (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'file not found' : 'unreadable';
    throw new LlmFailoverError('INVALID_CONFIG', `${path}: ${reason}`, { cause: err });
  }
  return parseConfig(text, { env, source: path });
}

function parseYaml(text: string, source: string): unknown {
  // Merge keys (`<<: *defaults`) let backends share option blocks.
  const doc = parseDocument(text, { merge: true });
  const first = doc.errors[0];
  if (first !== undefined) {
    const pos = first.linePos?.[0];
    const where = pos === undefined ? '' : `:${pos.line}:${pos.col}`;
    // yaml's pretty message quotes the offending line, which could hold a key: keep only the
    // sentence naming the problem, and not the YAMLParseError as `cause` either (toJSON() and
    // pino's err serializer would print its message, quoted line included).
    const problem = (first.message.split(/ at line \d+|\n/)[0] ?? '').trim() || 'invalid YAML';
    throw new LlmFailoverError('INVALID_CONFIG', `${source}${where}: invalid YAML: ${problem}`);
  }
  return doc.toJS();
}

/** The dotted path of an issue; unknown keys are reported at the key itself. */
function issuePath(issue: z.core.$ZodIssue): string {
  const parts = issue.path.map((part) => String(part));
  if (issue.code === 'unrecognized_keys' && issue.keys.length > 0) parts.push(issue.keys[0] ?? '');
  return parts.length === 0 ? '(root)' : parts.join('.');
}

function issueMessage(issue: z.core.$ZodIssue): string {
  if (issue.code === 'unrecognized_keys') {
    return issue.keys.length > 1
      ? `unknown keys ${issue.keys.map((k) => `"${k}"`).join(', ')} (typo?)`
      : 'unknown key (typo?)';
  }
  return issue.message;
}

function configError(source: string, issues: readonly z.core.$ZodIssue[]): LlmFailoverError {
  const lines = issues.map((issue) => `${source}: ${issuePath(issue)}: ${issueMessage(issue)}`);
  const first = issues[0];
  return new LlmFailoverError('INVALID_CONFIG', lines.join('\n'), {
    ...(first === undefined ? {} : { path: issuePath(first) }),
  });
}
