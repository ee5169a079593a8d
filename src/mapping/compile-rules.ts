import type {
  CompiledApprovalRule,
  CompiledSelector,
  CompiledStateRule,
  RecordPredicate,
} from '../domain/plan.js';
import { compileCondition } from './compile-condition.js';
import type { MappingRule } from './mapping-schema.js';

export interface CompiledRules {
  selectors: CompiledSelector[];
  followReferences: string[];
  stateRules: CompiledStateRule[];
  approvalRules: CompiledApprovalRule[];
  /** Every connection a rule names, in order of first mention. */
  connections: string[];
}

const always: RecordPredicate = () => true;

/** Splits `rules` by type, keeping file order within each kind (first match wins). */
export function compileRules(rules: readonly MappingRule[]): CompiledRules {
  const out: CompiledRules = {
    selectors: [],
    followReferences: [],
    stateRules: [],
    approvalRules: [],
    connections: [],
  };
  const addOnce = (list: string[], value: string | undefined) => {
    if (value !== undefined && !list.includes(value)) list.push(value);
  };
  for (const rule of rules) {
    addOnce(out.connections, rule.connection);
    switch (rule.type) {
      case 'selector':
        out.selectors.push({
          connection: rule.connection,
          phase: rule.phase,
          matches: rule.when ? compileCondition(rule.when) : always,
        });
        break;
      case 'follow_references':
        addOnce(out.followReferences, rule.connection);
        break;
      case 'state':
        out.stateRules.push({
          ...(rule.connection !== undefined && { connection: rule.connection }),
          ...(rule.raw !== undefined && { raw: [rule.raw].flat().map((r) => r.toLowerCase()) }),
          ...(rule.when && { matches: compileCondition(rule.when) }),
          state: rule.state,
        });
        break;
      case 'approval':
        out.approvalRules.push({
          ...(rule.connection !== undefined && { connection: rule.connection }),
          on: [...new Set(rule.on)],
          ...(rule.when && { matches: compileCondition(rule.when) }),
        });
        break;
    }
  }
  return out;
}
