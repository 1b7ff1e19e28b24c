import { LlmFailoverError } from '../errors/index.js';
import { quoteModel } from './model-pattern.js';
import type { DisabledTarget } from './routing-types.js';

/**
 * The route matching the model has no enabled backend (e.g. its only backend's API key variable is
 * unset). Nothing was tried, and waiting will not help: the gateway answers it as a request it
 * cannot serve (400), not as "overloaded, retry later", and the message names the backends and why
 * each is disabled, which says what to set (e.g. `ANTHROPIC_API_KEY is unset`).
 */
export class NoEnabledBackendError extends LlmFailoverError {
  readonly disabled: readonly DisabledTarget[];

  constructor(model: string, disabled: readonly DisabledTarget[]) {
    const list = disabled.map((d) => `backend "${d.backend}" is disabled: ${d.reason}`).join('; ');
    super(
      'NO_ENABLED_BACKEND',
      `no enabled backend can serve model ${quoteModel(model)}` +
        (list === '' ? '' : ` (${list}); enable one and restart the gateway`),
      { status: 400, attempts: 0 },
    );
    this.name = 'NoEnabledBackendError';
    this.disabled = disabled;
  }

  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), disabled: this.disabled };
  }
}
