import { describe, expect, it } from 'vitest';
import { SourceRecord } from '../../src/domain/source-record.js';
import { OutlookConfig } from './config.js';
import { onMessage } from './conversations.js';
import { emptyCursor } from './cursor.js';
import thread from './fixtures/approval-thread.json' with { type: 'json' };
import calendar from './fixtures/calendarview-delta.json' with { type: 'json' };
import page1 from './fixtures/message-delta-page1.json' with { type: 'json' };
import { eventRecord, plainMessageRecord } from './normalize.js';
import type { DeltaEvent, DeltaMessage } from './wire.js';

/** Fixture in → SourceRecords out, compared with recorded snapshots (fixtures/snapshots). */

const config = OutlookConfig.parse({ accessToken: 't', mailboxes: [{ user: 'pm@contoso.com' }] });
const asJson = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;

describe('outlook normalizer', () => {
  it('turns an approval thread into one item: the request, then one decision per approver', async () => {
    const cursor = emptyCursor();
    const records = [
      onMessage(cursor, thread.request as DeltaMessage, thread.mailbox, 'sentitems', config),
      ...thread.replies.map((reply) =>
        onMessage(cursor, reply as DeltaMessage, thread.mailbox, 'inbox', config),
      ),
    ].flatMap((outcome) => (outcome.kind === 'records' ? outcome.records : []));
    for (const record of records) SourceRecord.parse(record);
    await expect(asJson(records)).toMatchFileSnapshot('./fixtures/snapshots/approval-thread.records.json');
    await expect(asJson(cursor)).toMatchFileSnapshot('./fixtures/snapshots/approval-thread.cursor.json');
  });

  it('keeps a plain message minimal: selected fields, the first preview lines, keys from subject and preview', async () => {
    const record = plainMessageRecord(page1.value[0] as DeltaMessage, 'pm@contoso.com', 'inbox', config);
    SourceRecord.parse(record);
    await expect(asJson(record)).toMatchFileSnapshot('./fixtures/snapshots/plain-message.record.json');
  });

  it('turns a decision meeting into a gate: due at its start, attendees responding', async () => {
    const records = calendar.value
      .filter((event) => !('@removed' in event))
      .map((event) => eventRecord(event as DeltaEvent, 'pm@contoso.com', config));
    for (const record of records) SourceRecord.parse(record);
    await expect(asJson(records)).toMatchFileSnapshot('./fixtures/snapshots/calendar.records.json');
  });
});
