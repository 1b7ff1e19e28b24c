export { ResponseKeeper } from './response-keeper.js';
export {
  expandContinuation,
  inputItems,
  previousResponseId,
  storedResponseOf,
} from './response-items.js';
export { serveStoredResponse } from './stored-responses.js';
export type { StoredResponseRequest } from './stored-responses.js';
