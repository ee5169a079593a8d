import type { PlanPerson } from '../domain/plan.js';
import { loadMappingDir } from '../mapping/load-mapping.js';

/** A person of the demo's plans with the identity each simulated tool knows them by. */
export interface DemoPerson {
  key: string;
  name: string;
  email: string;
  /** The login filler items use (the first of the person's GitHub identities). */
  github?: string;
  /** Every login the plans know for the person (story data may use any of them). */
  githubLogins: string[];
  jira?: string;
}

export type DemoPeople = Map<string, DemoPerson>;

/**
 * The people of every plan in `mappings/`, by key. The filler spec names people by these keys,
 * so the identities it writes into each tool's data are exactly the ones the plans map.
 */
export async function loadPlanPeople(mappingsDir: string): Promise<DemoPeople> {
  const loaded = await loadMappingDir(mappingsDir);
  if (loaded.errors.length > 0) {
    const first = loaded.errors[0];
    throw new Error(`demo: the plans in ${mappingsDir} do not load: ${first.file}: ${first.message}`);
  }
  const people: DemoPeople = new Map();
  for (const plan of loaded.plans) {
    for (const person of plan.people) people.set(person.key, merge(people.get(person.key), person));
  }
  return people;
}

function merge(known: DemoPerson | undefined, person: PlanPerson): DemoPerson {
  const email = person.email ?? known?.email;
  if (!email) throw new Error(`demo: person ${person.key} has no email address in the plans`);
  return {
    key: person.key,
    name: person.name,
    email,
    github: person.identities.github?.[0] ?? known?.github,
    githubLogins: [...new Set([...(known?.githubLogins ?? []), ...(person.identities.github ?? [])])],
    jira: person.identities.jira?.[0] ?? known?.jira,
  };
}

export function personOf(people: DemoPeople, key: string): DemoPerson {
  const person = people.get(key);
  if (!person) throw new Error(`demo: no person "${key}" in the plans (mappings/*.yaml)`);
  return person;
}
