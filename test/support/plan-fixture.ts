import type { CompiledPlan, PlanPerson, PlanPhase } from '../../src/domain/plan.js';
import type { SourceRecord, SourceRecordInput } from '../../src/domain/source-record.js';
import { SourceRecord as SourceRecordSchema } from '../../src/domain/source-record.js';

const people: PlanPerson[] = [
  {
    key: 'maya',
    name: 'Maya Chen',
    email: 'maya@acme.test',
    identities: { github: ['mayachen'], jira: ['acc-maya'] },
  },
  {
    key: 'raj',
    name: 'Raj Patel',
    email: 'raj@acme.test',
    identities: { github: ['rajp'], jira: ['acc-raj'] },
  },
  { key: 'olivia', name: 'Olivia Brown', email: 'olivia@acme.test', identities: { github: ['obrown'] } },
];

const phase = (key: string, position: number, owner: string, dependsOn: string[] = []): PlanPhase => ({
  key,
  name: key[0].toUpperCase() + key.slice(1),
  position,
  owner,
  inputs: [],
  exitCriteria: [`${key} signed off`],
  dependsOn,
  reviewers: [],
  decisionMakers: [],
});

/** A small compiled plan for tests that don't go through YAML: design → build → launch. */
export function testPlan(overrides: Partial<CompiledPlan> = {}): CompiledPlan {
  return {
    key: 'checkout',
    title: 'Checkout rollout',
    outcome: 'New checkout live',
    scope: { in: ['web checkout'], out: ['mobile'] },
    successCriteria: [],
    constraints: [],
    owner: 'maya',
    decisionMakers: ['olivia'],
    daysOff: [],
    people,
    phases: [
      phase('design', 0, 'maya'),
      phase('build', 1, 'raj', ['design']),
      phase('launch', 2, 'olivia', ['build']),
    ],
    selectors: [
      { connection: 'jira', phase: 'design', matches: (r) => r.labels.includes('design') },
      { connection: 'jira', phase: 'build', matches: () => true },
      {
        connection: 'github',
        phase: 'build',
        matches: (r) => r.kind === 'pull_request' && r.labels.includes('build'),
      },
    ],
    followReferences: ['github'],
    stateRules: [{ raw: ['blocked'], state: 'blocked' }],
    approvalRules: [],
    handoffs: {
      slaMinutes: { review: 480, approval: 960 },
      slaDays: { assignment: 2 },
      escalation: [],
      quietOutsideWorkingHours: true,
      digest: false,
    },
    connections: ['jira', 'github'],
    sourceFile: 'test',
    hash: 'h1',
    ...overrides,
  };
}

/** A valid SourceRecord with sensible defaults. */
export function record(input: Partial<SourceRecordInput> & { externalId: string }): SourceRecord {
  return SourceRecordSchema.parse({
    source: 'jira',
    kind: 'issue',
    title: `Item ${input.externalId}`,
    state: { raw: 'To Do', category: 'todo' },
    createdAt: '2026-11-02T09:00:00Z',
    updatedAt: '2026-11-02T09:00:00Z',
    ...input,
  });
}

export const gh = (id: string) => ({ tool: 'github', id });
export const jira = (id: string) => ({ tool: 'jira', id });
