import type { z } from 'zod';
import { isMapping } from './describe-value.js';
import {
  ApprovalRule,
  EscalationLevel,
  FollowReferences,
  HandoffRules,
  type MappingPerson,
  type MappingPhase,
  Person,
  Phase,
  PlanInfo,
  Selector,
  StateRule,
} from './mapping-schema.js';

type Fields<T> = Partial<T>;

/** What the checks across the file need to know about one rule. */
export interface RuleFacts {
  type?: string;
  connection?: string;
  phase?: string;
  /** Whether the rule lists raw states (state rules). */
  hasRaw: boolean;
  /** The raw condition as written (checked defensively: it may be invalid), if the rule has one. */
  when?: unknown;
  hasWhen: boolean;
}

/**
 * The file as the checks across it see it: every field that is valid on its own, element by
 * element. One typo in a rule then does not hide a dependency cycle in the phases, and a field
 * that is invalid is left out rather than guessed (the schema error already speaks for it).
 */
export interface MappingSections {
  plan?: Fields<z.infer<typeof PlanInfo>>;
  /** Undefined when `people` is not a list. */
  people?: Fields<MappingPerson>[];
  phases?: Fields<MappingPhase>[];
  rules: RuleFacts[];
  handoffs: {
    sla: [kind: string, text: string][];
    escalation: Fields<z.infer<typeof EscalationLevel>>[];
  };
}

const ruleShapes: Record<string, z.core.$ZodShape> = {
  selector: Selector.shape,
  follow_references: FollowReferences.shape,
  state: StateRule.shape,
  approval: ApprovalRule.shape,
};

export function readSections(file: Record<string, unknown>): MappingSections {
  const plan = validFields(PlanInfo.shape, file.plan);
  const handoffs = isMapping(file.handoffs) ? file.handoffs : {};
  const sla = validFields(HandoffRules.shape, { sla: handoffs.sla }).sla ?? validSlaEntries(handoffs.sla);
  const people = listOf(file.people, Person.shape);
  const phases = listOf(file.phases, Phase.shape);
  return {
    ...(isMapping(file.plan) && { plan }),
    ...(people && { people }),
    ...(phases && { phases }),
    rules: Array.isArray(file.rules) ? file.rules.map(ruleFacts) : [],
    handoffs: {
      sla: Object.entries(sla).filter((e): e is [string, string] => typeof e[1] === 'string'),
      escalation: listOf(handoffs.escalation, EscalationLevel.shape) ?? [],
    },
  };
}

function ruleFacts(raw: unknown): RuleFacts {
  if (!isMapping(raw)) return { hasWhen: false, hasRaw: false };
  const type = typeof raw.type === 'string' ? raw.type : undefined;
  const shape = type !== undefined ? ruleShapes[type] : undefined;
  const fields = shape ? (validFields(shape, raw) as { connection?: string; phase?: string }) : {};
  const hasWhen = Object.hasOwn(raw, 'when') && raw.when !== undefined;
  const hasRaw = Object.hasOwn(raw, 'raw') && raw.raw !== undefined;
  return { type, ...fields, hasRaw, hasWhen, ...(hasWhen && { when: raw.when }) };
}

/** SLA entries one by one, when the map as a whole is invalid. */
function validSlaEntries(raw: unknown): Record<string, unknown> {
  if (!isMapping(raw)) return {};
  const out: Record<string, unknown> = {};
  for (const [kind, text] of Object.entries(raw)) {
    const parsed = HandoffRules.shape.sla.safeParse({ [kind]: text });
    if (parsed.success) Object.assign(out, parsed.data);
  }
  return out;
}

function listOf<S extends z.core.$ZodShape>(raw: unknown, shape: S) {
  if (raw === undefined) return [];
  return Array.isArray(raw) ? raw.map((element) => validFields(shape, element)) : undefined;
}

/** Each field of an object parsed on its own; the ones that pass (defaults applied). */
function validFields<S extends z.core.$ZodShape>(shape: S, raw: unknown): Partial<z.infer<z.ZodObject<S>>> {
  const out: Record<string, unknown> = {};
  if (!isMapping(raw)) return out as Partial<z.infer<z.ZodObject<S>>>;
  for (const [key, schema] of Object.entries(shape)) {
    const parsed = (schema as z.ZodType).safeParse(Object.hasOwn(raw, key) ? raw[key] : undefined);
    if (parsed.success && parsed.data !== undefined) out[key] = parsed.data;
  }
  return out as Partial<z.infer<z.ZodObject<S>>>;
}
