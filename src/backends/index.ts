export type {
  ChatBackend,
  ChatCallOptions,
  ChatResult,
  ChatStream,
  JsonResult,
} from './chat-backend.js';
export { parseChatRequest } from './parsed-chat-request.js';
export type { ParsedChatRequest } from './parsed-chat-request.js';
export type { CallerTranslation, ProtocolAdapter } from './protocol-chat.js';
export { OpenAICloudBackend } from './openai-cloud-backend.js';
export type { OpenAIBackendOptions } from './openai-cloud-backend.js';
export { AnthropicCloudBackend } from './anthropic-cloud-backend.js';
export type { AnthropicBackendOptions } from './anthropic-cloud-backend.js';
export { OpenAIResponsesBackend } from './openai-responses-backend.js';
export {
  createAnthropicBackend,
  createOpenAIBackend,
  createOpenAIResponsesBackend,
} from './create-backends.js';
export { OPENAI_COMPATIBLE_PRESETS } from './openai-compatible-presets.js';
export type { OpenAICompatiblePreset } from './openai-compatible-presets.js';
export {
  MockChatBackend,
  MockUpstreamServer,
  MOCK_FAULT_HEADER,
  MOCK_TOOL_TRIGGER,
  createMockBackend,
  parseMockFaultHeader,
  runMockUpstream,
} from './mock/index.js';
export type {
  MockBackendOptions,
  MockFault,
  MockUpstreamOptions,
  RecordedRequest,
  RunMockUpstreamOptions,
} from './mock/index.js';
