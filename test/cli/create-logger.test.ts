import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger, isLogLevel } from '../../src/server/index.js';

function capture(level = 'info') {
  let text = '';
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      text += chunk.toString('utf8');
      done();
    },
  });
  return { read: () => text, logger: createLogger({ level, destination }) };
}

describe('createLogger', () => {
  it('writes one JSON line per call with the level and message', () => {
    const { read, logger } = capture();
    logger.info({ backend: 'local', status: 200 }, 'request');
    const lines = read().trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0]!)).toMatchObject({
      level: 30,
      name: 'llm-failover',
      backend: 'local',
      status: 200,
      msg: 'request',
    });
  });

  it('censors credential fields logged by mistake, at the top and one level down', () => {
    const { read, logger } = capture();
    logger.warn(
      {
        apiKey: 'sk-top-secret-0001',
        headers: { authorization: 'Bearer sk-secret-0002', 'x-api-key': 'sk-secret-0003' },
        backend: { apiKey: 'sk-secret-0004', apiKeys: ['sk-secret-0005'] },
        req: { headers: { authorization: 'Bearer sk-secret-0006' } },
      },
      'oops',
    );
    const text = read();
    expect(text).not.toMatch(/sk-(top-)?secret/);
    expect(text).toContain('[REDACTED]');
  });

  it('honours the level, silent included', () => {
    const warn = capture('warn');
    warn.logger.info('hidden');
    warn.logger.warn('shown');
    expect(warn.read()).not.toContain('hidden');
    expect(warn.read()).toContain('shown');
    const silent = capture('silent');
    silent.logger.error('nothing');
    expect(silent.read()).toBe('');
  });

  it('recognises the level names LOG_LEVEL may carry', () => {
    expect(isLogLevel('debug')).toBe(true);
    expect(isLogLevel('silent')).toBe(true);
    expect(isLogLevel('verbose')).toBe(false);
    expect(isLogLevel(undefined)).toBe(false);
  });
});
