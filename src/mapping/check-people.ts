import { checkWorkingHours } from './check-calendar.js';
import { quote } from './describe-value.js';
import { issue, type MappingIssue, type MappingPath } from './mapping-error.js';
import type { MappingSections } from './mapping-sections.js';

/** Tools that address people by email: the person's email stands in when no id is given. */
export const emailTools = ['outlook', 'drive'] as const;

export function checkPeople({ people }: MappingSections): MappingIssue[] {
  if (!people) return [];
  const out: MappingIssue[] = [];
  const byKey = new Map<string, number>();
  const claims = new Map<string, string>();
  const claim = (tool: string, id: string, owner: string, path: MappingPath, what: string) => {
    const id_ = `${tool}\u0000${id.toLowerCase()}`;
    const other = claims.get(id_);
    if (other !== undefined && other !== owner)
      out.push(issue('duplicate_identity', path, `${what} also belongs to ${other}`));
    else claims.set(id_, owner);
  };
  people.forEach((person, i) => {
    const key = person.key;
    if (key !== undefined) {
      const first = byKey.get(key);
      if (first === undefined) byKey.set(key, i);
      else
        out.push(
          issue(
            'duplicate_person',
            ['people', i, 'key'],
            `person key ${quote(key)} is already used by people[${first}]`,
          ),
        );
    }
    const owner = key ?? `people[${i}]`;
    for (const [tool, value] of Object.entries(person.identities ?? {})) {
      const ids = [value].flat();
      ids.forEach((id, j) => {
        const path = Array.isArray(value)
          ? ['people', i, 'identities', tool, j]
          : ['people', i, 'identities', tool];
        claim(tool, id, owner, path, `${tool} identity ${quote(id)}`);
      });
    }
    if (person.email)
      claim('email', person.email, owner, ['people', i, 'email'], `email ${quote(person.email)}`);
    if (person.working_hours)
      out.push(...checkWorkingHours(person.working_hours, ['people', i, 'working_hours']));
  });
  return out;
}
