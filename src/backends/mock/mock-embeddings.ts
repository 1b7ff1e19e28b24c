import { createHash } from 'node:crypto';

/** Length of the mock's vectors when the request gives no `dimensions`. */
export const MOCK_EMBEDDING_DIMENSIONS = 16;
/** Largest `dimensions` the mock accepts (text-embedding-3-large's size). */
const MAX_DIMENSIONS = 3072;

type Json = Record<string, unknown>;

/** The mock's answer to an embeddings request: a status and a JSON body (an error for 400). */
export interface MockEmbeddingsAnswer {
  status: number;
  body: Json | string;
}

/** The inputs as strings: token arrays are written as their numbers joined by commas. */
function inputsOf(input: unknown): string[] | undefined {
  if (typeof input === 'string') return [input];
  if (!Array.isArray(input) || input.length === 0) return undefined;
  if (input.every((x) => typeof x === 'number')) return [input.join(',')];
  const out: string[] = [];
  for (const item of input) {
    if (typeof item === 'string') out.push(item);
    else if (Array.isArray(item) && item.every((x) => typeof x === 'number')) {
      out.push(item.join(','));
    } else return undefined;
  }
  return out;
}

/**
 * A unit vector derived only from `model` and `text`: SHA-256 in counter mode gives 4 bytes per
 * component, mapped to [-1, 1), then the whole is L2-normalised as OpenAI's embeddings are.
 */
export function mockEmbedding(model: string, text: string, dimensions: number): number[] {
  const raw: number[] = [];
  for (let block = 0; raw.length < dimensions; block++) {
    const digest = createHash('sha256').update(`${block}\0${model}\0${text}`).digest();
    for (let i = 0; i + 4 <= digest.length && raw.length < dimensions; i += 4) {
      raw.push(digest.readUInt32LE(i) / 2 ** 31 - 1);
    }
  }
  const norm = Math.hypot(...raw) || 1;
  return raw.map((x) => x / norm);
}

/** Float32 little-endian bytes in base64: what OpenAI sends for `encoding_format: base64`. */
function toBase64(vector: number[]): string {
  const bytes = Buffer.alloc(vector.length * 4);
  vector.forEach((x, i) => bytes.writeFloatLE(x, i * 4));
  return bytes.toString('base64');
}

/**
 * Answers an OpenAI `POST /v1/embeddings` body deterministically: one vector per input, of
 * `dimensions` components (default MOCK_EMBEDDING_DIMENSIONS), as floats or base64.
 */
export function mockEmbeddings(body: unknown): MockEmbeddingsAnswer {
  const bad = (message: string): MockEmbeddingsAnswer => ({ status: 400, body: message });
  if (typeof body !== 'object' || body === null) return bad('request body must be a JSON object');
  const req = body as Json;
  const inputs = inputsOf(req.input);
  if (inputs === undefined) {
    return bad('input must be a string, an array of strings, or token arrays (non-empty)');
  }
  const dimensions = req.dimensions ?? MOCK_EMBEDDING_DIMENSIONS;
  if (typeof dimensions !== 'number' || !Number.isInteger(dimensions) || dimensions < 1) {
    return bad('dimensions must be a positive integer');
  }
  if (dimensions > MAX_DIMENSIONS) return bad(`dimensions must be at most ${MAX_DIMENSIONS}`);
  const format = req.encoding_format ?? 'float';
  if (format !== 'float' && format !== 'base64') {
    return bad('encoding_format must be "float" or "base64"');
  }
  const model = typeof req.model === 'string' ? req.model : 'mock-embedding';
  const data = inputs.map((text, index) => {
    const vector = mockEmbedding(model, text, dimensions);
    return {
      object: 'embedding',
      index,
      embedding: format === 'base64' ? toBase64(vector) : vector,
    };
  });
  const tokens = inputs.reduce((sum, text) => sum + Math.max(1, Math.ceil(text.length / 4)), 0);
  return {
    status: 200,
    body: { object: 'list', data, model, usage: { prompt_tokens: tokens, total_tokens: tokens } },
  };
}
