import { unknownPhase } from './check-phases.js';
import { checkCondition } from './compile-condition.js';
import { quote } from './describe-value.js';
import { issue, type MappingIssue } from './mapping-error.js';
import type { MappingSections } from './mapping-sections.js';

export function checkRules({ rules, phases }: MappingSections): MappingIssue[] {
  const out: MappingIssue[] = [];
  const phaseKeys = phases && [...new Set(phases.flatMap((p) => (p.key === undefined ? [] : [p.key])))];
  const catchAll = new Map<string, number>();
  rules.forEach((rule, i) => {
    if (rule.hasWhen) {
      for (const error of checkCondition(rule.when)) {
        out.push(issue(error.code, ['rules', i, 'when', ...error.path], error.message));
      }
    }
    if (rule.type === 'state' && !rule.hasRaw && !rule.hasWhen) {
      // Derivation skips such a rule; saying so beats a rule that silently never applies.
      out.push(
        issue('empty_rule', ['rules', i], 'a state rule needs raw or when (or both) to match anything'),
      );
    }
    if (rule.type !== 'selector') return;
    if (phaseKeys && rule.phase !== undefined && !phaseKeys.includes(rule.phase)) {
      out.push(issue('unknown_phase', ['rules', i, 'phase'], unknownPhase(rule.phase, phaseKeys)));
    }
    if (rule.connection === undefined) return;
    // First matching selector wins: one without a condition takes every later selector's records.
    const earlier = catchAll.get(rule.connection);
    if (earlier !== undefined) {
      const detail = `this selector never matches: rules[${earlier}] already takes every record of ${quote(rule.connection)}`;
      out.push(issue('unreachable_rule', ['rules', i], detail));
    } else if (!rule.hasWhen) {
      catchAll.set(rule.connection, i);
    }
  });
  return out;
}
