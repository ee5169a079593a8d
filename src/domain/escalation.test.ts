import { describe, expect, it } from 'vitest';
import { testPlan } from '../../test/support/plan-fixture.js';
import { workingCalendar } from './business-hours.js';
import {
  alertDedupeKey,
  evaluateHandoff,
  type HandoffClock,
  ladder,
  receiverOf,
  recipientsFor,
} from './escalation.js';
import type { EscalationLevel } from './plan.js';
import { personCalendar, slaDueAt } from './sla-clock.js';

const at = (iso: string) => new Date(iso);
const utc = workingCalendar(); // Mon–Fri 09:00–17:00 UTC
const levels: EscalationLevel[] = [
  { level: 1, after: 1, notify: 'receiver', channel: 'tool' },
  { level: 2, after: 2, notify: 'phase_owner', channel: 'email' },
  { level: 3, after: 3, notify: 'decision_maker', channel: 'webhook:https://hooks.example/x' },
];
// Opened Monday 09:00 with an 8h SLA: level 1 Monday 17:00, level 2 Tuesday 17:00, level 3 Wednesday 17:00.
const clock = (overrides: Partial<HandoffClock> = {}): HandoffClock => ({
  openedAt: at('2026-11-16T09:00:00Z'),
  slaDueAt: at('2026-11-16T17:00:00Z'),
  level: 0,
  stalledAt: null,
  snoozedUntil: null,
  ackedAt: null,
  ...overrides,
});

describe('the SLA clock', () => {
  const policy = testPlan().handoffs; // review 8h, approval 16h, assignment 2d

  it('counts an SLA in the receiver’s business hours, in minutes or working days', () => {
    const friday = at('2026-11-20T15:00:00Z');
    expect(slaDueAt(friday, 'review', policy, utc)).toEqual(at('2026-11-23T15:00:00Z'));
    expect(slaDueAt(friday, 'assignment', policy, utc)).toEqual(at('2026-11-24T15:00:00Z'));
    expect(slaDueAt(friday, 'comment', policy, utc)).toBeNull();
  });

  it("takes the person's hours, else the plan's, else Mon–Fri 09–17 UTC, with the plan's days off", () => {
    const berlin = {
      timezone: 'Europe/Berlin',
      days: ['mon' as const],
      start: '08:00',
      end: '12:00',
      daysOff: [],
    };
    const base = testPlan();
    const plan = testPlan({
      workingHours: berlin,
      daysOff: ['2026-11-16'],
      people: base.people.map((p) =>
        p.key === 'raj' ? { ...p, workingHours: { ...berlin, timezone: 'Asia/Kolkata' } } : p,
      ),
    });
    expect(personCalendar(plan, 'raj').timezone).toBe('Asia/Kolkata');
    expect(personCalendar(plan, 'maya').timezone).toBe('Europe/Berlin');
    expect(personCalendar(plan, null).timezone).toBe('Europe/Berlin');
    expect(personCalendar(testPlan(), 'maya').timezone).toBe('UTC');
    expect(personCalendar(plan, 'maya').isDayOff('2026-11-16')).toBe(true);
  });
});

describe('the escalation ladder', () => {
  it('fires level N at N × the SLA in business time', () => {
    const steps = ladder(clock().openedAt, clock().slaDueAt, levels, utc);
    expect(steps.map((s) => s.at.toISOString())).toEqual([
      '2026-11-16T17:00:00.000Z',
      '2026-11-17T17:00:00.000Z',
      '2026-11-18T17:00:00.000Z',
    ]);
  });

  it.each([
    [
      'before the SLA: nothing, check again at the SLA',
      {},
      '2026-11-16T12:00:00Z',
      0,
      [],
      '2026-11-16T17:00:00Z',
    ],
    ['at the SLA: level 1', {}, '2026-11-16T17:00:00Z', 1, [1], '2026-11-17T17:00:00Z'],
    ['long after: every level not fired yet', {}, '2026-11-19T10:00:00Z', 3, [1, 2, 3], null],
    [
      'level 1 already fired: only level 2',
      { level: 1 },
      '2026-11-18T10:00:00Z',
      2,
      [2],
      '2026-11-18T17:00:00Z',
    ],
    [
      'snoozed: nothing until the snooze ends',
      { snoozedUntil: at('2026-11-18T12:00:00Z') },
      '2026-11-17T10:00:00Z',
      0,
      [],
      '2026-11-18T12:00:00Z',
    ],
    [
      'after a snooze: the levels reached meanwhile',
      { snoozedUntil: at('2026-11-18T12:00:00Z') },
      '2026-11-18T12:00:00Z',
      2,
      [1, 2],
      '2026-11-18T17:00:00Z',
    ],
    [
      'acknowledged: never again',
      { ackedAt: at('2026-11-16T18:00:00Z') },
      '2026-11-19T10:00:00Z',
      0,
      [],
      null,
    ],
  ])('%s', (_, overrides, now, level, fired, next) => {
    const result = evaluateHandoff(clock(overrides), levels, utc, at(now));
    expect(result.level).toBe(level);
    expect(result.fire.map((s) => s.level)).toEqual(fired);
    expect(result.nextCheckAt?.toISOString() ?? null).toBe(next ? at(next).toISOString() : null);
  });

  it('marks a handoff stalled at its SLA, even without a ladder', () => {
    const result = evaluateHandoff(clock(), [], utc, at('2026-11-17T10:00:00Z'));
    expect(result).toMatchObject({ stalledAt: at('2026-11-16T17:00:00Z'), nextCheckAt: null, fire: [] });
  });

  it('looks at a stalled handoff again each working morning in digest plans', () => {
    const result = evaluateHandoff(clock({ level: 3 }), levels, utc, at('2026-11-19T10:00:00Z'), {
      digest: true,
    });
    expect(result.nextCheckAt).toEqual(at('2026-11-20T09:00:00Z'));
    const early = evaluateHandoff(clock({ level: 3 }), levels, utc, at('2026-11-20T07:00:00Z'), {
      digest: true,
    });
    expect(early.nextCheckAt).toEqual(at('2026-11-20T09:00:00Z'));
  });
});

describe('who a level tells', () => {
  const plan = testPlan();
  const parties = {
    phase: 'build',
    toPerson: 'raj',
    toName: 'Raj Patel',
    toIdentity: { tool: 'github', id: 'rajp' },
  };

  it('tells the receiver, the phase owner, the plan owner', () => {
    expect(recipientsFor(plan, parties, 'receiver').map((r) => r.key)).toEqual(['raj']);
    expect(recipientsFor(plan, parties, 'phase_owner').map((r) => r.key)).toEqual(['raj']);
    expect(recipientsFor(plan, parties, 'plan_owner')).toMatchObject([
      {
        key: 'maya',
        email: 'maya@acme.test',
        identities: expect.arrayContaining([{ tool: 'github', id: 'mayachen' }]),
      },
    ]);
  });

  it("tells the phase's decision-makers, else the plan's", () => {
    expect(recipientsFor(plan, parties, 'decision_maker').map((r) => r.key)).toEqual(['olivia']);
    const withPhaseDeciders = testPlan({
      phases: plan.phases.map((p) => (p.key === 'build' ? { ...p, decisionMakers: ['maya', 'raj'] } : p)),
    });
    expect(recipientsFor(withPhaseDeciders, parties, 'decision_maker').map((r) => r.key)).toEqual([
      'maya',
      'raj',
    ]);
  });

  it('addresses a receiver the plan does not list by their tool identity', () => {
    const stranger = {
      ...parties,
      toPerson: null,
      toName: 'octocat',
      toIdentity: { tool: 'github', id: 'OctoCat' },
    };
    expect(receiverOf(plan, stranger)).toEqual({
      key: 'github:octocat',
      name: 'octocat',
      identities: [{ tool: 'github', id: 'OctoCat' }],
      person: null,
    });
  });

  it('keys alerts by handoff, level and channel, and by person when a level tells several', () => {
    expect(alertDedupeKey('h1', 2, 'tool')).toBe('h1:2:tool');
    expect(alertDedupeKey('h1', 3, 'email', 'olivia')).toBe('h1:3:email:olivia');
  });
});
