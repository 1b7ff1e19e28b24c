// The `llm-failover/testing` entry: what a user's tests need to exercise code built on
// llm-failover without a real upstream or real time. Not loaded by the core entry.

export { ManualClock } from '../time/manual-clock.js';
export {
  MockUpstreamServer,
  MockChatBackend,
  createMockBackend,
  runMockUpstream,
  MOCK_FAULT_HEADER,
  MOCK_TOOL_TRIGGER,
  parseMockFaultHeader,
} from '../backends/mock/index.js';
export type {
  MockUpstreamOptions,
  RecordedRequest,
  MockFault,
  MockBackendOptions,
  RunMockUpstreamOptions,
} from '../backends/mock/index.js';
