import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { CompiledPlan } from '../domain/plan.js';
import { loadMappingDir, loadMappingFile } from '../mapping/load-mapping.js';
import { formatMappingError, type MappingError } from '../mapping/mapping-error.js';

export interface CheckOutput {
  ok: boolean;
  lines: string[];
  plans: CompiledPlan[];
}

/** `baton mappings check [files]`: validates files; errors as `file:line:col: message (code)`. */
export async function checkMappings(targets: string[], defaultDir: string): Promise<CheckOutput> {
  const plans: CompiledPlan[] = [];
  const errors: MappingError[] = [];
  for (const target of targets.length > 0 ? targets : [defaultDir]) {
    const path = resolve(target);
    if ((await stat(path).catch(() => null))?.isDirectory()) {
      // The folder's errors already include every file's.
      const result = await loadMappingDir(path);
      errors.push(...result.errors);
      for (const file of result.files) if (file.plan) plans.push(file.plan);
    } else {
      const result = await loadMappingFile(path);
      if (result.ok) plans.push(result.plan);
      else errors.push(...result.errors);
    }
  }
  const lines = errors.map(formatMappingError);
  for (const plan of plans)
    lines.push(`ok: ${plan.sourceFile} (plan ${plan.key}, ${plan.phases.length} phases)`);
  return { ok: errors.length === 0, lines, plans };
}
