export { MockUpstreamServer } from './mock-upstream-server.js';
export type { MockUpstreamOptions, RecordedRequest } from './mock-upstream-server.js';
export type { MockFault } from './mock-fault.js';
export { MOCK_FAULT_HEADER, parseMockFaultHeader } from './mock-fault.js';
export { MOCK_TOOL_TRIGGER } from './mock-turn.js';
export { runMockUpstream } from './run-mock-upstream.js';
export type { RunMockUpstreamOptions } from './run-mock-upstream.js';
export { MockChatBackend, createMockBackend } from './create-mock-backend.js';
export type { MockBackendOptions } from './create-mock-backend.js';
