import { describe, expect, it } from 'vitest';
import { OPENAI_COMPATIBLE_PRESETS, createOpenAIBackend } from '../../src/backends/index.js';

describe('OPENAI_COMPATIBLE_PRESETS', () => {
  it('gives each cloud the base URL its docs give the official OpenAI SDK', () => {
    expect(OPENAI_COMPATIBLE_PRESETS).toEqual({
      openai: { baseUrl: 'https://api.openai.com/v1' },
      groq: { baseUrl: 'https://api.groq.com/openai/v1' },
      together: { baseUrl: 'https://api.together.xyz/v1' },
      fireworks: { baseUrl: 'https://api.fireworks.ai/inference/v1' },
      mistral: { baseUrl: 'https://api.mistral.ai/v1' },
      deepseek: { baseUrl: 'https://api.deepseek.com/v1' },
      openrouter: { baseUrl: 'https://openrouter.ai/api/v1' },
    });
  });

  it('cannot be changed by a caller at run time', () => {
    expect(Object.isFrozen(OPENAI_COMPATIBLE_PRESETS)).toBe(true);
    expect(() => {
      (OPENAI_COMPATIBLE_PRESETS as Record<string, unknown>).groq = { baseUrl: 'http://evil' };
    }).toThrow(TypeError);
    expect(() => {
      (OPENAI_COMPATIBLE_PRESETS.groq as { baseUrl: string }).baseUrl = 'http://evil';
    }).toThrow(TypeError);
  });

  it('builds an OpenAI-protocol backend on a preset base URL', async () => {
    const backend = createOpenAIBackend({ name: 'groq', ...OPENAI_COMPATIBLE_PRESETS.groq });
    expect(backend.protocol).toBe('openai');
    expect(backend.baseUrl).toBe('https://api.groq.com/openai/v1');
    await backend.close();
  });
});
