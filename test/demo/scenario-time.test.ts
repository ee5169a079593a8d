import { describe, expect, it } from 'vitest';
import { anchorFor } from '../../src/demo/clock.js';
import { shiftText, shiftTimes } from '../../src/demo/scenario-time.js';

const WEEK = 7 * 86_400_000;

describe('shifting scenario timestamps', () => {
  it.each([
    ['GitHub, whole seconds', '2026-11-16T08:00:00Z', '2026-11-23T08:00:00Z'],
    ['Drive, milliseconds', '2026-11-11T12:40:00.000Z', '2026-11-18T12:40:00.000Z'],
    ['Jira, with its offset', '2026-11-16T09:00:00.123+0100', '2026-11-23T09:00:00.123+0100'],
    ['an offset with a colon', '2026-11-16T09:00:00-05:00', '2026-11-23T09:00:00-05:00'],
    ['Graph calendar, no zone', '2026-11-20T15:00:00.0000000', '2026-11-27T15:00:00.0000000'],
    ['a plain date', '2026-09-25', '2026-10-02'],
  ])('moves %s by a week in its own format', (_, before, after) => {
    expect(shiftText(before, WEEK)).toBe(after);
  });

  it.each([
    ['Graph\'s "no time"', '0001-01-01T00:00:00Z'],
    ['text that only contains a date', 'Notes 2026-11-12'],
    ['an id', 'AAMkAGI2ly5smoDdLtSAgWC5hKajEncqVHRudeHuAAA='],
  ])('leaves %s alone', (_, text) => {
    expect(shiftText(text, WEEK)).toBe(text);
  });

  it('walks nested seed data and keeps everything else as it was', () => {
    const seed = { a: [{ at: '2026-11-16T08:00:00Z', n: 3, ok: true, none: null }], title: 'Spec' };
    expect(shiftTimes(seed, WEEK)).toEqual({
      a: [{ at: '2026-11-23T08:00:00Z', n: 3, ok: true, none: null }],
      title: 'Spec',
    });
  });
});

describe('where the first run opens the story', () => {
  const epoch = new Date('2026-11-16T08:00:00Z');

  it.each([
    ['on the epoch itself', '2026-11-16T08:00:00Z', '2026-11-16T08:00:00.000Z'],
    ['later the same week', '2026-11-26T09:15:00Z', '2026-11-23T08:00:00.000Z'],
    ['a week of Sundays later', '2027-01-10T20:00:00Z', '2027-01-04T08:00:00.000Z'],
    ['before the epoch', '2026-11-10T12:00:00Z', '2026-11-09T08:00:00.000Z'],
  ])('%s: on the latest epoch weekday and hour not after now', (_, now, anchor) => {
    expect(anchorFor(epoch, new Date(now)).toISOString()).toBe(anchor);
  });
});
