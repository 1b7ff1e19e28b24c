import type { Protocol } from '../../protocols/protocol.js';
import {
  ANTHROPIC_IN_BAND_ERROR_EVENT,
  ANTHROPIC_MALFORMED_EVENT,
  anthropicMockEvents,
  anthropicMockJson,
} from './anthropic-mock-wire.js';
import type { MockResponseContext } from './mock-responder.js';
import { resetConnection, writeEvents, writeJson } from './mock-responder.js';
import { errorBody, modelsBody, protocolOf, routeOf } from './mock-routes.js';
import { mockEmbeddings } from './mock-embeddings.js';
import { buildMockTurn } from './mock-turn.js';
import type { RecordedRequest } from './mock-upstream-server.js';
import {
  RESPONSES_IN_BAND_ERROR_EVENT,
  RESPONSES_MALFORMED_EVENT,
  responsesMockEvents,
  responsesMockJson,
} from './responses-mock-wire.js';
import {
  OPENAI_IN_BAND_ERROR_EVENT,
  OPENAI_MALFORMED_EVENT,
  openAIMockEvents,
  openAIMockJson,
} from './openai-mock-wire.js';

/**
 * Answers one recorded request under its fault: latency, reset, a scripted status, the model
 * list, count_tokens, embeddings, a 404, or the deterministic chat answer (JSON or SSE). `nextSeq` numbers chat answers.
 */
export async function answerRequest(
  ctx: MockResponseContext,
  record: RecordedRequest,
  nextSeq: () => number,
): Promise<void> {
  const { fault } = ctx;
  if (fault.latencyMs !== undefined) await ctx.clock.sleep(fault.latencyMs, ctx.signal);
  if (fault.resetConnection === true) return resetConnection(ctx);
  const protocol = protocolOf(record);
  if (fault.status !== undefined) {
    const body = fault.body ?? errorBody(protocol, fault.status, `mock fault ${fault.status}`);
    const headers: Record<string, string> = {};
    if (fault.retryAfterSeconds !== undefined)
      headers['retry-after'] = `${fault.retryAfterSeconds}`;
    return writeJson(ctx, fault.status, JSON.stringify(body), headers);
  }
  const route = routeOf(record);
  if (route === 'models') return writeJson(ctx, 200, modelsBody(protocol));
  if (route === 'count_tokens') return countTokens(ctx, record.body);
  if (route === 'embeddings') {
    const answer = mockEmbeddings(record.body);
    const body =
      typeof answer.body === 'string'
        ? errorBody('openai', answer.status, answer.body)
        : answer.body;
    return writeJson(ctx, answer.status, JSON.stringify(body));
  }
  if (route === undefined) {
    const body = errorBody(protocol, 404, `no route for ${record.method} ${record.path}`);
    return writeJson(ctx, 404, JSON.stringify(body));
  }
  return chat(ctx, route, record.body, nextSeq);
}

/**
 * Anthropic count_tokens: exactly the `input_tokens` that /v1/messages reports for the same body,
 * so a client that checks one against the other sees them agree.
 */
function countTokens(ctx: MockResponseContext, body: unknown): Promise<void> {
  if (typeof body !== 'object' || body === null) {
    const err = errorBody('anthropic', 400, 'request body must be a JSON object');
    return writeJson(ctx, 400, JSON.stringify(err));
  }
  const turn = buildMockTurn('anthropic', body as Record<string, unknown>, 0, 0);
  return writeJson(ctx, 200, JSON.stringify({ input_tokens: turn.inputTokens }));
}

async function chat(
  ctx: MockResponseContext,
  protocol: Protocol,
  body: unknown,
  nextSeq: () => number,
): Promise<void> {
  if (typeof body !== 'object' || body === null) {
    const err = errorBody(protocol, 400, 'request body must be a JSON object');
    return writeJson(ctx, 400, JSON.stringify(err));
  }
  const created = Math.floor(ctx.clock.wallNow() / 1000);
  const turn = buildMockTurn(protocol, body as Record<string, unknown>, nextSeq(), created);
  if (!turn.stream) {
    const text = ctx.fault.body !== undefined ? JSON.stringify(ctx.fault.body) : undefined;
    const json = {
      openai: openAIMockJson,
      anthropic: anthropicMockJson,
      'openai-responses': responsesMockJson,
    }[protocol];
    return writeJson(ctx, 200, text ?? json(turn));
  }
  switch (protocol) {
    case 'openai':
      return writeEvents(
        ctx,
        openAIMockEvents(turn),
        OPENAI_IN_BAND_ERROR_EVENT,
        OPENAI_MALFORMED_EVENT,
      );
    case 'openai-responses':
      return writeEvents(
        ctx,
        responsesMockEvents(turn),
        RESPONSES_IN_BAND_ERROR_EVENT,
        RESPONSES_MALFORMED_EVENT,
      );
    case 'anthropic':
      return writeEvents(
        ctx,
        anthropicMockEvents(turn),
        ANTHROPIC_IN_BAND_ERROR_EVENT,
        ANTHROPIC_MALFORMED_EVENT,
      );
  }
}
