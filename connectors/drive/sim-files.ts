import type { drive_v3 } from '@googleapis/drive';
import { FOLDER_MIME } from './folder-tree.js';
import { DOC_MIME, driveUser, type Person, webViewLink } from './sim-wire.js';

type Who = Person;
interface LogEntry {
  seq: number;
  time: string;
  removed: boolean;
}

/**
 * The simulator's files and the changes feed. Like Drive, the feed holds one entry per file
 * (its latest change); a page token is a position in the feed. Every control goes through
 * `touch`, which also announces the change to the push channels.
 */
export class DriveFiles {
  readonly files = new Map<string, drive_v3.Schema$File>();
  /** Who can open each file (drive_v3.Schema$Permission): owners, and everyone who comments or reviews. */
  readonly permissions = new Map<string, drive_v3.Schema$Permission[]>();
  private readonly feed = new Map<string, LogEntry>();
  private nextSeq = 1;
  private lastMs = 0;
  private idCounter = 0;

  constructor(
    seed: { files?: drive_v3.Schema$File[] },
    private readonly clock: () => number,
    private readonly announce: () => void,
    readonly me: Who,
  ) {
    for (const f of seed.files ?? []) this.files.set(f.id!, structuredClone(f));
    for (const f of this.files.values()) {
      this.lastMs = Math.max(this.lastMs, Date.parse(f.modifiedTime ?? '') || 0);
      for (const owner of f.owners ?? []) this.share(f.id!, owner, 'owner');
    }
  }

  /** Grants a person access (no change in the feed: sharing is not what Baton follows). */
  share(fileId: string, user: drive_v3.Schema$User | Who, role = 'writer'): void {
    const email = 'emailAddress' in user ? user.emailAddress : (user as Who).email;
    const name = 'displayName' in user ? user.displayName : (user as Who).name;
    if (!email) return;
    const list = this.permissions.get(fileId) ?? [];
    if (list.some((p) => p.emailAddress === email)) return;
    list.push({
      kind: 'drive#permission',
      id: this.newId('perm'),
      type: 'user',
      role,
      emailAddress: email,
      displayName: name,
    });
    this.permissions.set(fileId, list);
  }

  /** Strictly increasing times: two changes never share a modifiedTime, with no sleeping. */
  stamp(): string {
    this.lastMs = Math.max(this.clock(), this.lastMs + 1);
    return new Date(this.lastMs).toISOString();
  }

  newId(prefix: string): string {
    this.idCounter += 1;
    return `${prefix}${this.idCounter.toString(36).padStart(6, '0')}`;
  }

  startPageToken(): string {
    return String(this.nextSeq);
  }

  /** The feed from a page token: changes in order, one page, and where to go next. */
  changesFrom(token: number, limit: number): drive_v3.Schema$ChangeList {
    const entries = [...this.feed.entries()]
      .filter(([, e]) => e.seq >= token)
      .sort((a, b) => a[1].seq - b[1].seq);
    const page = entries.slice(0, limit);
    const changes = page.map(([fileId, e]) => this.changeOf(fileId, e));
    const more = entries[limit];
    return more
      ? { kind: 'drive#changeList', changes, nextPageToken: String(more[1].seq) }
      : { kind: 'drive#changeList', changes, newStartPageToken: String(this.nextSeq) };
  }

  private changeOf(fileId: string, entry: LogEntry): drive_v3.Schema$Change {
    const file = this.files.get(fileId);
    const base = { kind: 'drive#change', changeType: 'file', time: entry.time, fileId };
    if (entry.removed || !file) return { ...base, removed: true };
    return { ...base, removed: false, file, ...(file.driveId ? { driveId: file.driveId } : {}) };
  }

  protected touch(fileId: string, removed = false, time = this.stamp()): void {
    this.feed.set(fileId, { seq: this.nextSeq++, time, removed });
    this.announce();
  }

  protected mustFile(id: string): drive_v3.Schema$File {
    const f = this.files.get(id);
    if (!f) throw new Error(`no file ${id} in the simulator`);
    return f;
  }

  createFile(input: { id?: string; name: string; parent: string; mimeType?: string; owner?: Who }) {
    const id = input.id ?? this.newId('file');
    const at = this.stamp();
    const mimeType = input.mimeType ?? DOC_MIME;
    const owner = driveUser(input.owner ?? { email: 'owner@example.com', name: 'Olive Owner' });
    const f: drive_v3.Schema$File = {
      kind: 'drive#file',
      id,
      name: input.name,
      mimeType,
      parents: [input.parent],
      trashed: false,
      createdTime: at,
      modifiedTime: at,
      version: '1',
      webViewLink: webViewLink(id, mimeType),
      owners: [owner],
      lastModifyingUser: owner,
    };
    this.files.set(id, f);
    this.share(id, owner, 'owner');
    this.touch(id, false, at);
    return f;
  }

  createFolder(input: { id?: string; name: string; parent: string }) {
    return this.createFile({ ...input, id: input.id ?? this.newId('fold'), mimeType: FOLDER_MIME });
  }

  /** An edit: new modifiedTime and version, optionally a new name or modifier. */
  modifyFile(id: string, patch: { name?: string; by?: Who } = {}) {
    const f = this.mustFile(id);
    const at = this.stamp();
    if (patch.name) f.name = patch.name;
    f.modifiedTime = at;
    f.version = String(Number(f.version ?? '1') + 1);
    if (patch.by) f.lastModifyingUser = driveUser(patch.by);
    this.touch(id, false, at);
    return f;
  }

  /** A move changes parents only; Drive leaves modifiedTime alone. */
  moveFile(id: string, newParent: string) {
    const f = this.mustFile(id);
    f.parents = [newParent];
    this.touch(id);
    return f;
  }

  trashFile(id: string) {
    const f = this.mustFile(id);
    f.trashed = true;
    f.trashedTime = this.stamp();
    this.touch(id, false, f.trashedTime);
    return f;
  }

  untrashFile(id: string) {
    const f = this.mustFile(id);
    f.trashed = false;
    delete f.trashedTime;
    this.touch(id);
    return f;
  }

  /** What else goes when a file is deleted forever. */
  protected forget(_fileId: string): void {}

  /** Deleted forever (or access lost): the feed says `removed`; a folder takes its subtree along. */
  deleteFile(id: string): void {
    this.mustFile(id);
    for (const child of [...this.files.values()].filter((f) => f.parents?.includes(id)))
      this.deleteFile(child.id!);
    this.files.delete(id);
    this.permissions.delete(id);
    this.forget(id);
    this.touch(id, true);
  }
}
