import { describe, expect, it } from 'vitest';
import {
  parseAnthropicMessagesRequest,
  parseOpenAIChatRequest,
  parseOpenAIResponsesRequest,
  parseOpenAIResponsesResponse,
} from '../../src/protocols/index.js';
import {
  anthropicResponseToResponses,
  chatResponseToResponses,
  responsesRequestToAnthropic,
  responsesRequestToChat,
} from '../../src/translate/index.js';
import {
  codexRequest,
  readParameters,
  shellParameters,
} from '../fixtures/translate/responses/codex.js';

const request = parseOpenAIResponsesRequest(codexRequest);
const webSearchNote = 'tools dropped (no chat equivalent; OpenAI runs them): tools.2 (web_search)';
const shellCall = (id: string) => ({
  id,
  type: 'function',
  function: { name: 'shell', arguments: '{"command":["ls"]}' },
});

describe('a Codex CLI request (PROTOCOLS.md) translated', () => {
  it('to Chat Completions: developer text as system, one assistant turn per call, namespace flattened, web_search dropped', () => {
    const { value, notes } = responsesRequestToChat(request);
    expect(value).toEqual({
      model: 'gpt-5.3-codex',
      messages: [
        {
          role: 'system',
          content: [
            { type: 'text', text: '<permissions instructions>sandbox: workspace-write' },
            { type: 'text', text: '<environment_context>cwd: /repo' },
          ],
        },
        { role: 'user', content: [{ type: 'text', text: 'What is in README.md?' }] },
        {
          role: 'assistant',
          content: null,
          reasoning_content: 'List the files first.',
          reasoning_signature: 'sig-codex-1',
          tool_calls: [shellCall('call_a')],
        },
        { role: 'tool', tool_call_id: 'call_a', content: 'README.md\nsrc\n' },
        {
          role: 'assistant',
          content: null,
          tool_calls: [
            {
              id: 'call_b',
              type: 'function',
              function: { name: 'mcp__files__read', arguments: '{"path":"README.md"}' },
            },
          ],
        },
        { role: 'tool', tool_call_id: 'call_b', content: '# Demo' },
      ],
      stream: true,
      stream_options: { include_usage: true },
      prompt_cache_key: '019a3c1e-5f0b-7c11-b1c4-3f6c1c2f9d10',
      tools: [
        {
          type: 'function',
          function: {
            name: 'shell',
            description: 'Runs a shell command and returns its output.',
            parameters: shellParameters,
          },
        },
        {
          type: 'function',
          function: {
            name: 'mcp__files__read',
            description: 'Reads a file.',
            parameters: readParameters,
          },
        },
      ],
      tool_choice: 'auto',
      parallel_tool_calls: true,
    });
    expect(notes).toEqual([webSearchNote]);
    parseOpenAIChatRequest(value);
  });

  it('to Anthropic Messages: system prompt, thinking with its signature before the tool_use, tool results as user turns', () => {
    const { value, notes } = responsesRequestToAnthropic(request);
    expect(value).toEqual({
      model: 'gpt-5.3-codex',
      max_tokens: 4096,
      system: '<permissions instructions>sandbox: workspace-write<environment_context>cwd: /repo',
      messages: [
        { role: 'user', content: [{ type: 'text', text: 'What is in README.md?' }] },
        {
          role: 'assistant',
          content: [
            { type: 'thinking', thinking: 'List the files first.', signature: 'sig-codex-1' },
            { type: 'tool_use', id: 'call_a', name: 'shell', input: { command: ['ls'] } },
          ],
        },
        {
          role: 'user',
          content: [{ type: 'tool_result', tool_use_id: 'call_a', content: 'README.md\nsrc\n' }],
        },
        {
          role: 'assistant',
          content: [
            {
              type: 'tool_use',
              id: 'call_b',
              name: 'mcp__files__read',
              input: { path: 'README.md' },
            },
          ],
        },
        {
          role: 'user',
          content: [{ type: 'tool_result', tool_use_id: 'call_b', content: '# Demo' }],
        },
      ],
      stream: true,
      tools: [
        {
          name: 'shell',
          description: 'Runs a shell command and returns its output.',
          input_schema: shellParameters,
        },
        { name: 'mcp__files__read', description: 'Reads a file.', input_schema: readParameters },
      ],
      tool_choice: { type: 'auto' },
    });
    expect(notes).toEqual([webSearchNote]);
    parseAnthropicMessagesRequest(value);
  });

  it('answers from a chat backend give Codex its namespaced call back (namespace + name)', () => {
    const chat = {
      id: 'chatcmpl-z',
      object: 'chat.completion',
      created: 9,
      model: 'local',
      choices: [
        {
          index: 0,
          finish_reason: 'tool_calls',
          message: {
            role: 'assistant',
            content: null,
            tool_calls: [
              {
                id: 'call_c',
                type: 'function',
                function: { name: 'mcp__files__read', arguments: '{"path":"src"}' },
              },
            ],
          },
        },
      ],
    };
    const response = parseOpenAIResponsesResponse(chatResponseToResponses(chat, request));
    expect(response.output).toEqual([
      {
        id: 'fc_z_0',
        type: 'function_call',
        status: 'completed',
        namespace: 'mcp__files__',
        name: 'read',
        call_id: 'call_c',
        arguments: '{"path":"src"}',
      },
    ]);
  });

  it('answers from Anthropic carry the thinking signature as encrypted_content, which the next turn hands back', () => {
    const anthropic = {
      id: 'msg_01',
      type: 'message',
      role: 'assistant',
      model: 'claude',
      content: [
        { type: 'thinking', thinking: 'Read it.', signature: 'sig-anthropic' },
        { type: 'tool_use', id: 'toolu_1', name: 'mcp__files__read', input: { path: 'a' } },
      ],
      stop_reason: 'tool_use',
      stop_sequence: null,
      usage: { input_tokens: 10, output_tokens: 3, cache_read_input_tokens: 5 },
    };
    const response = anthropicResponseToResponses(anthropic, request);
    expect(response).toMatchObject({
      id: 'resp_msg_01',
      status: 'completed',
      output: [
        {
          type: 'reasoning',
          summary: [{ type: 'summary_text', text: 'Read it.' }],
          encrypted_content: 'sig-anthropic',
        },
        {
          type: 'function_call',
          namespace: 'mcp__files__',
          name: 'read',
          call_id: 'toolu_1',
          arguments: '{"path":"a"}',
        },
      ],
      usage: {
        input_tokens: 15,
        input_tokens_details: { cached_tokens: 5 },
        output_tokens: 3,
        total_tokens: 18,
      },
    });
    // Codex appends the output items and the tool's output to its next request's input.
    const output = response.output as Record<string, unknown>[];
    const next = parseOpenAIResponsesRequest({
      ...codexRequest,
      input: [
        { role: 'user', content: 'Read a' },
        ...output,
        { type: 'function_call_output', call_id: 'toolu_1', output: 'A' },
      ],
    });
    const { value } = responsesRequestToAnthropic(next);
    expect(value.messages[1]).toEqual({
      role: 'assistant',
      content: [
        { type: 'thinking', thinking: 'Read it.', signature: 'sig-anthropic' },
        { type: 'tool_use', id: 'toolu_1', name: 'mcp__files__read', input: { path: 'a' } },
      ],
    });
  });
});
