import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { WebhookRequest } from '../../src/connectors/kit/index.js';
import { SourceRecord } from '../../src/domain/source-record.js';
import type { NormalizeOptions } from './config.js';
import { parseJiraDelivery, signBody, verifyJiraDelivery } from './webhook.js';

const SECRET = 'It5-a-s3cret-shared-with-Jira';
const fixture = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url));
const options: NormalizeOptions = {
  siteUrl: 'https://acme.atlassian.net',
  approvalStatuses: ['Awaiting approval'],
  extraFields: [],
};
const OMAR = '5b10ac8d82e05b22cc7d4ef5';
const PRIYA = '712020:8e4d2c1b-7f6a-4b3c-a2d1-9e8f7a6b5c4d';

function signed(body: Buffer, secret = SECRET): WebhookRequest {
  return {
    headers: {
      'content-type': 'application/json',
      'x-hub-signature': signBody(body, secret),
      'x-atlassian-webhook-identifier': '8d2c9f0e-4b1a-4c7e-9a55-2f1d3c4b5a6e',
      'x-atlassian-webhook-flow': 'Primary',
    },
    query: {},
    rawBody: body,
  };
}

describe('verifying Jira deliveries', () => {
  const body = fixture('webhook-issue-updated.json');

  it('accepts a delivery signed with the shared secret, keyed by its webhook identifier', () => {
    expect(verifyJiraDelivery(signed(body), [SECRET])).toEqual({
      ok: true,
      deliveryId: '8d2c9f0e-4b1a-4c7e-9a55-2f1d3c4b5a6e',
      event: 'jira:issue_updated',
    });
  });

  it('refuses a delivery whose body was changed after signing', () => {
    const request = signed(body);
    const tampered = Buffer.from(
      body.toString('utf8').replace('Validate card expiry', 'Validate card expirY'),
    );
    expect(verifyJiraDelivery({ ...request, rawBody: tampered }, [SECRET])).toMatchObject({
      ok: false,
      status: 401,
      code: 'signature_mismatch',
    });
  });

  it('refuses a delivery signed with another secret', () => {
    expect(verifyJiraDelivery(signed(body, 'not-the-secret'), [SECRET])).toMatchObject({
      ok: false,
      status: 401,
    });
  });

  it('refuses a delivery without a signature', () => {
    const request = signed(body);
    delete request.headers['x-hub-signature'];
    expect(verifyJiraDelivery(request, [SECRET])).toMatchObject({
      ok: false,
      status: 401,
      code: 'signature_missing',
    });
  });

  it('refuses a signature of the wrong length or shape without comparing it', () => {
    const request = signed(body);
    request.headers['x-hub-signature'] = `${request.headers['x-hub-signature']}00`;
    expect(verifyJiraDelivery(request, [SECRET])).toMatchObject({ ok: false, status: 401 });
    request.headers['x-hub-signature'] = 'sha1=0123456789abcdef0123456789abcdef01234567';
    expect(verifyJiraDelivery(request, [SECRET])).toMatchObject({ ok: false, status: 401 });
  });

  it('accepts the previous secret during a rotation, and only the secrets configured', () => {
    expect(verifyJiraDelivery(signed(body, 'old-secret'), [SECRET, 'old-secret']).ok).toBe(true);
    expect(verifyJiraDelivery(signed(body, 'old-secret'), [SECRET, undefined]).ok).toBe(false);
  });

  it('answers 400 to a signed request without X-Atlassian-Webhook-Identifier', () => {
    const request = signed(body);
    delete request.headers['x-atlassian-webhook-identifier'];
    expect(verifyJiraDelivery(request, [SECRET])).toMatchObject({
      ok: false,
      status: 400,
      code: 'delivery_id_missing',
    });
  });

  it('refuses every delivery, even a signed one, when the connection has no webhook secret', () => {
    expect(verifyJiraDelivery(signed(body), [undefined, undefined])).toMatchObject({
      ok: false,
      status: 401,
      code: 'webhook_secret_not_configured',
    });
  });
});

describe('parsing Jira deliveries', () => {
  it('turns jira:issue_updated into a record with the delivered assignment, updatedAt from the issue', () => {
    const parsed = parseJiraDelivery(fixture('webhook-issue-updated.json'), options);
    if (parsed.kind !== 'records') throw new Error(`expected records, got ${parsed.kind}`);
    const [record] = parsed.records;
    expect(() => SourceRecord.parse(record)).not.toThrow();
    expect(record).toMatchObject({
      externalId: '10043',
      key: 'CHK-43',
      state: { raw: 'In Progress', category: 'in_progress' },
      updatedAt: '2024-06-08T08:42:05.102Z',
      assignees: [{ id: PRIYA }],
    });
    const assigned = record.activity.filter((a) => a.kind === 'assigned');
    expect(assigned).toEqual([
      {
        id: 'history:10512:0',
        kind: 'assigned',
        actor: { tool: 'jira', id: OMAR, name: 'Omar Haddad', email: 'omar.haddad@acme.example' },
        target: { tool: 'jira', id: PRIYA, name: 'Priya Nair' },
        at: '2024-06-08T08:42:05.118Z',
      },
    ]);
  });

  it('turns jira:issue_deleted into a tombstone for the issue id', () => {
    const parsed = parseJiraDelivery(fixture('webhook-issue-deleted.json'), options);
    expect(parsed).toMatchObject({
      kind: 'records',
      records: [
        {
          source: 'jira',
          externalId: '10044',
          kind: 'issue',
          deleted: true,
          updatedAt: '2024-06-08T09:46:40.000Z',
        },
      ],
    });
  });

  it('asks for a pull on comment_created, whose issue lacks status and times', () => {
    expect(parseJiraDelivery(fixture('webhook-comment-created.json'), options)).toEqual({ kind: 'pull' });
  });

  it('records a comment delivered with the full issue (issue_commented) as commented activity', () => {
    const updated = JSON.parse(fixture('webhook-issue-updated.json').toString('utf8'));
    const comment = JSON.parse(fixture('webhook-comment-created.json').toString('utf8')).comment;
    const body = { ...updated, issue_event_type_name: 'issue_commented', comment, changelog: undefined };
    const parsed = parseJiraDelivery(Buffer.from(JSON.stringify(body)), options);
    if (parsed.kind !== 'records') throw new Error(`expected records, got ${parsed.kind}`);
    expect(parsed.records[0].activity.find((a) => a.kind === 'commented')).toMatchObject({
      id: 'comment:10640',
      actor: { id: PRIYA },
      target: { id: OMAR },
      detail: { excerpt: `@${OMAR} the expiry check looks right, please add a test for 02/29.` },
    });
  });

  it('records entering approval from the delivery, but pulls when an issue leaves it', () => {
    const updated = JSON.parse(fixture('webhook-issue-updated.json').toString('utf8'));
    const status = (from: string, to: string) => ({
      ...updated,
      changelog: {
        id: '10520',
        items: [
          {
            field: 'status',
            fieldtype: 'jira',
            fieldId: 'status',
            from: '1',
            fromString: from,
            to: '2',
            toString: to,
          },
        ],
      },
    });
    const entering = parseJiraDelivery(
      Buffer.from(JSON.stringify(status('In Progress', 'Awaiting approval'))),
      options,
    );
    if (entering.kind !== 'records') throw new Error(`expected records, got ${entering.kind}`);
    expect(entering.records[0].activity.find((a) => a.kind === 'approval_requested')).toMatchObject({
      id: 'history:10520:0:approval_requested',
      actor: { id: OMAR },
      target: { id: PRIYA },
    });
    const leaving = parseJiraDelivery(
      Buffer.from(JSON.stringify(status('Awaiting approval', 'In Progress'))),
      options,
    );
    expect(leaving).toEqual({ kind: 'pull' });
  });

  it('ignores events Baton does not use and reports bodies that are not Jira payloads', () => {
    const other = Buffer.from(JSON.stringify({ timestamp: 1, webhookEvent: 'worklog_created', worklog: {} }));
    expect(parseJiraDelivery(other, options)).toMatchObject({ kind: 'ignored' });
    expect(parseJiraDelivery(Buffer.from('{"hello":'), options)).toMatchObject({
      kind: 'error',
      code: 'invalid_json',
    });
    expect(parseJiraDelivery(Buffer.from('{"webhookEvent":"jira:issue_updated"}'), options)).toMatchObject({
      kind: 'error',
      code: 'invalid_payload',
    });
  });
});
