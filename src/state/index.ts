export type { ResponseStore, StoredResponse } from './response-store.js';
