import { checkHandoffs } from './check-handoffs.js';
import { checkPeople } from './check-people.js';
import { checkPhases } from './check-phases.js';
import { checkPlan } from './check-references.js';
import { checkRules } from './check-rules.js';
import type { MappingIssue } from './mapping-error.js';
import type { MappingSections } from './mapping-sections.js';

/** Everything the schema cannot see: references across the file, regexes, calendars, order. */
export function checkMapping(sections: MappingSections): MappingIssue[] {
  return [
    ...checkPlan(sections),
    ...checkPeople(sections),
    ...checkPhases(sections),
    ...checkRules(sections),
    ...checkHandoffs(sections),
  ];
}
