import type { Transaction } from 'kysely';
import { commandEffects, type OpenHandoff } from '../domain/handoff-commands.js';
import type { CompiledPlan } from '../domain/plan.js';
import { personCalendar } from '../domain/sla-clock.js';
import type { SourceRecord } from '../domain/source-record.js';
import { ackAndWithdraw, openHandoffsOfItems, snoozeAndHold } from '../store/handoffs.repository.js';
import type { Database } from '../store/schema.js';

const hasCommand = (record: SourceRecord) =>
  record.activity.some((a) => typeof a.detail?.command === 'string');

/**
 * `/baton snooze 1d` and `/baton ack` written in the tool by a handoff's receiver, applied in
 * the ingest transaction. Records without commands cost one scan of their activity.
 */
export async function applyCommands(
  trx: Transaction<Database>,
  plans: CompiledPlan[],
  connection: string,
  records: SourceRecord[],
  now: Date,
): Promise<void> {
  const commanded = records.filter(hasCommand);
  if (commanded.length === 0) return;
  for (const plan of plans) {
    if (!plan.connections.includes(connection)) continue;
    const rows = await openHandoffsOfItems(
      trx,
      plan.key,
      connection,
      commanded.map((r) => r.externalId),
    );
    for (const record of commanded) {
      const open: OpenHandoff[] = rows
        .filter((row) => row.external_id === record.externalId)
        .map((row) => {
          const identity = row.to_identity as { tool: string; id: string };
          return {
            id: row.id,
            receiverKey: row.to_person ?? `${identity.tool}:${identity.id.toLowerCase()}`,
            openedAt: row.opened_at,
            snoozedUntil: row.snoozed_until,
            ackedAt: row.acked_at,
            calendar: personCalendar(plan, row.to_person),
          };
        });
      const { snoozes, acks } = commandEffects(plan, record, open);
      for (const { id, until } of snoozes) await snoozeAndHold(trx, [{ connection, id }], until, now);
      for (const { id, at } of acks) await ackAndWithdraw(trx, [{ connection, id }], at, now);
    }
  }
}
