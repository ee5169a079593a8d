import { describe, expect, it } from 'vitest';
import { changedIssuesJql, FALLBACK_TIME_ZONE, jqlTime, windowStart } from './jql.js';

describe('JQL time bounds', () => {
  it('floors the window start to the minute, overlap minutes before the high-water mark', () => {
    expect(windowStart('2024-06-08T10:05:59.999Z', 2, 'UTC')).toEqual({
      atMs: Date.parse('2024-06-08T10:03:00.000Z'),
      text: '2024/06/08 10:03',
    });
  });

  it('writes the bound as the user’s wall clock, across the date line too', () => {
    expect(windowStart('2024-06-08T23:30:00.000Z', 2, 'Pacific/Auckland').text).toBe('2024/06/09 11:28');
    expect(windowStart('2024-06-08T01:00:00.000Z', 2, 'America/Los_Angeles').text).toBe('2024/06/07 17:58');
  });

  it('steps back before an hour that repeats when clocks go back, so Jira cannot read the later one', () => {
    // 05:32Z minus 2 min is 01:30 EDT, the first of two 01:30s in New York on 3 November 2024.
    expect(windowStart('2024-11-03T05:32:00.000Z', 2, 'America/New_York')).toEqual({
      atMs: Date.parse('2024-11-03T04:30:00.000Z'),
      text: '2024/11/03 00:30',
    });
    // The second 01:30 (EST) can only be read as itself or an hour earlier: no step needed.
    expect(windowStart('2024-11-03T06:32:00.000Z', 2, 'America/New_York').text).toBe('2024/11/03 01:30');
  });

  it('falls back to the zone furthest behind UTC, whose wall time is never later than the instant anywhere', () => {
    expect(jqlTime(Date.parse('2024-06-08T10:00:00.000Z'), FALLBACK_TIME_ZONE)).toBe('2024/06/07 22:00');
  });

  it('puts the scope in parentheses and orders by updated then key', () => {
    expect(changedIssuesJql('project = CHK OR labels = x', '2024/06/08 10:03')).toBe(
      '(project = CHK OR labels = x) AND updated >= "2024/06/08 10:03" ORDER BY updated ASC, key ASC',
    );
  });
});
