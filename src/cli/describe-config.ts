// Direct module imports, not config/index: check-config must not load the backends and their
// HTTP stack just to print a summary.
import { DEFAULT_ANTHROPIC_BASE_URL, MOCK_BASE_URL } from '../config/config-schema.js';
import type { BackendConfig, GatewayConfig, RouteEntry } from '../config/config-schema.js';
import { backendDisabledReason } from '../config/disabled-reason.js';

/**
 * A human summary of a valid config for `check-config`: listen address, each backend (type,
 * where it points, disabled or not) and each route's chain after disabled backends are removed.
 * Never prints a key: only whether one is set.
 */
export function describeConfig(config: GatewayConfig): string {
  const { host, port, apiKeys } = config.server;
  const lines = [`server: http://${host}:${port} (gateway keys: ${apiKeys.length || 'none'})`];
  lines.push('backends:');
  const enabled = new Set<string>();
  for (const [name, entry] of Object.entries(config.backends)) {
    const reason = backendDisabledReason(entry);
    if (reason === undefined) enabled.add(name);
    const state = reason === undefined ? describeKey(entry) : `DISABLED: ${reason}`;
    lines.push(`  ${name}: ${describeTarget(entry)} (${state})`);
  }
  lines.push('routes:');
  for (const route of config.routes) lines.push(`  ${describeRoute(route, enabled)}`);
  if (config.routes.length === 0) lines.push('  (none: every request gets 404)');
  return lines.join('\n');
}

function describeTarget(entry: BackendConfig): string {
  switch (entry.type) {
    case 'mock':
      return `mock, ${entry.protocol ?? 'openai'} protocol${entry.faults ? `, ${entry.faults.length} scripted faults` : ''}`;
    case 'openai':
    case 'anthropic': {
      const url =
        entry.baseUrl ??
        (entry.type === 'openai' ? `preset ${entry.preset}` : DEFAULT_ANTHROPIC_BASE_URL);
      return url === MOCK_BASE_URL ? `${entry.type} -> built-in mock` : `${entry.type} -> ${url}`;
    }
  }
}

function describeKey(entry: BackendConfig): string {
  if (entry.type === 'mock' || entry.apiKey === undefined) return 'no key';
  return 'key set';
}

function describeRoute(route: RouteEntry, enabled: ReadonlySet<string>): string {
  const match = typeof route.match === 'string' ? route.match : `/${route.match.regex}/`;
  const priority = route.priority === undefined ? '' : ` [priority ${route.priority}]`;
  const chain = route.targets
    .filter((target) => enabled.has(target.backend))
    .map((target) =>
      target.model === undefined ? target.backend : `${target.backend} as ${target.model}`,
    );
  const dropped = chain.length === 0 ? ' (no enabled backend: answered 400 naming why)' : '';
  return `${match}${priority} -> ${chain.join(', ') || '(nothing)'}${dropped}`;
}
