/**
 * One scripted misbehaviour of the mock upstream, applied to one request. Faults combine: e.g.
 * `{ latencyMs: 50, cutAfterChunks: 3 }` waits, then cuts the stream. An empty object is a normal
 * answer (useful to let one request through in a script).
 */
export interface MockFault {
  /** Answer with this HTTP status and an error body in the route's protocol shape. */
  status?: number;
  /** With `status`: sent as the `Retry-After` header (seconds, may be fractional). */
  retryAfterSeconds?: number;
  /** Answer 200 and make the first event an in-band error (OpenAI `data: {"error":..}`, Anthropic and Responses `event: error`). */
  errorFirstEvent?: boolean;
  /** Close the connection after this many SSE events (non-streaming: after half the body). */
  cutAfterChunks?: number;
  /** Stop sending for this long: mid-stream after `stallAfterChunks` events, or after the headers of a JSON answer. */
  stallMs?: number;
  /** Where a streamed stall starts: after this many events. Default 1 (after the role chunk / `message_start`, before any content). */
  stallAfterChunks?: number;
  /** Streams: headers at once, then wait this long before the first event. JSON answers: wait before the headers. */
  firstByteDelayMs?: number;
  /** Write a garbage SSE event after the first one (JSON answers: an invalid JSON body). */
  malformedSse?: boolean;
  /** Wait this long before answering at all (no headers meanwhile). */
  latencyMs?: number;
  /** Reset the connection before sending any byte. */
  resetConnection?: boolean;
  /** Replaces the body: the error body with `status`, otherwise the JSON answer of a non-streaming call. */
  body?: unknown;
}

/** Request header carrying a JSON MockFault that overrides the scripted queue for that request. */
export const MOCK_FAULT_HEADER = 'x-mock-fault';

const NUMBER_FIELDS = [
  'status',
  'retryAfterSeconds',
  'cutAfterChunks',
  'stallMs',
  'stallAfterChunks',
  'firstByteDelayMs',
  'latencyMs',
] as const;
const BOOLEAN_FIELDS = ['errorFirstEvent', 'malformedSse', 'resetConnection'] as const;

/**
 * Parses the `x-mock-fault` header value. Returns undefined when absent.
 * @throws Error naming the problem when the value is not a JSON object of MockFault fields.
 */
export function parseMockFaultHeader(value: string | string[] | undefined): MockFault | undefined {
  if (value === undefined) return undefined;
  const text = Array.isArray(value) ? value.join(',') : value;
  const parsed: unknown = JSON.parse(text);
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new Error(`${MOCK_FAULT_HEADER} must be a JSON object`);
  }
  const record = parsed as Record<string, unknown>;
  const fault: MockFault = {};
  for (const key of NUMBER_FIELDS) {
    const v = record[key];
    if (v === undefined) continue;
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) {
      throw new Error(`${MOCK_FAULT_HEADER}.${key} must be a non-negative number`);
    }
    fault[key] = v;
  }
  for (const key of BOOLEAN_FIELDS) {
    const v = record[key];
    if (v === undefined) continue;
    if (typeof v !== 'boolean') throw new Error(`${MOCK_FAULT_HEADER}.${key} must be a boolean`);
    fault[key] = v;
  }
  if (record.body !== undefined) fault.body = record.body;
  return fault;
}
