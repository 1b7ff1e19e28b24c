// The layer table of src/ (docs/architecture.md) and the ESLint config objects generated from it.
//
// Built-in `no-restricted-imports` is enough: one config object per (folder, depth below src/)
// whose single `regex` pattern matches any import that climbs to src/ and then enters a folder
// the importing folder may not use. Matching on the specifier text (not a resolved path) is
// exact because the depth of the importing file is known: from src/<f>/x.ts exactly one `../`
// reaches src/, from src/<f>/<sub>/x.ts exactly two. No plugin needed.
//
// Flat config does not merge rule options: a file must match exactly ONE of these objects, so
// the objects are disjoint by construction (depth-specific globs, allowlisted files ignored in
// the general object). Nothing else in eslint.config.js may set `no-restricted-imports` on src/.
//
// Not covered: dynamic `import()` (the built-in rule does not look at it; today the only one in
// src/ is cli -> server/start-server.ts, allowed by the table) and `import type` of another folder via `typeof import()`.

/**
 * One row per folder of src/, bottom to top. `mayImport` lists what the folder may import
 * directly, as in the style guide; what those may import is allowed too (transitively).
 */
export const LAYERS = [
  { folder: 'errors', mayImport: [] },
  { folder: 'time', mayImport: ['errors'] },
  { folder: 'resilience', mayImport: ['errors', 'time'] },
  { folder: 'sse', mayImport: ['errors'] },
  // State that one process or a fleet shares: stored responses, breaker/health/budget stores.
  { folder: 'state', mayImport: ['errors', 'time', 'resilience'] },
  // protocols/<name>/ may also use the shared files at protocols/ root, never a sibling protocol.
  { folder: 'protocols', mayImport: ['errors', 'sse'] },
  // No protocols: a protocol codec is handed to the client, not imported by it.
  { folder: 'http', mayImport: ['errors', 'time', 'resilience', 'sse'] },
  // Pure mappings: no http, backends, time or resilience.
  { folder: 'translate', mayImport: ['protocols'] },
  // Includes backends/mock/ (the built-in mock upstream used by config's `type: mock`).
  { folder: 'backends', mayImport: ['http', 'protocols', 'translate'] },
  { folder: 'routing', mayImport: ['backends', 'resilience', 'protocols', 'state'] },
  { folder: 'gateway', mayImport: ['routing', 'protocols'] },
  // The style guide's row "config/, cli/, server/: all above", ordered inside the row so that no
  // two of them import each other: config < server (composition root) < cli (the command).
  { folder: 'config', mayImport: ['gateway'] },
  { folder: 'server', mayImport: ['config', 'gateway'] },
  { folder: 'cli', mayImport: ['server', 'config', 'gateway'] },
  { folder: 'testing', mayImport: ['cli', 'server', 'config', 'gateway'] },
];

/**
 * Files directly in src/ (the core `llm-failover` entry): routing/ and everything below it, never
 * gateway/, config/, server/ (they load pino, prom-client, yaml: `llm-failover/server`) nor
 * testing/ (`llm-failover/testing`).
 */
export const ROOT_MAY_IMPORT = ['routing'];

/**
 * TEMPORARY exceptions, one per (file, folder) that today's code imports against the table.
 * Each must name why and when it goes away. A test fails when an entry is no longer needed,
 * so delete it then (test/lint/import-layers.test.ts). None today.
 */
export const ALLOWLIST = [];

/** Deepest file below src/ the generated globs cover (src/a/b/c/d/e/f.ts is depth 5). */
const MAX_DEPTH = 6;
const EXTENSIONS = '{ts,mts,cts,js,mjs}';

const byFolder = new Map(LAYERS.map((row) => [row.folder, row]));

/** Folders `folder` may import: its own list and, transitively, theirs. */
export function allowedImports(folder) {
  const start = folder === '' ? ROOT_MAY_IMPORT : byFolder.get(folder)?.mayImport;
  if (!start) throw new Error(`import-layers: no row for src/${folder}/`);
  const seen = new Set();
  const todo = [...start];
  while (todo.length > 0) {
    const next = todo.pop();
    if (seen.has(next)) continue;
    const row = byFolder.get(next);
    if (!row) throw new Error(`import-layers: src/${folder}/ lists unknown folder ${next}`);
    seen.add(next);
    todo.push(...row.mayImport);
  }
  return [...seen].sort();
}

const escape = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const up = (depth) => (depth === 0 ? '\\./' : `(?:\\.\\./){${depth}}`);

/** The no-restricted-imports patterns for a file `depth` folders below src/ in `folder`. */
function patternsFor(folder, depth, extra) {
  const allowed = [...new Set([...allowedImports(folder), ...extra, ...(folder ? [folder] : [])])];
  const names = allowed.map(escape).join('|');
  // After climbing exactly to src/: anything but an allowed folder (another folder, a root file
  // such as the entry index.ts) is reported; a further `../` leaves src/ and is not our business.
  const stay = names ? `(?:${names})(?:/|$)|` : '';
  const where = folder ? `src/${folder}/` : 'src/ root files';
  const patterns = [
    {
      regex: `^${up(depth)}(?!${stay}\\.\\.(?:/|$))`,
      message: `${where} may import only ${allowed.filter((f) => f !== folder).join(', ') || 'nothing'} from other folders of src/ (layer table: docs/architecture.md).`,
    },
  ];
  if (folder === 'protocols' && depth >= 2) {
    // A file in protocols/<name>/ reaches a sibling protocol either one level less up than
    // src/ (../other/) or through src/ (../../protocols/other/).
    patterns.push({
      regex: `^(?:${up(depth - 1)}[^./][^/]*/|${up(depth)}protocols/[^/]+/)`,
      message:
        'protocols/<name>/ must not import another protocol: sibling protocols are independent; share through a file at protocols/ root (docs/architecture.md).',
    });
  }
  return patterns;
}

function globFor(folder, depth) {
  const dirs = folder ? [folder, ...Array(depth - 1).fill('*')] : [];
  return ['src', ...dirs, `*.${EXTENSIONS}`].join('/');
}

function depthOf(file) {
  return file.split('/').length - 2;
}

function folderOf(file) {
  const parts = file.split('/');
  return parts.length > 2 ? parts[1] : '';
}

/**
 * Flat-config objects enforcing the table on src/, one per (folder, depth), plus one per
 * allowlisted file. `allowlist` is injectable so the test can lint without the exceptions.
 */
export function importLayerConfigs({ allowlist = ALLOWLIST } = {}) {
  const configs = [];
  const excepted = new Map();
  for (const entry of allowlist) {
    excepted.set(entry.file, [...(excepted.get(entry.file) ?? []), entry.folder]);
  }
  const rule = (patterns) => ({ 'no-restricted-imports': ['error', { patterns }] });
  for (const folder of ['', ...LAYERS.map((row) => row.folder)]) {
    for (let depth = folder ? 1 : 0; depth <= (folder ? MAX_DEPTH : 0); depth += 1) {
      const glob = globFor(folder, depth);
      const ignores = [...excepted.keys()].filter(
        (file) => folderOf(file) === folder && depthOf(file) === depth,
      );
      configs.push({
        name: `import-layers/${folder || '(root)'}/depth-${depth}`,
        files: [glob],
        ...(ignores.length > 0 ? { ignores } : {}),
        rules: rule(patternsFor(folder, depth, [])),
      });
    }
  }
  for (const [file, folders] of excepted) {
    configs.push({
      name: `import-layers/allowlist/${file}`,
      files: [file],
      rules: rule(patternsFor(folderOf(file), depthOf(file), folders)),
    });
  }
  return configs;
}
