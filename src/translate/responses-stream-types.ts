// Local minimal shapes until protocols/openai-responses/ lands (issue 9: resp-proto); then these
// become re-exports of that module's types.

/** One OpenAI Responses stream event: `type`, `sequence_number`, the rest by type. */
export interface ResponsesStreamEvent {
  type: string;
  sequence_number?: number;
  [key: string]: unknown;
}

/** The Responses request fields the stream translators echo into the `response` object. */
export interface ResponsesRequestLike {
  model: string;
  [key: string]: unknown;
}
