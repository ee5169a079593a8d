import type { drive_v3 } from '@googleapis/drive';
import type { ChannelHub } from './sim-channels.js';
import type { DriveData } from './sim-data.js';
import { compileQuery } from './sim-query.js';
import { googleError } from './sim-wire.js';

export interface Answer {
  status: number;
  body?: unknown;
}

export interface RouteDeps {
  data: DriveData;
  hub: ChannelHub;
  baseUrl(): string;
  /** Largest page files.list and changes.list answer. */
  pageCap: number;
  approvalsAvailable(): boolean;
  postedComments: { fileId: string; content: string; comment: drive_v3.Schema$Comment }[];
}

type Query = Record<string, string>;
type Handler = (params: string[], q: Query, body: unknown) => Answer;

const ok = (body: unknown): Answer => ({ status: 200, body });
const bad = (reason: string, message: string): Answer => ({
  status: 400,
  body: googleError(400, reason, message),
});
const required = (name: string): Answer =>
  bad('required', `The '${name}' parameter is required for this method.`);
const notFound = (id: string): Answer => ({
  status: 404,
  body: googleError(404, 'notFound', `File not found: ${id}.`),
});

/** Drive's default file fields when a request names none. */
function defaultFile(f: drive_v3.Schema$File): drive_v3.Schema$File {
  return { kind: f.kind, id: f.id, name: f.name, mimeType: f.mimeType };
}

/** Offset page tokens; Drive's are opaque strings, which is all a client may assume of them. */
function page<T, K extends string>(items: T[], q: Query, key: K, kind: string, def: number, max: number) {
  const size = Math.min(Number(q.pageSize ?? def), max);
  const offset = q.pageToken ? Number(Buffer.from(q.pageToken, 'base64url').toString().slice(2)) : 0;
  const next =
    offset + size < items.length ? Buffer.from(`o:${offset + size}`).toString('base64url') : undefined;
  const slice = { [key]: items.slice(offset, offset + size) } as Record<K, T[]>;
  return { kind, ...slice, ...(next ? { nextPageToken: next } : {}) };
}

/** The Drive v3 endpoints the connector calls, answering in Drive's wire format. */
export function driveRoutes(
  deps: RouteDeps,
): (method: string, path: string, q: Query, body: unknown) => Answer {
  const { data, hub } = deps;
  const fileRoute =
    (handler: (file: drive_v3.Schema$File, q: Query, body: unknown) => Answer): Handler =>
    ([id], q, body) => {
      const file = data.files.get(id);
      return file ? handler(file, q, body) : notFound(id);
    };

  const routes: [string, RegExp, Handler][] = [
    [
      'GET',
      /^\/changes\/startPageToken$/,
      () => ok({ kind: 'drive#startPageToken', startPageToken: data.startPageToken() }),
    ],
    [
      'GET',
      /^\/changes$/,
      (_, q) => {
        if (!q.pageToken) return required('pageToken');
        return ok(data.changesFrom(Number(q.pageToken), Math.min(Number(q.pageSize ?? 100), deps.pageCap)));
      },
    ],
    [
      'POST',
      /^\/changes\/watch$/,
      (_, q, body) => {
        const request = body as drive_v3.Schema$Channel | undefined;
        if (!q.pageToken) return required('pageToken');
        if (!request?.id || !request.address || !['web_hook', 'webhook'].includes(request.type ?? '')) {
          return bad('invalid', 'channel id, type web_hook and address are required');
        }
        const uri = `${deps.baseUrl()}drive/v3/changes?alt=json&pageToken=${q.pageToken}`;
        const c = hub.open(request, uri);
        const token = c.token ? { token: c.token } : {};
        const expiration = String(c.expiration);
        return ok({
          kind: 'api#channel',
          id: c.id,
          resourceId: c.resourceId,
          resourceUri: uri,
          ...token,
          expiration,
        });
      },
    ],
    [
      'POST',
      /^\/channels\/stop$/,
      (_, _q, body) => {
        const { id, resourceId } = (body ?? {}) as drive_v3.Schema$Channel;
        if (hub.stop(id, resourceId)) return { status: 204 };
        return { status: 404, body: googleError(404, 'notFound', `Channel '${id}' not found for project`) };
      },
    ],
    [
      'GET',
      /^\/files$/,
      (_, q) => {
        const test = compileQuery(q.q ?? '');
        if (!test) return bad('invalid', `Invalid Value: q=${q.q}`);
        const answer = page(
          [...data.files.values()].filter(test),
          q,
          'files',
          'drive#fileList',
          100,
          deps.pageCap,
        );
        return ok(q.fields ? answer : { ...answer, files: answer.files.map(defaultFile) });
      },
    ],
    ['GET', /^\/files\/([^/]+)$/, fileRoute((f, q) => ok(q.fields ? f : defaultFile(f)))],
    [
      'GET',
      /^\/files\/([^/]+)\/comments$/,
      fileRoute((f, q) => {
        if (!q.fields) return required('fields');
        const all = (data.comments.get(f.id!) ?? []).filter((c) => q.includeDeleted === 'true' || !c.deleted);
        return ok(page(all, q, 'comments', 'drive#commentList', 20, 100));
      }),
    ],
    [
      'POST',
      /^\/files\/([^/]+)\/comments$/,
      fileRoute((f, q, body) => {
        if (!q.fields) return required('fields');
        const content = (body as drive_v3.Schema$Comment | undefined)?.content;
        if (!content) return required('content');
        const comment = data.postComment(f.id!, content);
        deps.postedComments.push({ fileId: f.id!, content, comment });
        return ok(comment);
      }),
    ],
    [
      'GET',
      /^\/files\/([^/]+)\/permissions$/,
      fileRoute((f, q) =>
        ok(page(data.permissions.get(f.id!) ?? [], q, 'permissions', 'drive#permissionList', 100, 100)),
      ),
    ],
    [
      'GET',
      /^\/files\/([^/]+)\/approvals$/,
      fileRoute((f, q) => {
        if (!deps.approvalsAvailable()) {
          return {
            status: 403,
            body: googleError(403, 'forbidden', 'Approvals are not available for this account.'),
          };
        }
        // Without `fields`, approvals.list answers a minimal body without items (Drive reference).
        if (!q.fields) return ok({ kind: 'drive#approvalList' });
        return ok(page(data.approvals.get(f.id!) ?? [], q, 'items', 'drive#approvalList', 100, 100));
      }),
    ],
  ];

  return (method, path, q, body) => {
    for (const [m, pattern, handler] of routes) {
      const match = method === m ? path.match(pattern) : null;
      if (match) return handler(match.slice(1).map(decodeURIComponent), q, body);
    }
    return { status: 404, body: googleError(404, 'notFound', `no route ${method} ${path}`) };
  };
}
