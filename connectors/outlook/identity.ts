import type { Recipient } from '@microsoft/microsoft-graph-types';
import type { Identity } from '../../src/domain/source-record.js';

/**
 * People in Outlook are email addresses: the identity id is the address in lower case (Baton links
 * people by email). Internal senders sometimes carry an Exchange legacy DN instead of an SMTP
 * address; those keep the DN as id and get no `email`.
 */
export function identityOf(recipient: Recipient | null | undefined): Identity | undefined {
  const address = recipient?.emailAddress?.address?.trim();
  if (!address) return undefined;
  const id = address.toLowerCase();
  const name = recipient?.emailAddress?.name?.trim() || undefined;
  return { tool: 'outlook', id, ...(name ? { name } : {}), ...(id.includes('@') ? { email: id } : {}) };
}

export function identitiesOf(recipients: (Recipient | null | undefined)[] | null | undefined): Identity[] {
  const seen = new Set<string>();
  const out: Identity[] = [];
  for (const recipient of recipients ?? []) {
    const identity = identityOf(recipient);
    if (identity && !seen.has(identity.id)) {
      seen.add(identity.id);
      out.push(identity);
    }
  }
  return out;
}

/** The compact person kept in the cursor for approval conversations. */
export interface PersonRef {
  id: string;
  name?: string;
}

export function toRef(identity: Identity): PersonRef {
  return identity.name ? { id: identity.id, name: identity.name } : { id: identity.id };
}

export function fromRef(ref: PersonRef): Identity {
  return {
    tool: 'outlook',
    id: ref.id,
    ...(ref.name ? { name: ref.name } : {}),
    ...(ref.id.includes('@') ? { email: ref.id } : {}),
  };
}
