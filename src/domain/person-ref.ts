import { type CompiledPlan, personFor } from './plan.js';
import type { Identity } from './source-record.js';

/** Someone in a handoff or approval: the plan's person when known, else the raw tool identity. */
export interface PersonRef {
  /** The plan's person key, when the identity belongs to someone in the plan's people list. */
  person: string | null;
  name: string;
  identity: Identity;
}

export function refFor(plan: CompiledPlan, identity: Identity): PersonRef {
  const person = personFor(plan, identity);
  return { person: person?.key ?? null, name: person?.name ?? identity.name ?? identity.id, identity };
}

/** A stable key for comparing people across tools (person key when known). */
export function refKey(ref: PersonRef): string {
  return ref.person ?? `${ref.identity.tool}:${ref.identity.id.toLowerCase()}`;
}
