export { main, packageVersion } from './main.js';
export type { CliIo } from './main.js';
export { describeConfig } from './describe-config.js';
