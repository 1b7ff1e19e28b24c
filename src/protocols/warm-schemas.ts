import {
  anthropicErrorBodySchema,
  anthropicMessageSchema,
  anthropicMessagesRequestSchema,
  anthropicStreamEventSchema,
} from './anthropic-messages/index.js';
import {
  openAIChatChunkSchema,
  openAIChatRequestSchema,
  openAIChatResponseSchema,
  openAIErrorBodySchema,
} from './openai-chat/index.js';
import {
  openAIResponsesRequestSchema,
  openAIResponsesResponseSchema,
  openAIResponsesStreamEventSchema,
} from './openai-responses/index.js';
import { routingFieldsSchema } from './routing-fields.js';

/**
 * Loads zod and builds the schemas a gateway parses with, each run once on an empty object (zod
 * compiles an object's parser on its first parse), so that a server pays for them at startup
 * rather than on its first request (schemas are otherwise built on first use: lazy-schema.ts).
 */
export function warmProtocolSchemas(): void {
  const getters = [
    routingFieldsSchema,
    openAIChatRequestSchema,
    openAIChatResponseSchema,
    openAIChatChunkSchema,
    openAIErrorBodySchema,
    anthropicMessagesRequestSchema,
    anthropicMessageSchema,
    anthropicStreamEventSchema,
    anthropicErrorBodySchema,
    openAIResponsesRequestSchema,
    openAIResponsesResponseSchema,
    openAIResponsesStreamEventSchema,
  ];
  for (const schema of getters) schema().safeParse({});
}
