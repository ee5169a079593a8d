import { z } from 'zod';
import { BatonState, HandoffKind } from '../domain/baton-state.js';

/**
 * The mapping file format (mappings/*.yaml): one plan per file. This zod schema is the single
 * source: it validates files and generates mappings/schema.json for editors.
 */

const isoDate = z.iso.date().describe('A calendar date, YYYY-MM-DD.');
const personKey = z.string().min(1).describe("The key of a person in this file's `people` list.");
const duration = z
  .string()
  .regex(/^\d+(\.\d+)?\s*(m|h|d)$/, 'a duration like 30m, 8h or 2d')
  .describe(
    "Business time: minutes (30m), hours (8h) or working days (2d, counted as the receiver's working day).",
  );

const fieldPath = z
  .string()
  .regex(
    /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$/,
    'a field path like title, labels or fields.issueType',
  )
  .describe(
    'A path into the source record: key, title, kind, container, labels, references, state.raw, state.category, author.id, assignees.id, fields.<name> …',
  );

const scalar = z.union([z.string(), z.number(), z.boolean()]);

export type ConditionInput =
  | { field: string; equals: string | number | boolean }
  | { field: string; in: (string | number | boolean)[] }
  | { field: string; regex: string; flags?: string }
  | { field: string; exists: boolean }
  | { all: ConditionInput[] }
  | { any: ConditionInput[] }
  | { not: ConditionInput };

const Leaf = z.union([
  z.strictObject({
    field: fieldPath,
    equals: scalar.describe('Matches when the field (or any element of it) equals this.'),
  }),
  z.strictObject({
    field: fieldPath,
    in: z.array(scalar).min(1).describe('Matches when the field (or any element) is one of these.'),
  }),
  z.strictObject({
    field: fieldPath,
    regex: z.string().min(1).describe('A JavaScript regular expression, compiled when the file loads.'),
    flags: z
      .string()
      .regex(/^[imsu]*$/, 'only the flags i, m, s, u')
      .optional(),
  }),
  z.strictObject({
    field: fieldPath,
    exists: z.boolean().describe('Matches when the field is present (true) or absent (false).'),
  }),
]);

const All = z.strictObject({
  get all() {
    return z.array(Condition).min(1).describe('Matches when every condition matches.');
  },
});
const AnyOf = z.strictObject({
  get any() {
    return z.array(Condition).min(1).describe('Matches when at least one condition matches.');
  },
});
const Not = z.strictObject({
  get not() {
    return Condition;
  },
});

/** A condition on a source record: a field test, or all / any / not of conditions. */
export const Condition: z.ZodType<ConditionInput> = z.union([Leaf, All, AnyOf, Not]);

export const WorkingHours = z.strictObject({
  timezone: z.string().min(1).describe('IANA time zone, e.g. Europe/Berlin.'),
  days: z
    .array(z.enum(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun']))
    .min(1)
    .default(['mon', 'tue', 'wed', 'thu', 'fri'])
    .describe('Working days.'),
  start: z
    .string()
    .regex(/^\d{2}:\d{2}$/)
    .default('09:00')
    .describe('Start of the working day, HH:MM local time.'),
  end: z
    .string()
    .regex(/^\d{2}:\d{2}$/)
    .default('17:00')
    .describe('End of the working day, HH:MM local time.'),
  holidays: z
    .strictObject({
      country: z
        .string()
        .length(2)
        .describe('ISO country code for public holidays (date-holidays), e.g. DE.'),
      region: z.string().optional().describe('State or region code, e.g. BE.'),
    })
    .optional()
    .describe('Public holiday calendar.'),
  days_off: z.array(isoDate).default([]).describe('Personal days off (vacation).'),
});

export const Person = z.strictObject({
  key: z
    .string()
    .regex(/^[a-z0-9][a-z0-9_.-]*$/, 'lower-case letters, digits, . _ -')
    .describe('Short key used in this file.'),
  name: z.string().min(1).describe('Display name.'),
  email: z
    .string()
    .email()
    .optional()
    .describe('Email address; also links identities that tools expose by email.'),
  identities: z
    .record(z.string(), z.union([z.string(), z.array(z.string())]))
    .default({})
    .describe(
      "The person's id in each tool: github (login), jira (accountId), outlook (email), drive (email).",
    ),
  working_hours: WorkingHours.optional().describe(
    "Overrides the plan's default working hours for this person.",
  ),
});

export const Phase = z.strictObject({
  key: z
    .string()
    .regex(/^[a-z0-9][a-z0-9_-]*$/, 'lower-case letters, digits, _ -')
    .describe('Short key, unique in the plan.'),
  name: z.string().min(1),
  owner: personKey.describe("Who owns the phase's outcome."),
  inputs: z.array(z.string()).default([]).describe('What the phase needs before it can start.'),
  exit_criteria: z.array(z.string()).default([]).describe('What must be true before the plan moves on.'),
  depends_on: z.array(z.string()).default([]).describe('Keys of phases that must be done first.'),
  starts_on: isoDate.optional(),
  due_on: isoDate.optional().describe('Target date for the exit criteria.'),
  reviewers: z.array(personKey).default([]).describe('Who checks the work of this phase.'),
  decision_makers: z.array(personKey).default([]).describe('Who can say yes or no for this phase.'),
});

export const Selector = z.strictObject({
  type: z.literal('selector').describe('Places matching records of a connection into a phase.'),
  connection: z.string().min(1).describe('Connection name from baton.yaml.'),
  phase: z.string().min(1).describe('Phase key the matching items belong to.'),
  when: Condition.optional().describe(
    'Condition on the record; omit to take every record of the connection.',
  ),
});

export const FollowReferences = z.strictObject({
  type: z
    .literal('follow_references')
    .describe('Places a record in the phase of an item it references (e.g. a PR naming CHK-12).'),
  connection: z.string().min(1).describe('Connection whose unplaced records may follow references.'),
});

export const StateRule = z.strictObject({
  type: z.literal('state').describe('Maps a raw tool state (or a condition) to a Baton state.'),
  connection: z.string().optional().describe('Limit the rule to one connection.'),
  raw: z
    .union([z.string(), z.array(z.string())])
    .optional()
    .describe('Raw state name(s), compared case-insensitively.'),
  when: Condition.optional(),
  state: BatonState,
});

export const ApprovalRule = z.strictObject({
  type: z.literal('approval').describe('Which activity opens an approval request.'),
  connection: z.string().optional(),
  on: z
    .array(z.enum(['review_requested', 'approval_requested']))
    .min(1)
    .describe(
      'review_requested (e.g. a GitHub review request) and/or approval_requested (an approval email, a Jira approval status, a Drive approval).',
    ),
  when: Condition.optional().describe('Only for records matching this condition.'),
});

export const EscalationLevel = z.strictObject({
  type: z.literal('escalation').default('escalation'),
  level: z.number().int().min(1).max(9),
  after: z
    .number()
    .positive()
    .describe('Multiple of the SLA after which this level fires: 1 = at the SLA, 2 = twice the SLA.'),
  notify: z.enum(['receiver', 'phase_owner', 'decision_maker', 'plan_owner']),
  channel: z
    .string()
    .regex(/^(tool|email|webhook:.+)$/, 'tool, email or webhook:<connection or URL>')
    .default('tool')
    .describe(
      'tool = a comment where the item lives; email = via an outlook connection; webhook:<url> = a Slack/Teams-style incoming webhook.',
    ),
});

export const HandoffRules = z.strictObject({
  sla: z
    .partialRecord(HandoffKind, duration)
    .default({})
    .describe("SLA per handoff kind, in the receiver's business time."),
  escalation: z.array(EscalationLevel).default([]).describe('Who is told when a handoff stays stalled.'),
  quiet_outside_working_hours: z.boolean().default(true),
  digest: z
    .boolean()
    .default(false)
    .describe('One daily digest per person instead of one alert per handoff.'),
});

export const PlanInfo = z.strictObject({
  key: z
    .string()
    .regex(/^[a-z0-9][a-z0-9-]*$/, 'lower-case letters, digits, -')
    .describe('Plan key used in URLs.'),
  title: z.string().min(1),
  outcome: z.string().min(1).describe('What success looks like, in plain terms.'),
  scope: z
    .strictObject({ in: z.array(z.string()).default([]), out: z.array(z.string()).default([]) })
    .default({ in: [], out: [] })
    .describe('What is included and what is explicitly excluded.'),
  success_criteria: z.array(z.string()).default([]),
  constraints: z.array(z.string()).default([]).describe('Hard limits: time, budget, risk, compliance.'),
  starts_on: isoDate.optional(),
  target_date: isoDate.optional(),
  owner: personKey,
  decision_makers: z.array(personKey).default([]),
  working_hours: WorkingHours.optional().describe('Default working hours for people without their own.'),
  days_off: z.array(isoDate).default([]).describe("The plan's own days off (company holidays)."),
});

export const MappingFile = z.strictObject({
  $schema: z.string().optional(),
  version: z.literal(1).describe('Mapping file format version.'),
  type: z.literal('plan'),
  plan: PlanInfo,
  people: z.array(Person).default([]),
  phases: z.array(Phase).min(1),
  rules: z
    .array(z.discriminatedUnion('type', [Selector, FollowReferences, StateRule, ApprovalRule]))
    .default([])
    .describe('Selectors, state rules and approval rules, applied in order (first matching selector wins).'),
  handoffs: HandoffRules.default({
    sla: {},
    escalation: [],
    quiet_outside_working_hours: true,
    digest: false,
  }),
});
export type MappingFile = z.infer<typeof MappingFile>;
export type MappingPerson = z.infer<typeof Person>;
export type MappingPhase = z.infer<typeof Phase>;
export type WorkingHoursInput = z.infer<typeof WorkingHours>;
