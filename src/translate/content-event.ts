// isContentEvent lives in protocols/ (it classifies wire events; it translates nothing), where the
// router reads it; re-exported here so translate/'s public API is unchanged.
export { isContentEvent } from '../protocols/content-event.js';
