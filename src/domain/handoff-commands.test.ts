import { describe, expect, it } from 'vitest';
import { gh, record, testPlan } from '../../test/support/plan-fixture.js';
import { workingCalendar } from './business-hours.js';
import { commandEffects, type OpenHandoff, parseHandoffCommand } from './handoff-commands.js';

const plan = testPlan();
const calendar = workingCalendar(); // Mon–Fri 09:00–17:00 UTC

const open = (overrides: Partial<OpenHandoff> = {}): OpenHandoff => ({
  id: 'h1',
  receiverKey: 'raj',
  openedAt: new Date('2026-11-16T10:00:00Z'),
  snoozedUntil: null,
  ackedAt: null,
  calendar,
  ...overrides,
});

const withComments = (...comments: { login: string; command: string; at: string }[]) =>
  record({
    externalId: 'acme/checkout#5',
    source: 'github',
    activity: comments.map((c, i) => ({
      id: `c${i}`,
      kind: 'commented' as const,
      actor: gh(c.login),
      at: c.at,
      detail: { command: c.command },
    })),
  });

describe('commands left in the tool', () => {
  it.each([
    ['ack', { kind: 'ack' }],
    ['snooze', { kind: 'snooze', length: { days: 1 } }],
    ['snooze 1d', { kind: 'snooze', length: { days: 1 } }],
    ['Snooze 4h', { kind: 'snooze', length: { minutes: 240 } }],
    ['snooze 30m', { kind: 'snooze', length: { minutes: 30 } }],
    ['snooze forever', null],
    ['snooze 400d', null],
    ['ack please', null],
    ['deploy', null],
  ])('reads "%s"', (text, expected) => {
    expect(parseHandoffCommand(text)).toEqual(expected);
  });

  it("snoozes the receiver's handoff for a working day from when they wrote it", () => {
    const effects = commandEffects(
      plan,
      withComments({ login: 'rajp', command: 'snooze 1d', at: '2026-11-20T15:00:00Z' }),
      [open()],
    );
    expect(effects).toEqual({ snoozes: [{ id: 'h1', until: new Date('2026-11-23T15:00:00Z') }], acks: [] });
  });

  it('acknowledges with the time the receiver wrote it', () => {
    const effects = commandEffects(
      plan,
      withComments({ login: 'rajp', command: 'ack', at: '2026-11-17T11:00:00Z' }),
      [open()],
    );
    expect(effects.acks).toEqual([{ id: 'h1', at: new Date('2026-11-17T11:00:00Z') }]);
  });

  it('ignores commands by anyone else, and commands older than the handoff', () => {
    const someoneElse = withComments({ login: 'mayachen', command: 'ack', at: '2026-11-17T11:00:00Z' });
    const tooEarly = withComments({ login: 'rajp', command: 'snooze 1d', at: '2026-11-16T09:00:00Z' });
    expect(commandEffects(plan, someoneElse, [open()])).toEqual({ snoozes: [], acks: [] });
    expect(commandEffects(plan, tooEarly, [open()])).toEqual({ snoozes: [], acks: [] });
  });

  it('changes nothing when replayed: a snooze only extends, an ack only happens once', () => {
    const record = withComments(
      { login: 'rajp', command: 'snooze 1d', at: '2026-11-17T11:00:00Z' },
      { login: 'rajp', command: 'ack', at: '2026-11-17T12:00:00Z' },
    );
    const already = open({
      snoozedUntil: new Date('2026-11-18T11:00:00Z'),
      ackedAt: new Date('2026-11-17T12:00:00Z'),
    });
    expect(commandEffects(plan, record, [already])).toEqual({ snoozes: [], acks: [] });
  });
});
