export { ResponseKeeper } from './response-keeper.js';
export {
  expandContinuation,
  inputItems,
  previousResponseId,
  storedResponseOf,
} from './response-items.js';
export { ResponsesState } from './responses-state.js';
export type { ResponsesOptions, ResponsesStateDeps } from './responses-state.js';
export { serveStoredResponse } from './stored-responses.js';
export type { StoredResponseRequest } from './stored-responses.js';
