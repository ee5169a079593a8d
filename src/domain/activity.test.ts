import { describe, expect, it } from 'vitest';
import { mergeActivity } from './activity.js';
import type { Activity } from './source-record.js';

const ana = { tool: 'jira', id: 'ana', name: 'Ana' };
const ben = { tool: 'jira', id: 'ben', name: 'Ben' };
const at = (id: string, when: string, extra: Partial<Activity> = {}): Activity => ({
  id,
  kind: 'assigned',
  actor: ana,
  target: ben,
  at: when,
  ...extra,
});

describe('mergeActivity', () => {
  it('keeps what was known and adds what is new, once each, in time order', () => {
    const known = [at('h1', '2026-11-02T10:00:00Z'), at('h3', '2026-11-04T10:00:00Z')];
    const incoming = [at('h3', '2026-11-04T10:00:00Z'), at('h2', '2026-11-03T10:00:00Z', { actor: ben })];
    expect(mergeActivity(known, incoming).map((a) => a.id)).toEqual(['h1', 'h2', 'h3']);
  });

  it('counts the same act seen by a poll and by a webhook once, whatever their ids', () => {
    const poll = [at('history:7', '2026-11-02T10:00:00.000Z')];
    const webhook = [at('webhook:abc', '2026-11-02T10:00:00.400Z')];
    expect(mergeActivity(poll, webhook).map((a) => a.id)).toEqual(['history:7']);
  });

  it('orders by instant, not by how the time is written, and breaks ties by id', () => {
    const list = [
      at('b', '2026-11-02T12:00:00+02:00', { actor: ben }), // 10:00Z
      at('c', '2026-11-02T09:30:00Z', { kind: 'commented' }),
      at('a', '2026-11-02T10:00:00.000Z', { kind: 'transitioned' }),
    ];
    expect(mergeActivity([], list).map((a) => a.id)).toEqual(['c', 'a', 'b']);
  });

  it('returns a new list and leaves both inputs as they were', () => {
    const known = [at('h2', '2026-11-03T10:00:00Z')];
    const incoming = [at('h1', '2026-11-02T10:00:00Z', { actor: ben })];
    const merged = mergeActivity(known, incoming);
    expect(merged.map((a) => a.id)).toEqual(['h1', 'h2']);
    expect(known.map((a) => a.id)).toEqual(['h2']);
    expect(incoming.map((a) => a.id)).toEqual(['h1']);
    expect(mergeActivity([], known)).not.toBe(known);
  });
});
