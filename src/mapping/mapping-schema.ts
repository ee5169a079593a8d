import { z } from 'zod';
import { BatonState, HandoffKind } from '../domain/baton-state.js';

/**
 * The mapping file format (mappings/*.yaml): one plan per file. This zod schema is the single
 * source: it validates files and generates mappings/schema.json for editors. Every field carries
 * a description because editors show it while people type (schema.test.ts enforces that).
 * Cross-references (people, phases), regexes, time zones and date order are checked after this
 * schema, in check-*.ts, because zod cannot see across the file.
 */

const isoDate = z.iso.date().describe('A calendar date, YYYY-MM-DD.');
const personKey = z.string().min(1).describe("The key of a person in this file's `people` list.");
const phaseKey = z.string().min(1).describe("The key of a phase in this file's `phases` list.");
const connectionName = z
  .string()
  .min(1)
  .meta({
    description: 'Connection name from baton.yaml.',
    examples: ['jira', 'github', 'outlook', 'drive'],
  });
const duration = z
  .string()
  .regex(/^\d+(\.\d+)?\s*(m|h|d)$/, 'a duration like 30m, 8h or 2d')
  .meta({
    description:
      "Business time: minutes (30m), hours (8h) or working days (2d, counted as the receiver's working days).",
    examples: ['30m', '8h', '2d'],
  });
const clockTime = z
  .string()
  .regex(/^(?:[01]\d|2[0-3]):[0-5]\d$|^24:00$/, 'a time like 09:00 (HH:MM, 24-hour clock)');

/** A dotted field path: `title`, `fields.issueType`. */
export const FIELD_PATH_PATTERN = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$/;

const fieldPath = z
  .string()
  .regex(FIELD_PATH_PATTERN, 'a field path like title, labels or fields.issueType')
  .meta({
    description:
      'A path into the source record: key, title, kind, container, labels, references, state.raw, state.category, author.id, assignees.id, fields.<name> … Arrays on the way are matched element by element.',
    examples: ['labels', 'fields.issueType', 'assignees.id', 'state.raw'],
  });

const scalar = z.union([z.string(), z.number(), z.boolean()]);

export type ConditionInput =
  | { field: string; equals: string | number | boolean }
  | { field: string; in: (string | number | boolean)[] }
  | { field: string; regex: string; flags?: string }
  | { field: string; exists: boolean }
  | { all: ConditionInput[] }
  | { any: ConditionInput[] }
  | { not: ConditionInput };

/** The four field tests, by operator name. explain-condition.ts picks one by the operator a test names. */
export const ConditionLeaves = {
  equals: z
    .strictObject({
      field: fieldPath,
      equals: scalar.describe(
        'Matches when the field (or any element of it) equals this: strings exactly (case-sensitive); a number also matches its decimal text.',
      ),
    })
    .describe('Field equals a value.'),
  in: z
    .strictObject({
      field: fieldPath,
      in: z.array(scalar).min(1).describe('Matches when the field (or any element) is one of these.'),
    })
    .describe('Field is one of several values.'),
  regex: z
    .strictObject({
      field: fieldPath,
      regex: z
        .string()
        .min(1)
        .meta({
          description:
            'A JavaScript regular expression tested against string (and number) values, compiled when the file loads.',
          examples: ['^Spec', '\\[Approval\\]'],
        }),
      flags: z
        .string()
        .regex(/^[imsu]*$/, 'only the flags i, m, s, u')
        .optional()
        .describe('Regular expression flags: i (ignore case), m, s, u.'),
    })
    .describe('Field matches a regular expression.'),
  exists: z
    .strictObject({
      field: fieldPath,
      exists: z
        .boolean()
        .describe(
          'Matches when the field is present, not null and not an empty list (true), or not (false).',
        ),
    })
    .describe('Field is present (or absent).'),
} as const;

const Leaf = z.union([
  ConditionLeaves.equals,
  ConditionLeaves.in,
  ConditionLeaves.regex,
  ConditionLeaves.exists,
]);

const All = z
  .strictObject({
    get all() {
      return z.array(Condition).min(1).describe('Matches when every condition matches.');
    },
  })
  .describe('All of several conditions.');
const AnyOf = z
  .strictObject({
    get any() {
      return z.array(Condition).min(1).describe('Matches when at least one condition matches.');
    },
  })
  .describe('At least one of several conditions.');
const Not = z
  .strictObject({
    // z.lazy rather than a bare getter: it lets the reference carry a description in schema.json.
    not: z.lazy(() => Condition).describe('The condition that must not match.'),
  })
  .describe('Matches when the inner condition does not.');

/** A condition on a source record: a field test, or all / any / not of conditions. */
export const Condition: z.ZodType<ConditionInput> = z.union([Leaf, All, AnyOf, Not]).meta({
  id: 'Condition',
  description:
    'A condition on a source record: a field test (field + one of equals / in / regex / exists), or all / any / not of conditions.',
});

export const WorkingHours = z
  .strictObject({
    timezone: z
      .string()
      .min(1)
      .meta({
        description: 'IANA time zone.',
        examples: ['Europe/Berlin', 'America/New_York', 'Asia/Kolkata'],
      }),
    days: z
      .array(z.enum(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun']))
      .min(1)
      .default(['mon', 'tue', 'wed', 'thu', 'fri'])
      .describe('Working days.'),
    start: clockTime.default('09:00').describe('Start of the working day, HH:MM local time.'),
    end: clockTime.default('17:00').describe('End of the working day, HH:MM local time (after start).'),
    holidays: z
      .strictObject({
        country: z
          .string()
          .regex(/^[A-Z]{2}$/, 'a two-letter upper-case country code, e.g. DE')
          .describe('ISO 3166 country code for public holidays (date-holidays), e.g. DE, US, IN.'),
        region: z
          .string()
          .min(1)
          .optional()
          .describe('State or region code within the country, e.g. BE, NY.'),
      })
      .optional()
      .describe('Public holiday calendar: no business time is counted on these days.'),
    days_off: z.array(isoDate).default([]).describe('Personal days off (vacation).'),
  })
  .describe('When a person works: business time (SLAs) only runs inside these hours.');

export const Person = z
  .strictObject({
    key: z
      .string()
      .regex(/^[a-z0-9][a-z0-9_.-]*$/, 'lower-case letters, digits, . _ -')
      .describe('Short key used in this file.'),
    name: z.string().min(1).describe('Display name.'),
    email: z
      .email()
      .optional()
      .describe(
        'Email address; links identities that tools expose by email, and is the default outlook and drive identity.',
      ),
    identities: z
      .record(
        z.string().describe('Connector kind: github, jira, outlook, drive.'),
        z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]),
      )
      .default({})
      .meta({
        description:
          "The person's id in each tool, one id or a list: github (login), jira (accountId), outlook (email), drive (email). outlook and drive default to `email`.",
        examples: [{ github: 'mina-k', jira: '5b10ac8d82e05b22cc7d4ef5' }],
      }),
    working_hours: WorkingHours.optional().describe(
      "Overrides the plan's default working hours for this person.",
    ),
  })
  .describe('Someone who contributes, reviews or decides.');

export const Phase = z
  .strictObject({
    key: z
      .string()
      .regex(/^[a-z0-9][a-z0-9_-]*$/, 'lower-case letters, digits, _ -')
      .describe('Short key, unique in the plan.'),
    name: z.string().min(1).describe('Display name of the phase.'),
    owner: personKey.describe("Who owns the phase's outcome (a person key)."),
    inputs: z.array(z.string()).default([]).describe('What the phase needs before it can start.'),
    exit_criteria: z.array(z.string()).default([]).describe('What must be true before the plan moves on.'),
    depends_on: z.array(phaseKey).default([]).describe('Keys of phases that must be done first.'),
    starts_on: isoDate.optional().describe('Planned start date, YYYY-MM-DD.'),
    due_on: isoDate
      .optional()
      .describe('Target date for the exit criteria, YYYY-MM-DD (not before starts_on).'),
    reviewers: z.array(personKey).default([]).describe('Who checks the work of this phase (person keys).'),
    decision_makers: z
      .array(personKey)
      .default([])
      .describe('Who can say yes or no for this phase (person keys).'),
  })
  .describe('A stage people coordinate around: an owner, inputs and exit criteria.');

export const Selector = z
  .strictObject({
    type: z.literal('selector').describe('Places matching records of a connection into a phase.'),
    connection: connectionName,
    phase: phaseKey.describe('Phase key the matching items belong to.'),
    when: Condition.optional().describe(
      'Condition on the record; omit to take every record of the connection.',
    ),
  })
  .describe('Places matching records of a connection into a phase; the first matching selector wins.');

export const FollowReferences = z
  .strictObject({
    type: z
      .literal('follow_references')
      .describe('Places a record in the phase of an item it references (e.g. a PR naming CHK-12).'),
    connection: connectionName.describe('Connection whose unplaced records may follow references.'),
  })
  .describe('Places records no selector caught into the phase of an item they reference.');

export const StateRule = z
  .strictObject({
    type: z.literal('state').describe('Maps a raw tool state (or a condition) to a Baton state.'),
    connection: connectionName.optional().describe('Limit the rule to one connection.'),
    raw: z
      .union([z.string().min(1), z.array(z.string().min(1)).min(1)])
      .optional()
      .describe('Raw state name(s), compared case-insensitively.'),
    when: Condition.optional().describe('Only for records matching this condition.'),
    state: BatonState.describe('The Baton state: todo, in_progress, in_review, blocked, done or cancelled.'),
  })
  .describe(
    'Maps raw tool states (or records matching a condition) to a Baton state; the first matching rule wins.',
  );

export const ApprovalRule = z
  .strictObject({
    type: z.literal('approval').describe('Which activity opens an approval request.'),
    connection: connectionName.optional().describe('Limit the rule to one connection.'),
    on: z
      .array(z.enum(['review_requested', 'approval_requested']))
      .min(1)
      .describe(
        'review_requested (e.g. a GitHub review request) and/or approval_requested (an approval email, a Jira approval status, a Drive approval).',
      ),
    when: Condition.optional().describe('Only for records matching this condition.'),
  })
  .describe('Which activity counts as asking for an approval.');

/** One entry of `rules`. */
export const Rule = z.discriminatedUnion('type', [Selector, FollowReferences, StateRule, ApprovalRule]);

export const EscalationLevel = z
  .strictObject({
    type: z.literal('escalation').default('escalation').describe('Always escalation (may be omitted).'),
    level: z.number().int().min(1).max(9).describe('Level number, 1 first; unique in the ladder.'),
    after: z
      .number()
      .positive()
      .describe(
        'Multiple of the SLA after which this level fires: 1 = at the SLA, 2 = twice the SLA. Increases with the level.',
      ),
    notify: z
      .enum(['receiver', 'phase_owner', 'decision_maker', 'plan_owner'])
      .describe(
        "Who is told: the handoff's receiver, the phase owner, the phase's decision-makers, or the plan owner.",
      ),
    channel: z
      .string()
      .regex(/^(tool|email|webhook:.+)$/, 'tool, email or webhook:<connection or URL>')
      .default('tool')
      .describe(
        'tool = a comment where the item lives; email = via an outlook connection; webhook:<url> = a Slack/Teams-style incoming webhook.',
      ),
  })
  .describe('One step of the escalation ladder.');

export const HandoffRules = z
  .strictObject({
    sla: z
      .partialRecord(HandoffKind, duration)
      .default({})
      .meta({
        description:
          "SLA per handoff kind (review, approval, assignment, comment, reply, changes), in the receiver's business time.",
        examples: [{ review: '8h', approval: '16h', assignment: '2d' }],
      }),
    escalation: z
      .array(EscalationLevel)
      .default([])
      .describe('Who is told when a handoff stays stalled, level by level.'),
    quiet_outside_working_hours: z
      .boolean()
      .default(true)
      .describe("Hold alerts until the recipient's working hours begin."),
    digest: z
      .boolean()
      .default(false)
      .describe('One daily digest per person instead of one alert per handoff.'),
  })
  .describe('SLAs and the escalation ladder for handoffs (reviews, approvals, assignments, replies).');

export const PlanInfo = z
  .strictObject({
    key: z
      .string()
      .regex(/^[a-z0-9][a-z0-9-]*$/, 'lower-case letters, digits, -')
      .describe('Plan key used in URLs; unique across mapping files.'),
    title: z.string().min(1).describe('Display title of the plan.'),
    outcome: z.string().min(1).describe('What success looks like, in plain terms.'),
    scope: z
      .strictObject({
        in: z.array(z.string()).default([]).describe('What the plan includes.'),
        out: z.array(z.string()).default([]).describe('What the plan explicitly excludes.'),
      })
      .default({ in: [], out: [] })
      .describe('What is included and what is explicitly excluded.'),
    success_criteria: z
      .array(z.string())
      .default([])
      .describe('How success is evaluated: criteria you can actually check.'),
    constraints: z.array(z.string()).default([]).describe('Hard limits: time, budget, risk, compliance.'),
    starts_on: isoDate.optional().describe('Planned start date, YYYY-MM-DD.'),
    target_date: isoDate
      .optional()
      .describe('Target date for the outcome, YYYY-MM-DD (not before starts_on).'),
    owner: personKey.describe('Who owns the plan (a person key).'),
    decision_makers: z
      .array(personKey)
      .default([])
      .describe('Who can say yes or no for the plan (person keys).'),
    working_hours: WorkingHours.optional().describe('Default working hours for people without their own.'),
    days_off: z.array(isoDate).default([]).describe("The plan's own days off (company holidays)."),
  })
  .describe('The plan: outcome, scope, success criteria, dates, owner and decision-makers.');

export const MappingFile = z
  .strictObject({
    $schema: z.string().optional().describe('Path or URL of the JSON Schema, for editors; ignored by Baton.'),
    version: z.literal(1).describe('Mapping file format version.'),
    type: z.literal('plan').describe('Always plan: one plan per file.'),
    plan: PlanInfo,
    people: z
      .array(Person)
      .default([])
      .describe('Everyone the plan names: owners, reviewers, decision-makers.'),
    phases: z.array(Phase).min(1).describe('The phases, in order.'),
    rules: z
      .array(Rule)
      .default([])
      .describe(
        'Selectors, state rules and approval rules, applied in order (first matching selector wins).',
      ),
    handoffs: HandoffRules.default({
      sla: {},
      escalation: [],
      quiet_outside_working_hours: true,
      digest: false,
    }),
  })
  .describe('A Baton mapping file: one implementation plan and how tool items map into it.');
export type MappingFile = z.infer<typeof MappingFile>;
export type MappingPerson = z.infer<typeof Person>;
export type MappingPhase = z.infer<typeof Phase>;
export type MappingRule = z.infer<typeof Rule>;
export type WorkingHoursInput = z.infer<typeof WorkingHours>;
