import { readFileSync } from 'node:fs';
import type { drive_v3 } from '@googleapis/drive';
import nock from 'nock';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ConnectorHttpError, type Json } from '../../src/connectors/kit/index.js';
import { FOLDER_MIME } from './folder-tree.js';
import { file, folder } from './sim-wire.js';
import { pullAll, testContext } from './test-support.js';

const ROOT = 'https://drive.test';
const settings = { auth: { accessToken: 'test-token' }, rootUrl: `${ROOT}/`, folders: ['root'] };
const errorBody = (name: string) =>
  JSON.parse(readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8'));

/** A changes cursor that knows `root` (the scope) and `specs` below it. */
const changesCursor = (pageToken: string, folders: Record<string, [string, string]> = {}): Json => ({
  v: 1,
  phase: 'changes',
  pageToken,
  roots: { root: 'Launch plan' },
  folders: { specs: ['root', 'Specs'], ...folders },
});

const change = (f: drive_v3.Schema$File, time = '2024-06-01T10:00:00.000Z'): drive_v3.Schema$Change => ({
  kind: 'drive#change',
  changeType: 'file',
  time,
  removed: false,
  fileId: f.id,
  file: f,
});
const removed = (fileId: string, time = '2024-06-01T10:00:00.000Z'): drive_v3.Schema$Change => ({
  kind: 'drive#change',
  changeType: 'file',
  time,
  removed: true,
  fileId,
});

const drive = () => nock(ROOT);
/** Every in-scope file's comments and approvals: none, here. */
function noDetails(...ids: string[]) {
  for (const id of ids) {
    drive().get(`/drive/v3/files/${id}/comments`).query(true).reply(200, { comments: [] });
    drive().get(`/drive/v3/files/${id}/approvals`).query(true).reply(200, { items: [] });
  }
}
function changesPage(pageToken: string, body: drive_v3.Schema$ChangeList) {
  return drive()
    .get('/drive/v3/changes')
    .query((q) => q.pageToken === pageToken)
    .reply(200, body);
}
const myDriveRoot = () =>
  drive()
    .get('/drive/v3/files/0AMyDrive')
    .query(true)
    .reply(200, { id: '0AMyDrive', name: 'My Drive', mimeType: FOLDER_MIME });

beforeAll(() => {
  nock.disableNetConnect();
});
afterEach(() => {
  nock.cleanAll();
});

describe('Drive pull against the changes feed (nock)', () => {
  it('follows nextPageToken and keeps the last page newStartPageToken as the next cursor', async () => {
    const queries: Record<string, string>[] = [];
    drive()
      .get('/drive/v3/changes')
      .query((q) => {
        if (q.pageToken === '100') queries.push(q as Record<string, string>);
        return q.pageToken === '100';
      })
      .reply(200, { nextPageToken: '150', changes: [change(file({ id: 'a', name: 'A', parent: 'root' }))] });
    changesPage('150', {
      newStartPageToken: '180',
      changes: [change(file({ id: 'c', name: 'C', parent: 'specs' }))],
    });
    noDetails('a', 'c');

    const { pages, cursor } = await pullAll(testContext(settings), changesCursor('100'));

    expect(pages.map((p) => p.records.map((r) => r.externalId))).toEqual([['a'], ['c']]);
    expect((pages[0].cursor as { pageToken: string }).pageToken).toBe('150');
    expect((cursor as { pageToken: string }).pageToken).toBe('180');
    expect(queries[0]).toMatchObject({
      pageSize: '1000',
      includeRemoved: 'true',
      spaces: 'drive',
      supportsAllDrives: 'true',
    });
    expect(queries[0].fields).toContain('newStartPageToken');
    expect(nock.isDone()).toBe(true);
  });

  it('ignores files outside the scoped folders, asking Drive once about each unknown folder', async () => {
    changesPage('7', {
      newStartPageToken: '8',
      changes: [
        change(file({ id: 'b', name: 'Budget', parent: 'elsewhere' })),
        change(file({ id: 'd', name: 'Drafts', parent: 'elsewhere' })),
        change(file({ id: 'e', name: 'Spec', parent: 'specs' })),
      ],
    });
    drive()
      .get('/drive/v3/files/elsewhere')
      .query(true)
      .reply(200, folder('elsewhere', 'Elsewhere', '0AMyDrive'));
    myDriveRoot();
    noDetails('e');

    const { records } = await pullAll(testContext(settings), changesCursor('7'));

    expect(records.map((r) => r.externalId)).toEqual(['e']);
    expect(records[0].fields).toMatchObject({ folderPath: 'Launch plan/Specs', folderId: 'specs' });
    expect(nock.isDone()).toBe(true);
  });

  it('yields every file below a folder moved into the scope, dated by the move', async () => {
    const moveTime = '2024-06-02T08:00:00.000Z';
    changesPage('20', {
      newStartPageToken: '21',
      changes: [change(folder('moved', 'Legal', 'root'), moveTime)],
    });
    drive()
      .get('/drive/v3/files')
      .query((q) => q.q === "'moved' in parents and trashed = false")
      .reply(200, {
        files: [
          file({ id: 'contract', name: 'Contract', parent: 'moved' }),
          folder('annex', 'Annex', 'moved'),
        ],
      });
    drive()
      .get('/drive/v3/files')
      .query((q) => q.q === "'annex' in parents and trashed = false")
      .reply(200, { files: [file({ id: 'annex-a', name: 'Annex A', parent: 'annex' })] });
    noDetails('contract', 'annex-a');

    const { records, cursor } = await pullAll(testContext(settings), changesCursor('20'));

    expect(records.map((r) => [r.externalId, r.fields.folderPath, r.updatedAt])).toEqual([
      ['contract', 'Launch plan/Legal', moveTime],
      ['annex-a', 'Launch plan/Legal/Annex', moveTime],
    ]);
    expect((cursor as { folders: object }).folders).toMatchObject({
      moved: ['root', 'Legal'],
      annex: ['moved', 'Annex'],
    });
  });

  it('tombstones what Baton holds below a folder moved out of the scope, and a file moved out', async () => {
    const moveTime = '2024-06-02T09:00:00.000Z';
    changesPage('30', {
      newStartPageToken: '31',
      changes: [
        change(folder('old', 'Archive', '0AMyDrive'), moveTime),
        change(file({ id: 'solo', name: 'Solo', parent: '0AMyDrive' }), moveTime),
        change(file({ id: 'stranger', name: 'Never seen', parent: '0AMyDrive' }), moveTime),
      ],
    });
    myDriveRoot();
    drive()
      .get('/drive/v3/files')
      .query((q) => q.q === "'old' in parents")
      .reply(200, { files: [file({ id: 'h', name: 'Held', parent: 'old' })] });
    const ctx = testContext(settings, ['h', 'solo']);

    const { records, cursor } = await pullAll(ctx, changesCursor('30', { old: ['root', 'Archive'] }));

    expect(records.map((r) => [r.externalId, r.deleted, r.updatedAt])).toEqual([
      ['h', true, moveTime],
      ['solo', true, moveTime],
    ]);
    expect((cursor as { folders: object }).folders).not.toHaveProperty('old');
  });

  it('marks a trashed file deleted without reading its comments, and tombstones a removed one Baton holds', async () => {
    const trashed = {
      ...file({ id: 't', name: 'Old plan', parent: 'root' }),
      trashed: true,
      trashedTime: '2024-06-01T11:00:00.000Z',
    };
    changesPage('40', {
      newStartPageToken: '41',
      changes: [change(trashed, '2024-06-01T11:00:01.000Z'), removed('gone'), removed('never-held')],
    });

    const { records } = await pullAll(testContext(settings, ['gone']), changesCursor('40'));

    expect(records.map((r) => [r.externalId, r.deleted, r.state.raw])).toEqual([
      ['t', true, 'trashed'],
      ['gone', true, 'deleted'],
    ]);
    expect(nock.isDone()).toBe(true);
  });

  it('takes the changes start token before listing the folders on a first sync', async () => {
    const order: string[] = [];
    drive()
      .get('/drive/v3/changes/startPageToken')
      .query(true)
      .reply(200, () => {
        order.push('startPageToken');
        return { startPageToken: '500' };
      });
    drive().get('/drive/v3/files/root').query(true).reply(200, folder('root', 'Launch plan'));
    drive()
      .get('/drive/v3/files')
      .query((q) => q.q === "'root' in parents and trashed = false")
      .reply(200, () => {
        order.push('files.list');
        return { files: [file({ id: 'a', name: 'A', parent: 'root' })] };
      });
    noDetails('a');
    changesPage('500', { newStartPageToken: '500', changes: [] });

    const { records, cursor } = await pullAll(testContext(settings), null);

    expect(order).toEqual(['startPageToken', 'files.list']);
    expect(records.map((r) => r.externalId)).toEqual(['a']);
    expect(cursor).toMatchObject({ phase: 'changes', pageToken: '500' });
  });
});

describe('Drive pull retry policy (nock)', () => {
  it.each([
    ['userRateLimitExceeded', 'error-user-rate-limit.json'],
    ['rateLimitExceeded', 'error-rate-limit.json'],
  ])('retries a 403 %s through the kit pacer, once, with a rate-limit wait', async (_reason, body) => {
    drive().get('/drive/v3/changes').query(true).reply(403, errorBody(body));
    changesPage('9', { newStartPageToken: '10', changes: [] });
    const ctx = testContext(settings);

    const { cursor } = await pullAll(ctx, changesCursor('9'));

    expect(cursor).toMatchObject({ pageToken: '10' });
    // One wait means the pacer retried; gaxios retrying on its own would have eaten the second answer silently.
    expect(ctx.sleeps).toHaveLength(1);
    expect(ctx.sleeps[0]).toBeGreaterThanOrEqual(1000);
  });

  it('retries a 503 once through the pacer only (gaxios retries are off)', async () => {
    drive()
      .get('/drive/v3/changes')
      .query(true)
      .reply(503, { error: { code: 503, message: 'Backend Error' } });
    changesPage('9', { newStartPageToken: '10', changes: [] });
    const ctx = testContext(settings);

    await pullAll(ctx, changesCursor('9'));

    expect(ctx.sleeps).toHaveLength(1);
    expect(nock.isDone()).toBe(true);
  });

  it('does not retry a 403 that is not a rate limit', async () => {
    drive().get('/drive/v3/changes').query(true).reply(403, errorBody('error-insufficient-permissions.json'));
    const ctx = testContext(settings);

    const failure = await pullAll(ctx, changesCursor('9')).catch((e: unknown) => e);

    expect(failure).toBeInstanceOf(ConnectorHttpError);
    expect((failure as ConnectorHttpError).code).toBe('forbidden');
    expect(ctx.sleeps).toEqual([]);
  });
});
