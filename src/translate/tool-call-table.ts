import type { OpenAIToolCallDelta } from '../protocols/openai-chat/stream.js';

/** One OpenAI tool call being streamed, keyed by its delta `index`. */
export interface ToolCallState {
  readonly index: number;
  id: string | undefined;
  name: string | undefined;
  /** Argument pieces received while another block was open; emitted when this one opens. */
  pieces: string[];
  /** Arguments emitted so far (live block), to tell when they form a whole object. */
  args: string;
  /** waiting: no block yet; live: its block is the open one; closed: its block was closed. */
  phase: 'waiting' | 'live' | 'closed';
}

/** The tool calls of one OpenAI stream, by index; tolerant of servers that omit index or repeat ids. */
export class ToolCallTable {
  private readonly tools = new Map<number, ToolCallState>();
  /** Calls in phase `waiting`. */
  waiting = 0;

  /** The call a delta belongs to (created on first sight), with its id and name recorded. */
  take(call: OpenAIToolCallDelta, position: number): ToolCallState {
    const index = call.index ?? this.indexWithout(call, position);
    let tool = this.tools.get(index);
    if (tool === undefined) {
      tool = { index, id: undefined, name: undefined, pieces: [], args: '', phase: 'waiting' };
      this.tools.set(index, tool);
      this.waiting++;
    }
    // Some servers repeat id and name on every delta: the first ones win.
    if (tool.id === undefined && call.id) tool.id = call.id;
    const name = call.function?.name;
    if (tool.name === undefined && name) tool.name = name;
    return tool;
  }

  /** The lowest-index waiting call whose name is known: the next that may open a block. */
  nextReady(): ToolCallState | undefined {
    let next: ToolCallState | undefined;
    for (const tool of this.tools.values()) {
      if (tool.phase !== 'waiting' || tool.name === undefined) continue;
      if (next === undefined || tool.index < next.index) next = tool;
    }
    return next;
  }

  /** Every waiting call, by index (named or not): what is left to emit at the finish. */
  allWaiting(): ToolCallState[] {
    if (this.waiting === 0) return [];
    const queued = [...this.tools.values()].filter((t) => t.phase === 'waiting');
    return queued.sort((a, b) => a.index - b.index);
  }

  /**
   * Some servers omit `index`: a new id is a new call, a known id that call, and a fragment with
   * neither continues the latest call (or takes its position in the array when there is none).
   */
  private indexWithout(call: OpenAIToolCallDelta, position: number): number {
    let latest: ToolCallState | undefined;
    let next = 0;
    for (const tool of this.tools.values()) {
      if (call.id && tool.id === call.id) return tool.index;
      latest = tool;
      next = Math.max(next, tool.index + 1);
    }
    if (call.id) return Math.max(next, position);
    return latest?.index ?? position;
  }
}

/**
 * True when `args` is already a whole JSON object: OpenAI appends nothing after that, so the block
 * may close and the next call stream live (the usual sequential case). Cheap unless it ends in `}`.
 */
export function isWholeJsonObject(args: string): boolean {
  if (args.trimEnd().at(-1) !== '}') return false;
  try {
    JSON.parse(args);
    return true;
  } catch {
    return false;
  }
}
