import type { drive_v3 } from '@googleapis/drive';
import type { Identity } from '../../src/domain/source-record.js';

/**
 * Drive's people. File owners, modifiers and approval participants come with an email address;
 * comment and reply authors never do (the API leaves it out on purpose), and assignees and
 * mentions are bare email addresses. The directory links the two: a comment author whose
 * display name matches exactly one person seen with an email on the same file gets that email.
 */
export class People {
  private readonly byName = new Map<string, string | null>();
  private readonly byEmail = new Map<string, string>();

  constructor(
    users: (drive_v3.Schema$User | undefined)[],
    /** The authenticated user's email (the delegated subject), for users flagged `me`. */
    private readonly me?: string,
  ) {
    for (const user of users) {
      const email = user?.emailAddress;
      const name = user?.displayName;
      if (!email || !name) continue;
      const known = this.byName.get(name);
      // Two people with one display name: leave the name unresolved rather than guess.
      const same = known === undefined || known?.toLowerCase() === email.toLowerCase();
      this.byName.set(name, same ? (known ?? email) : null);
      this.byEmail.set(email.toLowerCase(), name);
    }
  }

  /** A Drive user as a Baton identity; undefined when Drive tells nothing usable. */
  of(user: drive_v3.Schema$User | undefined): Identity | undefined {
    if (!user) return undefined;
    const name = user.displayName ?? undefined;
    const email = user.emailAddress ?? (user.me ? this.me : undefined) ?? this.emailFor(name);
    if (email) return this.byAddress(email, name);
    if (name) return { tool: 'drive', id: name, name };
    return undefined;
  }

  /** A bare email address (assignee, mention) as an identity. */
  byAddress(email: string, name?: string): Identity {
    const id = email.toLowerCase();
    const known = name ?? this.byEmail.get(id);
    return known ? { tool: 'drive', id, name: known, email } : { tool: 'drive', id, email };
  }

  private emailFor(name: string | undefined): string | undefined {
    if (!name) return undefined;
    return this.byName.get(name) ?? undefined;
  }
}
