import { AnthropicCloudBackend } from './anthropic-cloud-backend.js';
import type { AnthropicBackendOptions } from './anthropic-cloud-backend.js';
import { OpenAICloudBackend } from './openai-cloud-backend.js';
import type { OpenAIBackendOptions } from './openai-cloud-backend.js';
import { OpenAIResponsesBackend } from './openai-responses-backend.js';

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

/**
 * A backend speaking the OpenAI Responses API (`POST {baseUrl}/responses`): api.openai.com or a
 * compatible server that has it (config `type: openai` with `api: responses`).
 * @throws TypeError when `baseUrl` does not parse.
 */
export function createOpenAIResponsesBackend(
  options: OpenAIBackendOptions,
): OpenAIResponsesBackend {
  return new OpenAIResponsesBackend(options);
}
