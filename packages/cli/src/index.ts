export { main } from './main';
export type { Io } from './main';
export { parseArgs, UsageError } from './args';
export type { ParsedArgs } from './args';
export { EXIT_OK, EXIT_BEHIND, EXIT_ERROR, EXIT_SIGINT, EXIT_SIGTERM, describeError, exitCodeFor, isStillBehind } from './exit-codes';
export { formatCheck, formatRealign } from './format';
