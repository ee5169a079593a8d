/** The mapping module: one loader for the CLI, the server and tests. */
export { ConditionError, checkCondition, compileCondition, fieldReader } from './compile-condition.js';
export { compilePlan } from './compile-plan.js';
export {
  type DryRunItem,
  type DryRunRecord,
  type DryRunReport,
  dryRun,
  type SelectorReport,
} from './dry-run.js';
export { type Duration, parseDuration } from './duration.js';
export {
  type LoadResult,
  loadMappingDir,
  loadMappingFile,
  loadMappingText,
  type MappingDirResult,
  type MappingFileResult,
} from './load-mapping.js';
export { formatMappingError, type MappingError, type MappingPath } from './mapping-error.js';
export { MappingSet, type ReloadResult } from './mapping-set.js';
