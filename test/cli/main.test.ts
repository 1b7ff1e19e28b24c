import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main, packageVersion } from '../../src/cli/main.js';

async function runMain(argv: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, {
    stdout: (text) => void (stdout += text),
    stderr: (text) => void (stderr += text),
  });
  return { code, stdout, stderr };
}

describe('llm-failover main()', () => {
  it('prints the usage with --help, -h, help and no command, exiting 0', async () => {
    for (const argv of [['--help'], ['-h'], ['help'], []]) {
      const result = await runMain(argv);
      expect(result.code).toBe(0);
      expect(result.stdout).toContain('Usage: llm-failover <command>');
      expect(result.stdout).toContain('check-config F');
    }
  });

  it('prints the version from package.json with -v', async () => {
    expect(await runMain(['-v'])).toMatchObject({ code: 0, stdout: `${packageVersion()}\n` });
    expect(packageVersion()).toMatch(/^\d+\.\d+\.\d+/);
  });

  it('exits 2 on an unknown command or option, with the usage on stderr', async () => {
    const command = await runMain(['serv']);
    expect(command.code).toBe(2);
    expect(command.stderr).toContain('unknown command "serv"');
    const option = await runMain(['serve', '--prot', '1']);
    expect(option.code).toBe(2);
    expect(option.stderr).toContain("Unknown option '--prot'");
  });

  it('exits 2 when check-config has no file and when --port is not a port', async () => {
    expect((await runMain(['check-config'])).code).toBe(2);
    const port = await runMain(['serve', '--port', '99999']);
    expect(port).toMatchObject({ code: 2 });
    expect(port.stderr).toContain('--port must be an integer 0-65535');
    // Number() reads these as 0 (a random port), 1000 and 16: each must be refused, not served.
    for (const bad of ['', ' ', '1e3', '0x10']) {
      expect(await runMain(['serve', '--port', bad])).toMatchObject({ code: 2 });
    }
  });

  it('check-config exits 1 naming the file and the unknown key', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'llm-failover-cli-'));
    const file = join(dir, 'typo.yaml');
    await writeFile(file, 'server: { prot: 4000 }\nbackends: {}\n');
    const result = await runMain(['check-config', file]);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(`${file}: server.prot: unknown key (typo?)\n`);
  });

  it('check-config summarises routes after removing disabled backends, never printing a key', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'llm-failover-cli-'));
    const file = join(dir, 'ok.yaml');
    await writeFile(
      file,
      [
        'backends:',
        '  local: { type: mock }',
        '  cloud: { type: openai, baseUrl: "https://api.openai.com/v1", apiKey: "${NO_SUCH_KEY_VAR}" }',
        '  other: { type: anthropic, apiKey: "literal-secret-key-123" }',
        'routes:',
        '  - { match: "gpt-*", targets: [{ backend: cloud }] }',
        '  - { match: "*", targets: [{ backend: local }, { backend: cloud }, { backend: other, model: m }] }',
      ].join('\n'),
    );
    const result = await runMain(['check-config', file]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('cloud: openai -> https://api.openai.com/v1 (DISABLED');
    expect(result.stdout).toContain('NO_SUCH_KEY_VAR is unset');
    expect(result.stdout).toContain(
      'gpt-* -> (nothing) (no enabled backend: answered 400 naming why)',
    );
    expect(result.stdout).toContain('* -> local, other as m');
    expect(result.stdout).toContain('other: anthropic -> https://api.anthropic.com (key set)');
    expect(result.stdout).not.toContain('literal-secret');
  });

  it('exits 2 when --workers is not 1-256 or auto, and when reload has no pid', async () => {
    for (const workers of ['0', '257', 'two', '']) {
      const result = await runMain(['serve', '--workers', workers]);
      expect(result.code).toBe(2);
      expect(result.stderr).toContain('--workers must be an integer 1-256 or "auto"');
    }
    expect(await runMain(['reload'])).toMatchObject({ code: 2 });
    expect((await runMain(['reload', 'abc'])).stderr).toContain('"abc" is not a process id');
  });

  it('reload exits 1 naming the pid file it cannot read', async () => {
    const missing = join(await mkdtemp(join(tmpdir(), 'llm-failover-')), 'none.pid');
    const result = await runMain(['reload', '--pid-file', missing]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`cannot read pid file ${missing}`);
  });
});
