import { checkDateOrder } from './check-calendar.js';
import { closest, quote } from './describe-value.js';
import { issue, type MappingIssue } from './mapping-error.js';
import type { MappingSections } from './mapping-sections.js';

export function checkPhases({ phases }: MappingSections): MappingIssue[] {
  if (!phases) return [];
  const out: MappingIssue[] = [];
  const index = new Map<string, number>();
  phases.forEach((phase, i) => {
    if (phase.key !== undefined) {
      const first = index.get(phase.key);
      if (first === undefined) index.set(phase.key, i);
      else {
        out.push(
          issue(
            'duplicate_phase',
            ['phases', i, 'key'],
            `phase key ${quote(phase.key)} is already used by phases[${first}]`,
          ),
        );
      }
    }
    out.push(
      ...checkDateOrder(
        { name: 'starts_on', value: phase.starts_on },
        { name: 'due_on', value: phase.due_on, path: ['phases', i, 'due_on'] },
      ),
    );
  });
  const keys = [...index.keys()];
  phases.forEach((phase, i) => {
    phase.depends_on?.forEach((dependency, j) => {
      const path = ['phases', i, 'depends_on', j];
      if (dependency === phase.key)
        out.push(issue('dependency_cycle', path, `phase ${quote(dependency)} depends on itself`));
      else if (!index.has(dependency)) out.push(issue('unknown_phase', path, unknownPhase(dependency, keys)));
    });
  });
  out.push(...findCycles(phases, index));
  return out;
}

export function unknownPhase(key: string, keys: string[]): string {
  const hint = closest(key, keys);
  const known = keys.length > 0 ? ` — phases are ${keys.join(', ')}` : '';
  return `unknown phase ${quote(key)}${hint ? ` (did you mean ${hint}?)` : ''}${known}`;
}

/** Depth-first search; each cycle is reported once, at the dependency that closes it. */
function findCycles(
  phases: NonNullable<MappingSections['phases']>,
  index: Map<string, number>,
): MappingIssue[] {
  const out: MappingIssue[] = [];
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const reported = new Set<string>();
  const visit = (key: string): void => {
    state.set(key, 'open');
    stack.push(key);
    const i = index.get(key)!;
    phases[i].depends_on?.forEach((next, j) => {
      if (next === key || !index.has(next)) return;
      if (state.get(next) === 'open') {
        const cycle = [...stack.slice(stack.indexOf(next)), next];
        const id = [...new Set(cycle)].sort().join('\u0000');
        if (!reported.has(id)) {
          reported.add(id);
          out.push(
            issue(
              'dependency_cycle',
              ['phases', i, 'depends_on', j],
              `dependency cycle: ${cycle.join(' → ')}`,
            ),
          );
        }
      } else if (!state.has(next)) {
        visit(next);
      }
    });
    stack.pop();
    state.set(key, 'done');
  };
  for (const key of index.keys()) if (!state.has(key)) visit(key);
  return out;
}
