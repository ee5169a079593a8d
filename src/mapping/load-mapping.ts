import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { CompiledPlan } from '../domain/plan.js';
import { checkMapping } from './check-mapping.js';
import { compilePlan } from './compile-plan.js';
import { describeValue, isMapping, quote } from './describe-value.js';
import { compareErrors, type MappingError, type MappingIssue, type MappingPath } from './mapping-error.js';
import { MappingFile } from './mapping-schema.js';
import { readSections } from './mapping-sections.js';
import { parseYaml } from './parse-yaml.js';
import { type Position, positionOf } from './yaml-positions.js';
import { translateZodIssues } from './zod-issues.js';

export type LoadResult = { ok: true; plan: CompiledPlan } | { ok: false; errors: MappingError[] };

/** One file's outcome in a directory load. `keyPosition` is where its plan key is written. */
export interface MappingFileResult {
  file: string;
  plan?: CompiledPlan;
  keyPosition?: Position;
  errors: MappingError[];
}

export interface MappingDirResult {
  files: MappingFileResult[];
  /** The plans that loaded, one per key (a later file claiming a taken key is refused). */
  plans: CompiledPlan[];
  /** Every error of every file, in file order. */
  errors: MappingError[];
}

/** Validates and compiles one mapping file's text. Never throws: problems come back as errors. */
export function loadMappingText(text: string, file: string): LoadResult {
  const result = loadOne(text, file);
  return result.plan ? { ok: true, plan: result.plan } : { ok: false, errors: result.errors };
}

export async function loadMappingFile(path: string): Promise<LoadResult> {
  const result = await loadPath(path);
  return result.plan ? { ok: true, plan: result.plan } : { ok: false, errors: result.errors };
}

/** Loads every *.yaml / *.yml in `dir` (not recursive), in name order. */
export async function loadMappingDir(dir: string): Promise<MappingDirResult> {
  let names: string[];
  try {
    names = (await readdir(dir)).filter((n) => /\.ya?ml$/i.test(n)).sort();
  } catch (error) {
    const errors = [fileError('dir_unreadable', dir, `cannot read mapping directory: ${reason(error)}`)];
    return { files: [], plans: [], errors };
  }
  const files: MappingFileResult[] = [];
  const owners = new Map<string, MappingFileResult>();
  for (const name of names) {
    const result = await loadPath(join(dir, name));
    const owner = result.plan && owners.get(result.plan.key);
    if (result.plan && owner) {
      result.errors.push(duplicatePlanError(result, owner.file));
      delete result.plan;
    } else if (result.plan) {
      owners.set(result.plan.key, result);
    }
    files.push(result);
  }
  return {
    files,
    plans: files.flatMap((f) => (f.plan ? [f.plan] : [])),
    errors: files.flatMap((f) => f.errors),
  };
}

/** The error for a file whose plan key another file already holds. */
export function duplicatePlanError(result: MappingFileResult, otherFile: string): MappingError {
  const key = result.plan?.key ?? '';
  return {
    code: 'duplicate_plan',
    message: `plan.key: plan ${quote(key)} is already defined in ${otherFile}`,
    file: result.file,
    ...(result.keyPosition ?? { line: 1, column: 1 }),
    path: ['plan', 'key'],
  };
}

async function loadPath(path: string): Promise<MappingFileResult> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    return { file: path, errors: [fileError('file_unreadable', path, `cannot read file: ${reason(error)}`)] };
  }
  return loadOne(text, path);
}

type Locate = (path: MappingPath, atKey?: boolean) => Position;

function loadOne(text: string, file: string): MappingFileResult {
  const parsed = parseYaml(text, file);
  if (!parsed.ok) return { file, errors: parsed.errors };
  const { doc, counter, value } = parsed;
  const at: Locate = (path, atKey) => positionOf(doc, counter, path, atKey);
  try {
    return validate(value, { text, file }, at);
  } catch (error) {
    // Only pathological input gets here (e.g. conditions nested thousands deep).
    const message = `cannot validate: ${reason(error)}`;
    return { file, errors: [{ code: 'invalid_file', message, file, ...at([]), path: [] }] };
  }
}

function validate(value: unknown, source: { text: string; file: string }, at: Locate): MappingFileResult {
  const { file } = source;
  const locate = ({ code, message, path, atKey }: MappingIssue): MappingError => ({
    code,
    message,
    file,
    ...at(path, atKey),
    path,
  });
  if (!isMapping(value)) {
    const what = value == null ? 'an empty file' : describeValue(value);
    const message = `expected a mapping with version, type, plan, people, phases, rules and handoffs; got ${what}`;
    return { file, errors: [locate({ code: 'not_a_mapping_file', message, path: [] })] };
  }
  const parsed = MappingFile.safeParse(value);
  const issues = parsed.success ? [] : translateZodIssues(parsed.error.issues, value, []);
  issues.push(...checkMapping(readSections(value)));
  if (!parsed.success && issues.length === 0) {
    issues.push({ code: 'invalid_file', message: parsed.error.message, path: [] });
  }
  if (!parsed.success || issues.length > 0) return { file, errors: issues.map(locate).sort(compareErrors) };
  return { file, plan: compilePlan(parsed.data, source), keyPosition: at(['plan', 'key']), errors: [] };
}

function fileError(code: string, file: string, message: string): MappingError {
  return { code, message, file, line: 1, column: 1, path: [] };
}

function reason(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
