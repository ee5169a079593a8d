import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  addBusinessMinutes,
  addWorkingDays,
  businessMinutesBetween,
  CalendarError,
  isWorkingTime,
  nextWorkingInstant,
  WorkingCalendar,
  workingCalendar,
} from './business-hours.js';
import type { WorkingHours } from './plan.js';

const hours = (overrides: Partial<WorkingHours> = {}): WorkingHours => ({
  timezone: 'Europe/Berlin',
  days: ['mon', 'tue', 'wed', 'thu', 'fri'],
  start: '09:00',
  end: '17:00',
  daysOff: [],
  ...overrides,
});
const at = (iso: string) => new Date(iso);
const berlin = workingCalendar(hours());

describe('business hours in one time zone', () => {
  it.each([
    ['inside a working day', '2026-11-17T10:00:00+01:00', 120, '2026-11-17T12:00:00+01:00'],
    ['across the evening', '2026-11-17T16:00:00+01:00', 120, '2026-11-18T10:00:00+01:00'],
    ['across the weekend', '2026-11-20T16:00:00+01:00', 120, '2026-11-23T10:00:00+01:00'],
    ['from before the day starts', '2026-11-17T06:00:00+01:00', 60, '2026-11-17T10:00:00+01:00'],
    ['to the exact end of a day', '2026-11-17T09:00:00+01:00', 480, '2026-11-17T17:00:00+01:00'],
  ])('adds business minutes %s', (_, start, minutes, expected) => {
    expect(addBusinessMinutes(at(start), minutes, berlin)).toEqual(at(expected));
  });

  it('starts the clock of a handoff opened on a Saturday night on Monday morning', () => {
    const saturdayNight = at('2026-11-14T23:00:00+01:00');
    expect(addBusinessMinutes(saturdayNight, 480, berlin)).toEqual(at('2026-11-16T17:00:00+01:00'));
    expect(businessMinutesBetween(saturdayNight, at('2026-11-16T09:00:00+01:00'), berlin)).toBe(0);
    expect(nextWorkingInstant(saturdayNight, berlin)).toEqual(at('2026-11-16T09:00:00+01:00'));
  });

  it('counts a window as [start, end)', () => {
    expect(isWorkingTime(at('2026-11-17T09:00:00+01:00'), berlin)).toBe(true);
    expect(isWorkingTime(at('2026-11-17T16:59:59+01:00'), berlin)).toBe(true);
    expect(isWorkingTime(at('2026-11-17T17:00:00+01:00'), berlin)).toBe(false);
    expect(isWorkingTime(at('2026-11-21T11:00:00+01:00'), berlin)).toBe(false);
  });

  it('counts working days as whole days of the receiver', () => {
    const tuesday10 = at('2026-11-17T10:00:00+01:00');
    expect(addWorkingDays(tuesday10, 2, berlin)).toEqual(at('2026-11-19T10:00:00+01:00'));
    expect(addWorkingDays(at('2026-11-20T10:00:00+01:00'), 1, berlin)).toEqual(
      at('2026-11-23T10:00:00+01:00'),
    );
    // From off-hours: the end of the n-th working day.
    expect(addWorkingDays(at('2026-11-14T23:00:00+01:00'), 2, berlin)).toEqual(
      at('2026-11-17T17:00:00+01:00'),
    );
  });

  it('refuses a calendar that never works', () => {
    const mondays = Array.from({ length: 120 }, (_, i) =>
      new Date(Date.UTC(2026, 10, 16 + 7 * i)).toISOString().slice(0, 10),
    );
    const never = new WorkingCalendar(hours({ days: ['mon'] }), mondays);
    expect(() => addBusinessMinutes(at('2026-11-16T00:00:00Z'), 60, never)).toThrow(CalendarError);
  });
});

describe('business hours across DST changes', () => {
  it.each([
    // Friday 16:00 local + 8h = 1h on Friday, 7h on Monday: Monday 16:00 local. Berlin springs
    // forward on Sunday 2026-03-29, so that is 14:00Z (a UTC-only clock would say 15:00Z).
    ['Europe/Berlin in March', 'Europe/Berlin', '2026-03-27T15:00:00Z', 480, '2026-03-30T14:00:00Z'],
    ['Europe/Berlin in October', 'Europe/Berlin', '2026-10-23T14:00:00Z', 480, '2026-10-26T15:00:00Z'],
    ['America/New_York in March', 'America/New_York', '2026-03-06T21:00:00Z', 120, '2026-03-09T14:00:00Z'],
    ['America/New_York in November', 'America/New_York', '2026-10-30T20:00:00Z', 120, '2026-11-02T15:00:00Z'],
  ])('keeps local working hours in %s', (_, timezone, start, minutes, expected) => {
    const calendar = workingCalendar(hours({ timezone }));
    expect(addBusinessMinutes(at(start), minutes, calendar)).toEqual(at(expected));
    expect(businessMinutesBetween(at(start), at(expected), calendar)).toBe(minutes);
  });

  it('counts the real length of a day that has 23 or 25 hours', () => {
    const always = workingCalendar(
      hours({ days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'], start: '00:00', end: '24:00' }),
    );
    const day = (from: string, to: string) => businessMinutesBetween(at(from), at(to), always);
    expect(day('2026-03-29T00:00:00+01:00', '2026-03-30T00:00:00+02:00')).toBe(23 * 60);
    expect(day('2026-10-25T00:00:00+02:00', '2026-10-26T00:00:00+01:00')).toBe(25 * 60);
  });

  it('keeps a working-day SLA at the same local time across the change', () => {
    const friday10 = at('2026-03-27T10:00:00+01:00');
    expect(addWorkingDays(friday10, 1, berlin)).toEqual(at('2026-03-30T10:00:00+02:00'));
  });
});

describe('holidays and days off', () => {
  const opened = at('2026-11-17T16:00:00+01:00'); // Tuesday; Wednesday 18th is Buß- und Bettag in Saxony

  it('skips a German public holiday of the receiver’s region', () => {
    const saxony = workingCalendar(hours({ holidays: { country: 'DE', region: 'SN' } }));
    const berlinState = workingCalendar(hours({ holidays: { country: 'DE', region: 'BE' } }));
    expect(addBusinessMinutes(opened, 120, saxony)).toEqual(at('2026-11-19T10:00:00+01:00'));
    expect(addBusinessMinutes(opened, 120, berlinState)).toEqual(at('2026-11-18T10:00:00+01:00'));
  });

  it('skips a national holiday on a weekday', () => {
    const germany = workingCalendar(hours({ holidays: { country: 'DE' } }));
    expect(addBusinessMinutes(at('2026-04-30T16:00:00+02:00'), 120, germany)).toEqual(
      at('2026-05-04T10:00:00+02:00'),
    );
  });

  it('skips a plan day off and a personal day off', () => {
    expect(addBusinessMinutes(opened, 120, workingCalendar(hours(), ['2026-11-18']))).toEqual(
      at('2026-11-19T10:00:00+01:00'),
    );
    const vacation = workingCalendar(hours({ daysOff: ['2026-11-18', '2026-11-19'] }));
    expect(addBusinessMinutes(opened, 120, vacation)).toEqual(at('2026-11-20T10:00:00+01:00'));
    expect(isWorkingTime(at('2026-11-18T11:00:00+01:00'), vacation)).toBe(false);
  });
});

const zones = [
  'UTC',
  'Europe/Berlin',
  'America/New_York',
  'Asia/Kolkata',
  'Australia/Lord_Howe',
  'Pacific/Chatham',
];
const weekdays = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
const clock = (minutes: number) =>
  `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;

const calendarArb = fc
  .record({
    timezone: fc.constantFrom(...zones),
    days: fc.subarray([...weekdays], { minLength: 1 }),
    start: fc.integer({ min: 0, max: 94 }),
    length: fc.integer({ min: 1, max: 96 }),
    holidays: fc.option(
      fc.constantFrom({ country: 'DE', region: 'SN' }, { country: 'US' }, { country: 'IN' }),
      {
        nil: undefined,
      },
    ),
    daysOff: fc.array(fc.integer({ min: 0, max: 900 }), { maxLength: 20 }),
  })
  .map(({ timezone, days, start, length, holidays, daysOff }) => {
    const end = Math.min(96, start + length);
    return workingCalendar(
      {
        timezone,
        days,
        start: clock(start * 15),
        end: end === 96 ? '24:00' : clock(end * 15),
        ...(holidays && { holidays }),
        daysOff: daysOff.map((d) =>
          new Date(Date.UTC(2025, 0, 1) + d * 86_400_000).toISOString().slice(0, 10),
        ),
      },
      [],
    );
  });
const instantArb = fc
  .integer({ min: Date.UTC(2025, 0, 1), max: Date.UTC(2027, 6, 1) })
  .map((ms) => new Date(ms - (ms % 1000)));
const minutesArb = fc.integer({ min: 0, max: 6_000 });

describe('business-hours arithmetic (properties)', () => {
  it('is monotonic in the start and in the minutes', () => {
    fc.assert(
      fc.property(calendarArb, instantArb, instantArb, minutesArb, minutesArb, (cal, t1, t2, m1, m2) => {
        const [early, late] = t1 <= t2 ? [t1, t2] : [t2, t1];
        const [few, many] = m1 <= m2 ? [m1, m2] : [m2, m1];
        expect(addBusinessMinutes(early, few, cal) <= addBusinessMinutes(early, many, cal)).toBe(true);
        expect(addBusinessMinutes(early, few, cal) <= addBusinessMinutes(late, few, cal)).toBe(true);
      }),
      { numRuns: 150 },
    );
  });

  it('is additive: add(add(t, a), b) = add(t, a + b)', () => {
    fc.assert(
      fc.property(calendarArb, instantArb, minutesArb, minutesArb, (cal, t, a, b) => {
        expect(addBusinessMinutes(addBusinessMinutes(t, a, cal), b, cal)).toEqual(
          addBusinessMinutes(t, a + b, cal),
        );
      }),
      { numRuns: 150 },
    );
  });

  it('measures back what it added: between(t, add(t, m)) = m', () => {
    fc.assert(
      fc.property(calendarArb, instantArb, minutesArb, (cal, t, m) => {
        expect(businessMinutesBetween(t, addBusinessMinutes(t, m, cal), cal)).toBe(m);
      }),
      { numRuns: 150 },
    );
  });

  it('never counts off-hours', () => {
    fc.assert(
      fc.property(calendarArb, instantArb, instantArb, (cal, a, b) => {
        const next = nextWorkingInstant(a, cal);
        if (!isWorkingTime(a, cal)) expect(businessMinutesBetween(a, next, cal)).toBe(0);
        expect(isWorkingTime(next, cal)).toBe(true);
        const [from, to] = a <= b ? [a, b] : [b, a];
        const counted = businessMinutesBetween(from, to, cal);
        expect(counted).toBeLessThanOrEqual((to.getTime() - from.getTime()) / 60_000);
        const end = addBusinessMinutes(from, 1, cal);
        // The minute just added was working time.
        expect(isWorkingTime(new Date(end.getTime() - 1), cal)).toBe(true);
      }),
      { numRuns: 150 },
    );
  });

  it('splits a span anywhere: between(a, b) + between(b, c) = between(a, c)', () => {
    fc.assert(
      fc.property(calendarArb, fc.array(instantArb, { minLength: 3, maxLength: 3 }), (cal, instants) => {
        const [a, b, c] = instants.sort((x, y) => x.getTime() - y.getTime());
        const sum = businessMinutesBetween(a, b, cal) + businessMinutesBetween(b, c, cal);
        expect(sum).toBeCloseTo(businessMinutesBetween(a, c, cal), 6);
      }),
      { numRuns: 100 },
    );
  });
});
