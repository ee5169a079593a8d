import type { Command } from 'commander';
import { signShareLink } from '../api/auth/share-link.js';
import { publicUrl, readEnv } from '../config/env.js';
import { ConfigError } from '../config/errors.js';
import { openDatabase } from '../store/database.js';
import { migrateToLatest } from '../store/migrate.js';
import { createToken, instanceSecret, listTokens, revokeToken } from '../store/tokens.repository.js';

async function withDatabase<T>(
  work: (db: Awaited<ReturnType<typeof openDatabase>>['db']) => Promise<T>,
): Promise<T> {
  const env = readEnv();
  const database = await openDatabase({ url: env.DATABASE_URL, dataDir: env.BATON_DATA_DIR });
  try {
    await migrateToLatest(database.db);
    return await work(database.db);
  } finally {
    await database.close();
  }
}

/** `baton tokens create|list|revoke` and `baton share <plan>`. */
export function registerTokenCommands(program: Command): void {
  const tokens = program.command('tokens').description('API access tokens (stored hashed)');
  tokens
    .command('create <name>')
    .description('create a token; it is shown once')
    .option('--role <role>', 'admin or viewer', 'viewer')
    .action(async (name: string, options: { role: string }) => {
      if (options.role !== 'admin' && options.role !== 'viewer')
        throw new ConfigError(`--role must be admin or viewer, not "${options.role}"`);
      const { id, token } = await withDatabase((db) =>
        createToken(db, name, options.role as 'admin' | 'viewer'),
      );
      console.log(
        `token ${id} (${options.role}) for ${name}:\n${token}\nIt is not shown again. Send it as "Authorization: Bearer <token>", or sign in at /login.`,
      );
    });
  tokens
    .command('list')
    .description('list tokens (never their values)')
    .action(async () => {
      const rows = await withDatabase((db) => listTokens(db));
      for (const t of rows) {
        const state = t.revoked_at
          ? `revoked ${t.revoked_at.toISOString()}`
          : `last used ${t.last_used_at?.toISOString() ?? 'never'}`;
        console.log(`${t.id}\t${t.role}\t${t.name}\t${t.prefix}…\t${state}`);
      }
    });
  tokens
    .command('revoke <id>')
    .description('revoke a token (stops working within 10 s everywhere)')
    .action(async (id: string) => {
      const revoked = await withDatabase((db) => revokeToken(db, id));
      if (!revoked) throw new ConfigError(`no live token with id ${id}`);
      console.log(`token ${id} revoked`);
    });

  program
    .command('share <plan>')
    .description("print a signed, expiring link to a plan's status page")
    .option('--days <n>', 'days the link stays valid', '14')
    .action(async (plan: string, options: { days: string }) => {
      const days = Number(options.days);
      if (!Number.isFinite(days) || days <= 0 || days > 365)
        throw new ConfigError('--days must be between 1 and 365');
      const expires = new Date(Date.now() + days * 86_400_000);
      const secret = await withDatabase((db) => instanceSecret(db, 'share_link_key'));
      console.log(
        `${publicUrl(readEnv())}/plans/${encodeURIComponent(plan)}?share=${signShareLink(plan, expires, secret)}`,
      );
      console.log(`valid until ${expires.toISOString()}`);
    });
}
