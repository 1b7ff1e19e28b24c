import type {
  Response,
  ResponseFunctionToolCall,
  ResponseOutputMessage,
  ResponseCreateParamsStreaming,
  ResponseInputItem,
  ResponseStreamEvent,
  ResponseUsage,
  Tool,
} from 'openai/resources/responses/responses';

// Responses API fixtures typed with the official SDK's types, so a drift of the wire shapes the
// SDK knows fails `tsc` here before it fails a caller.

/** `item` plus the fields Codex adds that the SDK's input types do not list (an item's `id`). */
const withId = <T extends object>(item: T, id: string): T & { id: string } => ({ ...item, id });

const codexInput: ResponseInputItem[] = [
  withId(
    {
      type: 'message',
      role: 'developer',
      content: [{ type: 'input_text', text: '<permissions instructions>sandbox: workspace-write' }],
    },
    'msg_dev_1',
  ),
  withId(
    {
      type: 'message',
      role: 'user',
      content: [{ type: 'input_text', text: 'list the files here' }],
    },
    'msg_user_1',
  ),
  {
    type: 'function_call',
    id: 'fc_67d1',
    call_id: 'call_shell_1',
    name: 'shell',
    arguments: '{"command":["ls","-a"]}',
  },
  { type: 'function_call_output', call_id: 'call_shell_1', output: 'README.md\nsrc\n' },
];

const codexTools: Tool[] = [
  {
    type: 'function',
    name: 'shell',
    description: 'Runs a shell command and returns its output.',
    strict: false,
    parameters: {
      type: 'object',
      properties: { command: { type: 'array', items: { type: 'string' } } },
      required: ['command'],
    },
  },
  {
    type: 'namespace',
    name: 'mcp__files',
    description: 'Tools of the files MCP server.',
    tools: [{ type: 'function', name: 'read', description: 'Reads a file.', parameters: {} }],
  },
  { type: 'web_search' },
];

/** The request Codex CLI 0.169 sends on a later turn (PROTOCOLS.md, "What real clients send"). */
export const codexRequest: ResponseCreateParamsStreaming & { client_metadata: object } = {
  model: 'gpt-5.3-codex',
  input: codexInput,
  tools: codexTools,
  tool_choice: 'auto',
  parallel_tool_calls: true,
  reasoning: { summary: 'auto' },
  store: false,
  stream: true,
  include: ['reasoning.encrypted_content'],
  prompt_cache_key: '019a3c1e-5f0b-7c11-b1c4-3f6c1c2f9d10',
  client_metadata: { originator: 'codex_cli_rs' },
};

export const usage: ResponseUsage = {
  input_tokens: 12,
  input_tokens_details: { cached_tokens: 4, cache_write_tokens: 0 },
  output_tokens: 7,
  output_tokens_details: { reasoning_tokens: 2 },
  total_tokens: 19,
};

/** A `response` object as the API sends it (`output_text` is the SDK's own addition). */
export function sdkResponse(fields: Partial<Response> = {}): Response {
  return {
    id: 'resp_fixture',
    object: 'response',
    created_at: 1_764_680_000,
    status: 'completed',
    model: 'gpt-5.3-codex',
    output: [],
    output_text: '',
    error: null,
    incomplete_details: null,
    instructions: null,
    metadata: null,
    parallel_tool_calls: true,
    temperature: null,
    tool_choice: 'auto',
    tools: [],
    top_p: null,
    usage,
    ...fields,
  };
}

const message: ResponseOutputMessage = {
  type: 'message',
  id: 'msg_1',
  role: 'assistant',
  status: 'completed',
  content: [{ type: 'output_text', text: 'Hello there', annotations: [] }],
};

const call: ResponseFunctionToolCall = {
  type: 'function_call',
  id: 'fc_1',
  call_id: 'call_1',
  name: 'shell',
  arguments: '{"command":["ls"]}',
  status: 'completed',
};

/**
 * A whole stream in the order the API sends it: lifecycle, a text message (item, part, two
 * deltas, dones), a function call (item, argument deltas, dones), `response.completed` with usage.
 */
export function sdkTranscript(): ResponseStreamEvent[] {
  const { usage: _none, ...open } = sdkResponse({ status: 'in_progress' });
  const done = sdkResponse({ output: [message, call] });
  let seq = 0;
  const n = (): number => seq++;
  return [
    { type: 'response.created', sequence_number: n(), response: open },
    { type: 'response.in_progress', sequence_number: n(), response: open },
    {
      type: 'response.output_item.added',
      sequence_number: n(),
      output_index: 0,
      item: { ...message, status: 'in_progress', content: [] },
    },
    {
      type: 'response.content_part.added',
      sequence_number: n(),
      item_id: 'msg_1',
      output_index: 0,
      content_index: 0,
      part: { type: 'output_text', text: '', annotations: [] },
    },
    ...['Hello', ' there'].map((delta) => ({
      type: 'response.output_text.delta' as const,
      sequence_number: n(),
      item_id: 'msg_1',
      output_index: 0,
      content_index: 0,
      delta,
      logprobs: [],
    })),
    {
      type: 'response.output_text.done',
      sequence_number: n(),
      item_id: 'msg_1',
      output_index: 0,
      content_index: 0,
      text: 'Hello there',
      logprobs: [],
    },
    {
      type: 'response.content_part.done',
      sequence_number: n(),
      item_id: 'msg_1',
      output_index: 0,
      content_index: 0,
      part: { type: 'output_text', text: 'Hello there', annotations: [] },
    },
    { type: 'response.output_item.done', sequence_number: n(), output_index: 0, item: message },
    {
      type: 'response.output_item.added',
      sequence_number: n(),
      output_index: 1,
      item: { ...call, arguments: '', status: 'in_progress' },
    },
    {
      type: 'response.function_call_arguments.delta',
      sequence_number: n(),
      item_id: 'fc_1',
      output_index: 1,
      delta: '{"command":',
    },
    {
      type: 'response.function_call_arguments.delta',
      sequence_number: n(),
      item_id: 'fc_1',
      output_index: 1,
      delta: '["ls"]}',
    },
    {
      type: 'response.function_call_arguments.done',
      sequence_number: n(),
      item_id: 'fc_1',
      output_index: 1,
      name: 'shell',
      arguments: call.arguments,
    },
    { type: 'response.output_item.done', sequence_number: n(), output_index: 1, item: call },
    { type: 'response.completed', sequence_number: n(), response: done },
  ];
}
