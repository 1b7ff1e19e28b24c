// Runs the Codex CLI once, headless (`codex exec --json`), against a gateway on 127.0.0.1 with a
// scratch HOME, CODEX_HOME and working directory, and reads its JSONL events. Used by
// bench/codex-check.ts.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { scratchDir, spawnCli } from '../cli-check/harness.js';
import type { CliRun } from '../cli-check/harness.js';

/** The environment variable the provider entry names in `env_key`. */
export const KEY_ENV = 'LLM_FAILOVER_API_KEY';
/** The model Codex asks for: a route name of the gateway, unknown to Codex. */
export const CODEX_MODEL = 'gw-model';

/**
 * config.toml: a custom provider speaking the Responses API to the gateway, no retries (a failure
 * shows at once), no update check, analytics, feedback or OpenTelemetry export, commands run
 * without asking in the workspace-write sandbox (the scratch working directory), no network.
 */
export function codexConfig(baseUrl: string): string {
  return [
    `model = "${CODEX_MODEL}"`,
    `model_provider = "llm-failover"`,
    `approval_policy = "never"`,
    `sandbox_mode = "workspace-write"`,
    `check_for_update_on_startup = false`,
    ``,
    `[model_providers.llm-failover]`,
    `name = "llm-failover gateway"`,
    `base_url = "${baseUrl}/v1"`,
    `wire_api = "responses"`,
    `env_key = "${KEY_ENV}"`,
    `request_max_retries = 0`,
    `stream_max_retries = 0`,
    ``,
    `[sandbox_workspace_write]`,
    `network_access = false`,
    ``,
    `[analytics]`,
    `enabled = false`,
    ``,
    `[feedback]`,
    `enabled = false`,
    ``,
    `[otel]`,
    `exporter = "none"`,
    ``,
  ].join('\n');
}

/** What one run printed and did. */
export interface CodexRun extends CliRun {
  /** The scratch working directory the commands ran in. */
  workDir: string;
  /** Removes the scratch HOME, CODEX_HOME and working directory. */
  cleanup: () => void;
  events: Record<string, unknown>[];
}

/**
 * Runs `codex exec --json <prompt>` with a fresh CODEX_HOME holding `codexConfig(baseUrl)`.
 * Proxy variables point at a closed loopback port with NO_PROXY for loopback, so anything the CLI
 * tries to reach besides the gateway fails instead of leaving the machine.
 */
export async function runCodex(
  cli: string,
  baseUrl: string,
  key: string,
  prompt: string,
): Promise<CodexRun> {
  const { root, cleanup } = scratchDir('codex-check-', ['home', 'codex-home', 'work']);
  const home = join(root, 'home');
  const codexHome = join(root, 'codex-home');
  const workDir = join(root, 'work');
  writeFileSync(join(codexHome, 'config.toml'), codexConfig(baseUrl));
  const noProxy = 'http://127.0.0.1:9';
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: home,
    CODEX_HOME: codexHome,
    [KEY_ENV]: key,
    HTTP_PROXY: noProxy,
    HTTPS_PROXY: noProxy,
    ALL_PROXY: noProxy,
    NO_PROXY: '127.0.0.1,localhost',
  };
  const args = ['exec', '--json', '--strict-config', '--skip-git-repo-check', '--ephemeral'];
  args.push('-C', workDir, prompt);
  const run = await spawnCli(cli, args, env, workDir);
  return { ...run, workDir, cleanup, events: parseEvents(run.stdout) };
}

/** The JSONL events; lines that are not JSON objects are skipped. */
function parseEvents(stdout: string): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  for (const line of stdout.split('\n')) {
    if (!line.startsWith('{')) continue;
    try {
      out.push(JSON.parse(line) as Record<string, unknown>);
    } catch {
      // a partial line from a killed run
    }
  }
  return out;
}

/** The completed items of one kind (`agent_message`, `command_execution`, `error`). */
export function itemsOf(run: CodexRun, type: string): Record<string, unknown>[] {
  return run.events
    .filter((e) => e.type === 'item.completed')
    .map((e) => e.item as Record<string, unknown>)
    .filter((item) => item.type === type);
}
