/** Names of the OpenAI-compatible clouds with a built-in base URL. */
export type OpenAICompatiblePreset =
  'openai' | 'groq' | 'together' | 'fireworks' | 'mistral' | 'deepseek' | 'openrouter';

/**
 * Base URLs of OpenAI-compatible clouds, as their docs give them for the official OpenAI SDK
 * (`POST {baseUrl}/chat/completions`, `GET {baseUrl}/models`). DeepSeek documents both
 * `https://api.deepseek.com` and `.../v1`; the `/v1` form is used for uniformity.
 */
export const OPENAI_COMPATIBLE_PRESETS: Readonly<
  Record<OpenAICompatiblePreset, { readonly baseUrl: string }>
> = Object.freeze({
  openai: { baseUrl: 'https://api.openai.com/v1' },
  groq: { baseUrl: 'https://api.groq.com/openai/v1' },
  together: { baseUrl: 'https://api.together.xyz/v1' },
  fireworks: { baseUrl: 'https://api.fireworks.ai/inference/v1' },
  mistral: { baseUrl: 'https://api.mistral.ai/v1' },
  deepseek: { baseUrl: 'https://api.deepseek.com/v1' },
  openrouter: { baseUrl: 'https://openrouter.ai/api/v1' },
});
