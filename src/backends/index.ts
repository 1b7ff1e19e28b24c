export type { ChatBackend, ChatCallOptions, ChatResult, ChatStream } from './chat-backend.js';
export {
  MockUpstreamServer,
  MOCK_FAULT_HEADER,
  MOCK_TOOL_TRIGGER,
  parseMockFaultHeader,
  runMockUpstream,
} from './mock/index.js';
export type {
  MockFault,
  MockUpstreamOptions,
  RecordedRequest,
  RunMockUpstreamOptions,
} from './mock/index.js';
