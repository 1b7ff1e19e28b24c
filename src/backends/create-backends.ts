import { AnthropicCloudBackend } from './anthropic-cloud-backend.js';
import type { AnthropicBackendOptions } from './anthropic-cloud-backend.js';
import { OpenAICloudBackend } from './openai-cloud-backend.js';
import type { OpenAIBackendOptions } from './openai-cloud-backend.js';

/**
 * An OpenAI-protocol backend: OpenAI itself, an OpenAI-compatible cloud (see
 * OPENAI_COMPATIBLE_PRESETS) or a local server (no `apiKey`: no Authorization header is sent).
 * @throws TypeError when `baseUrl` does not parse.
 */
export function createOpenAIBackend(options: OpenAIBackendOptions): OpenAICloudBackend {
  return new OpenAICloudBackend(options);
}

/**
 * An Anthropic Messages backend (`baseUrl` as for the official SDK, e.g. `https://api.anthropic.com`).
 * @throws TypeError when `baseUrl` does not parse.
 */
export function createAnthropicBackend(options: AnthropicBackendOptions): AnthropicCloudBackend {
  return new AnthropicCloudBackend(options);
}
