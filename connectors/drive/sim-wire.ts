import type { drive_v3 } from '@googleapis/drive';
import { FOLDER_MIME } from './folder-tree.js';

/**
 * Builders of Drive v3 wire objects (drive_v3.Schema$*), for simulator seeds, demo data and
 * tests. Shapes follow the googleapis types and Google's reference pages; nothing is added.
 */

export const DOC_MIME = 'application/vnd.google-apps.document';

export interface Person {
  email: string;
  name: string;
}

/** A user as files and approvals show them: with an email address. */
export function driveUser(person: Person, me = false): drive_v3.Schema$User {
  return {
    kind: 'drive#user',
    displayName: person.name,
    emailAddress: person.email,
    me,
    permissionId: permissionIdOf(person.email),
  };
}

/** A comment or reply author: Drive leaves out the email address and permission id. */
export function commentAuthor(person: { name: string }, me = false): drive_v3.Schema$User {
  return { kind: 'drive#user', displayName: person.name, me };
}

export function webViewLink(id: string, mimeType: string): string {
  if (mimeType === FOLDER_MIME) return `https://drive.google.com/drive/folders/${id}`;
  if (mimeType === DOC_MIME) return `https://docs.google.com/document/d/${id}/edit?usp=drivesdk`;
  return `https://drive.google.com/file/d/${id}/view?usp=drivesdk`;
}

export function folder(id: string, name: string, parent?: string, owner?: Person): drive_v3.Schema$File {
  return file({ id, name, parent, owner, mimeType: FOLDER_MIME });
}

export function file(input: {
  id: string;
  name: string;
  parent?: string;
  mimeType?: string;
  owner?: Person;
  at?: string;
  driveId?: string;
}): drive_v3.Schema$File {
  const mimeType = input.mimeType ?? DOC_MIME;
  const at = input.at ?? '2024-01-01T09:00:00.000Z';
  const owner = input.owner ?? { email: 'owner@example.com', name: 'Olive Owner' };
  return {
    kind: 'drive#file',
    id: input.id,
    name: input.name,
    mimeType,
    parents: input.parent ? [input.parent] : [],
    trashed: false,
    createdTime: at,
    modifiedTime: at,
    version: '1',
    webViewLink: webViewLink(input.id, mimeType),
    // Shared drive items have no owners; My Drive items have exactly one.
    owners: input.driveId ? undefined : [driveUser(owner)],
    lastModifyingUser: driveUser(owner),
    ...(input.driveId ? { driveId: input.driveId } : {}),
  };
}

/** Google's error body: `{ error: { code, message, errors: [{ domain, reason, message }] } }`. */
export function googleError(code: number, reason: string, message: string, domain = 'global') {
  return { error: { code, message, errors: [{ domain, reason, message }] } };
}

function permissionIdOf(email: string): string {
  let hash = 0;
  for (const ch of email) hash = (hash * 31 + ch.charCodeAt(0)) >>> 0;
  return String(hash).padStart(20, '0');
}
