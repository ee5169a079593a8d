import { describe, expect, it } from 'vitest';
import type { SourceRecord } from '../domain/source-record.js';
import { canonicalJson, contentHash, itemRow, prepareForIngest } from './item-changes.js';

const record: SourceRecord = {
  source: 'jira',
  externalId: '10001',
  key: 'CHK-1',
  kind: 'issue',
  title: 'Checkout flag rollout',
  state: { raw: 'In Progress', category: 'in_progress' },
  assignees: [{ tool: 'jira', id: 'a1', name: 'Ana' }],
  reviewers: [],
  labels: ['rollout'],
  references: [],
  createdAt: '2026-11-02T10:00:00Z',
  updatedAt: '2026-11-03T10:00:00Z',
  deleted: false,
  fields: { priority: 'High', components: ['web'] },
  activity: [],
};

describe('canonicalJson', () => {
  it('writes object keys in sorted order at every depth', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: 1, y: 2 }], c: 'x' } })).toBe(
      '{"a":{"c":"x","d":[3,{"y":2,"z":1}]},"b":1}',
    );
  });

  it('leaves out undefined members and writes JSON for every value JSON can hold', () => {
    expect(canonicalJson({ a: undefined, b: null, c: 'q"uote', d: true, e: 1.5, f: [] })).toBe(
      '{"b":null,"c":"q\\"uote","d":true,"e":1.5,"f":[]}',
    );
    expect(canonicalJson(undefined)).toBe('null');
  });

  it('agrees with JSON.parse: the text parses back to the same value', () => {
    const value = { list: [{ id: 'x', at: '2026-11-03T10:00:00Z' }], text: 'line\nbreak ünïcode' };
    expect(JSON.parse(canonicalJson(value))).toEqual(value);
  });
});

describe('contentHash', () => {
  it('is the same whatever order the keys arrive in (jsonb reorders them)', () => {
    const reordered = {
      ...record,
      fields: { components: ['web'], priority: 'High' },
      assignees: [{ name: 'Ana', id: 'a1', tool: 'jira' }],
    };
    expect(contentHash(reordered)).toBe(contentHash(record));
  });

  it('treats the same instant written two ways as the same', () => {
    expect(contentHash({ ...record, updatedAt: '2026-11-03T10:00:00.000Z' })).toBe(contentHash(record));
  });

  it('ignores the raw payload and changes with anything Baton keeps', () => {
    expect(contentHash({ ...record, raw: { anything: true } })).toBe(contentHash(record));
    expect(contentHash({ ...record, title: 'Checkout flag rollout v2' })).not.toBe(contentHash(record));
    expect(contentHash({ ...record, labels: ['rollout', 'blocked'] })).not.toBe(contentHash(record));
  });
});

describe('prepareForIngest', () => {
  const now = new Date('2026-11-26T12:00:00Z');

  it('writes each payload as text as it arrives, then lets the payload object go', () => {
    const payload = { id: '10001', fields: { summary: 'Checkout flag rollout', labels: ['rollout'] } };
    const arrived = { ...record, raw: payload };
    prepareForIngest([arrived]);
    expect(arrived.raw).not.toBe(payload);
    expect(JSON.parse(itemRow('jira', arrived, null, now).raw!)).toEqual(payload);
    // Ingest copies records (collapsing two versions of one item): a copy keeps the text.
    expect(JSON.parse(itemRow('jira', { ...arrived, title: 'v2' }, null, now).raw!)).toEqual(payload);
    prepareForIngest([arrived]); // a second pass leaves the text as it is
    expect(JSON.parse(itemRow('jira', arrived, null, now).raw!)).toEqual(payload);
  });

  it('keeps "no payload" as no payload, and stores a payload that was not prepared', () => {
    const none = { ...record };
    prepareForIngest([none]);
    expect(itemRow('jira', none, null, now).raw).toBeNull();
    expect(itemRow('jira', { ...record, raw: [1, 'two'] }, null, now).raw).toBe('[1,"two"]');
  });
});
