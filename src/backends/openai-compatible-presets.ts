/** Names of the OpenAI-compatible clouds with a built-in base URL. */
export type OpenAICompatiblePreset =
  'openai' | 'groq' | 'together' | 'fireworks' | 'mistral' | 'deepseek' | 'openrouter';

// Frozen all the way down: a shared constant must not be re-pointed by one caller for all.
const preset = (baseUrl: string) => Object.freeze({ baseUrl });

/**
 * Base URLs of OpenAI-compatible clouds, as their docs give them for the official OpenAI SDK
 * (`POST {baseUrl}/chat/completions`, `GET {baseUrl}/models`). DeepSeek documents both
 * `https://api.deepseek.com` and `.../v1`; the `/v1` form is used for uniformity.
 */
export const OPENAI_COMPATIBLE_PRESETS: Readonly<
  Record<OpenAICompatiblePreset, { readonly baseUrl: string }>
> = Object.freeze({
  openai: preset('https://api.openai.com/v1'),
  groq: preset('https://api.groq.com/openai/v1'),
  together: preset('https://api.together.xyz/v1'),
  fireworks: preset('https://api.fireworks.ai/inference/v1'),
  mistral: preset('https://api.mistral.ai/v1'),
  deepseek: preset('https://api.deepseek.com/v1'),
  openrouter: preset('https://openrouter.ai/api/v1'),
});
