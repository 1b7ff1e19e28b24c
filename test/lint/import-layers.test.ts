import { ESLint } from 'eslint';
import tseslint from 'typescript-eslint';
import { describe, expect, it } from 'vitest';
import { importLayerConfigs } from '../../eslint/import-layers.js';

function linter(): ESLint {
  return new ESLint({
    cwd: process.cwd(),
    overrideConfigFile: true,
    overrideConfig: [
      { files: ['**/*.ts'], languageOptions: { parser: tseslint.parser } },
      ...importLayerConfigs(),
    ],
  });
}

async function reports(code: string, filePath: string): Promise<number> {
  const [result] = await linter().lintText(code, { filePath });
  return result!.messages.filter((m) => m.ruleId === 'no-restricted-imports').length;
}

describe('import layer rule', () => {
  it('reports an upward import from translate/ into backends/', async () => {
    expect(await reports("import { x } from '../backends/index.js';\n", 'src/translate/f.ts')).toBe(
      1,
    );
  });
  it('accepts a downward import from routing/ into backends/ and transitively time/', async () => {
    const code =
      "import { x } from '../backends/index.js';\nimport { y } from '../time/index.js';\n";
    expect(await reports(code, 'src/routing/f.ts')).toBe(0);
  });
  it('reports a sibling protocol import and accepts the shared root file', async () => {
    const file = 'src/protocols/openai-chat/f.ts';
    expect(await reports("import { x } from '../anthropic-messages/index.js';\n", file)).toBe(1);
    expect(await reports("import { x } from '../validate.js';\n", file)).toBe(0);
  });
});
