import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import type { CompiledPlan } from '../domain/plan.js';
import { loadMappingText } from './load-mapping.js';
import { minimalMapping, mutate, record } from './test-support.js';

function compile(text: string, file = 'plan.yaml'): CompiledPlan {
  const result = loadMappingText(text, file);
  if (!result.ok) throw new Error(JSON.stringify(result.errors, null, 2));
  return result.plan;
}

const file = 'mappings/checkout-rollout.yaml';
const text = await readFile(file, 'utf8');
const plan = compile(text, file);

describe('compilePlan', () => {
  it('keeps where the plan came from and a sha256 of its text', () => {
    expect(plan.sourceFile).toBe(file);
    expect(plan.hash).toBe(createHash('sha256').update(text).digest('hex'));
  });

  it('numbers phases in file order and keeps their dependencies', () => {
    expect(plan.phases.map((p) => [p.key, p.position, p.dependsOn])).toEqual([
      ['design', 0, []],
      ['build', 1, ['design']],
      ['security-review', 2, ['build']],
      ['launch', 3, ['security-review']],
    ]);
  });

  it('turns identities into lists per tool, with email standing in for outlook and drive', () => {
    const sam = plan.people.find((p) => p.key === 'sam')!;
    expect(sam.identities).toEqual({
      github: ['samiyer', 'sam-iyer-acme'],
      jira: ['62f0c4d8e1a2b3c4d5e6f708'],
      outlook: ['sam.iyer@acme.example'],
      drive: ['sam.iyer@acme.example'],
    });
  });

  it("gives a person without working hours the plan's", () => {
    const jonas = plan.people.find((p) => p.key === 'jonas')!;
    expect(jonas.workingHours).toEqual(plan.workingHours);
    expect(plan.workingHours).toEqual({
      timezone: 'Europe/Berlin',
      days: ['mon', 'tue', 'wed', 'thu', 'fri'],
      start: '09:00',
      end: '17:30',
      holidays: { country: 'DE', region: 'BE' },
      daysOff: [],
    });
    expect(plan.people.find((p) => p.key === 'priya')!.workingHours?.timezone).toBe('Asia/Kolkata');
  });

  it('turns minutes and hours into slaMinutes and working days into slaDays', () => {
    expect(plan.handoffs.slaMinutes).toEqual({ review: 480, approval: 960, reply: 480 });
    expect(plan.handoffs.slaDays).toEqual({ assignment: 2, comment: 1, changes: 1 });
  });

  it('lists every connection the rules name, once', () => {
    expect([...plan.connections].sort()).toEqual(['drive', 'github', 'jira', 'outlook']);
    expect(plan.followReferences).toEqual(['github']);
  });

  it('lower-cases raw states and compiles state and approval conditions', () => {
    expect(plan.stateRules.map((r) => r.raw)).toEqual([
      ['in review'],
      ['blocked'],
      ['awaiting approval'],
      undefined,
      undefined,
    ]);
    const labelled = plan.stateRules[3];
    expect(labelled).toMatchObject({ connection: 'github', state: 'blocked' });
    expect(labelled.matches?.(record({ labels: ['blocked'] }))).toBe(true);
    const approvedDocument = plan.stateRules[4];
    expect(approvedDocument).toMatchObject({ connection: 'drive', state: 'done' });
    expect(approvedDocument.matches?.(record({ fields: { approvalStatus: 'approved' } }))).toBe(true);
    const outlook = plan.approvalRules.find((r) => r.connection === 'outlook')!;
    expect(outlook.matches?.(record({ title: 'Launch at 25%', fields: { approval: true } }))).toBe(true);
    expect(outlook.matches?.(record({ title: 'Lunch on Friday?', fields: {} }))).toBe(false);
  });

  it('compiles a selector without a condition to take every record', () => {
    const bare = compile(mutate('    when: { field: labels, equals: build }\n', ''));
    expect(bare.selectors[0].matches(record())).toBe(true);
  });

  it('orders the escalation ladder by level', () => {
    const ladder = `${minimalMapping}handoffs:\n  escalation:\n    - { level: 2, after: 2, notify: phase_owner, channel: email }\n    - { level: 1, after: 1, notify: receiver }\n`;
    expect(compile(ladder).handoffs.escalation).toEqual([
      { level: 1, after: 1, notify: 'receiver', channel: 'tool' },
      { level: 2, after: 2, notify: 'phase_owner', channel: 'email' },
    ]);
  });

  it('fills the defaults of a minimal file', () => {
    const minimal = compile(minimalMapping);
    expect(minimal).toMatchObject({
      scope: { in: [], out: [] },
      successCriteria: [],
      decisionMakers: [],
      daysOff: [],
      handoffs: {
        slaMinutes: {},
        slaDays: {},
        escalation: [],
        quietOutsideWorkingHours: true,
        digest: false,
      },
    });
    expect(minimal.people[0]).toEqual({ key: 'ana', name: 'Ana', identities: {} });
  });
});
