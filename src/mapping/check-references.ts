import { checkDateOrder, checkWorkingHours } from './check-calendar.js';
import { closest, quote } from './describe-value.js';
import { issue, type MappingIssue, type MappingPath } from './mapping-error.js';
import type { MappingSections } from './mapping-sections.js';

/** Plan-level facts, and every place the file names a person. */
export function checkPlan({ plan, people, phases }: MappingSections): MappingIssue[] {
  const out: MappingIssue[] = [];
  if (plan) {
    out.push(
      ...checkDateOrder(
        { name: 'starts_on', value: plan.starts_on },
        { name: 'target_date', value: plan.target_date, path: ['plan', 'target_date'] },
      ),
    );
    if (plan.working_hours) out.push(...checkWorkingHours(plan.working_hours, ['plan', 'working_hours']));
  }
  if (!people) return out;
  const keys = [...new Set(people.flatMap((p) => (p.key === undefined ? [] : [p.key])))];
  const check = (key: string | undefined, path: MappingPath) => {
    if (key !== undefined && !keys.includes(key))
      out.push(issue('unknown_person', path, unknownPerson(key, keys)));
  };
  check(plan?.owner, ['plan', 'owner']);
  plan?.decision_makers?.forEach((key, j) => {
    check(key, ['plan', 'decision_makers', j]);
  });
  phases?.forEach((phase, i) => {
    check(phase.owner, ['phases', i, 'owner']);
    phase.reviewers?.forEach((key, j) => {
      check(key, ['phases', i, 'reviewers', j]);
    });
    phase.decision_makers?.forEach((key, j) => {
      check(key, ['phases', i, 'decision_makers', j]);
    });
  });
  return out;
}

function unknownPerson(key: string, keys: string[]): string {
  if (keys.length === 0) return `unknown person ${quote(key)}: the file lists no people`;
  const hint = closest(key, keys);
  return `unknown person ${quote(key)}${hint ? ` (did you mean ${hint}?)` : ''} — people are ${keys.join(', ')}`;
}
