import type { drive_v3 } from '@googleapis/drive';

export const FOLDER_MIME = 'application/vnd.google-apps.folder';
export const SHORTCUT_MIME = 'application/vnd.google-apps.shortcut';

/** Where an in-scope file lives: the scope root above it and its own folder. */
export interface Placement {
  root: string;
  folderId: string;
  folderName: string;
  /** Folder names from the scope root down to the file's folder, joined by `/`. */
  folderPath: string;
}

/** Looks a folder up in Drive (files.get); null when it is gone or not visible. */
export type FolderLookup = (id: string) => Promise<drive_v3.Schema$File | null>;

const MAX_DEPTH = 64;

/**
 * The in-scope part of the folder tree. Drive's changes feed is not filtered by folder, so a
 * changed file is placed by walking its parents up to a scope root; folders met on the way are
 * remembered (in the cursor) and folders found outside the scope are remembered for this pull only.
 */
export class FolderTree {
  private readonly outside = new Set<string>();

  constructor(
    readonly roots: Record<string, string>,
    readonly folders: Record<string, [parent: string, name: string]>,
    private readonly lookup: FolderLookup,
  ) {}

  isRoot(id: string): boolean {
    return Object.hasOwn(this.roots, id);
  }

  /** Known in scope (a root or a remembered folder). */
  knows(folderId: string): boolean {
    return this.isRoot(folderId) || Object.hasOwn(this.folders, folderId);
  }

  add(folderId: string, parentId: string, name: string): void {
    if (this.isRoot(folderId)) return;
    this.folders[folderId] = [parentId, name];
    this.outside.delete(folderId);
  }

  /** Forget a folder and every remembered folder below it; returns the ids forgotten. */
  removeSubtree(folderId: string): string[] {
    const gone = new Set([folderId]);
    let grew = true;
    while (grew) {
      grew = false;
      for (const [id, [parent]] of Object.entries(this.folders)) {
        if (!gone.has(id) && gone.has(parent)) {
          gone.add(id);
          grew = true;
        }
      }
    }
    for (const id of gone) delete this.folders[id];
    return [...gone];
  }

  /** A folder moved: what was learnt about the outside may no longer hold. */
  forgetOutside(): void {
    this.outside.clear();
  }

  /** Placement under a known folder, without asking Drive. */
  placementIn(folderId: string): Placement | undefined {
    const names: string[] = [];
    let id = folderId;
    for (let depth = 0; depth < MAX_DEPTH; depth++) {
      if (this.isRoot(id)) {
        names.push(this.roots[id]);
        const folderName = id === folderId ? this.roots[id] : this.folders[folderId][1];
        return { root: id, folderId, folderName, folderPath: names.reverse().join('/') };
      }
      const entry = this.folders[id];
      if (!entry) return undefined;
      names.push(entry[1]);
      id = entry[0];
    }
    return undefined;
  }

  /** Placement of a file whose parent is `parentId`, asking Drive about unknown folders. */
  async place(parentId: string | undefined): Promise<Placement | undefined> {
    if (!parentId) return undefined;
    if (!(await this.resolve(parentId, 0))) return undefined;
    return this.placementIn(parentId);
  }

  private async resolve(folderId: string, depth: number): Promise<boolean> {
    if (this.knows(folderId)) return true;
    if (this.outside.has(folderId) || depth >= MAX_DEPTH) return false;
    const folder = await this.lookup(folderId);
    const parent = folder?.parents?.[0];
    if (!folder || folder.trashed || folder.mimeType !== FOLDER_MIME || !parent) {
      this.outside.add(folderId);
      return false;
    }
    if (!(await this.resolve(parent, depth + 1))) {
      this.outside.add(folderId);
      return false;
    }
    this.add(folderId, parent, folder.name ?? folderId);
    return true;
  }
}
