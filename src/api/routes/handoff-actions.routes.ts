import { z } from 'zod';
import { workingCalendar } from '../../domain/business-hours.js';
import { parseSnoozeLength, snoozeUntil } from '../../domain/handoff-commands.js';
import { personCalendar } from '../../domain/sla-clock.js';
import {
  ackAndWithdraw,
  findHandoffs,
  type HandoffWithItem,
  snoozeAndHold,
} from '../../store/handoffs.repository.js';
import type { BatonApp } from '../app.js';
import { ApiError, BadRequestError, NotFoundError } from '../errors.js';
import { ErrorBody } from '../schemas.js';
import { HandoffDetails, handoffDetails } from './handoff-view.js';

const HandoffParams = z.object({ id: z.string().min(1).max(100) });

const SnoozeBody = z.union([
  z.strictObject({
    until: z.iso.datetime({ offset: true }).describe('Snooze until this instant (ISO-8601).'),
  }),
  z.strictObject({
    for: z
      .string()
      .max(20)
      .describe('Business time of the receiver: 30m, 4h or 2d (working days), like `/baton snooze 1d`.'),
  }),
]);

/** Snoozes longer than this are a typo, or a handoff that should be closed instead. */
const MAX_SNOOZE_MS = 90 * 86_400_000;

const responses = {
  200: z.object({ handoff: HandoffDetails }),
  400: ErrorBody,
  404: ErrorBody,
  409: ErrorBody,
};

export async function handoffActionRoutes(app: BatonApp): Promise<void> {
  const { db } = app.services;

  /** The open handoffs behind an id, or the error that says why there are none. */
  async function openHandoffs(id: string): Promise<HandoffWithItem[]> {
    const rows = await findHandoffs(db, id);
    if (rows.length === 0) throw new NotFoundError('handoff', id);
    const open = rows.filter((r) => r.closed_at === null);
    if (open.length === 0) throw new ApiError(409, 'handoff_closed', `handoff "${id}" is already closed`);
    return open;
  }

  async function answer(id: string) {
    const [row] = await findHandoffs(db, id);
    return { handoff: handoffDetails(row, app.services.now()) };
  }

  app.post(
    '/api/handoffs/:id/snooze',
    {
      config: { access: 'admin' },
      schema: {
        summary: 'Snooze a handoff: no alert about it until then (escalation resumes after)',
        params: HandoffParams,
        body: SnoozeBody,
        response: responses,
      },
    },
    async (request) => {
      const now = app.services.now();
      const rows = await openHandoffs(request.params.id);
      let until: Date;
      if ('until' in request.body) {
        until = new Date(request.body.until);
      } else {
        const length = parseSnoozeLength(request.body.for);
        if (!length)
          throw new BadRequestError('invalid_snooze', 'for must be like 30m, 4h or 2d (up to 90d)');
        const plan = app.services.plans.get(rows[0].plan_key);
        const calendar = plan ? personCalendar(plan, rows[0].to_person) : workingCalendar();
        until = snoozeUntil(now, length, calendar);
      }
      if (until.getTime() <= now.getTime())
        throw new BadRequestError('invalid_snooze', 'until is not in the future');
      if (until.getTime() - now.getTime() > MAX_SNOOZE_MS)
        throw new BadRequestError('invalid_snooze', 'a snooze lasts at most 90 days');
      await db.transaction().execute((trx) => snoozeAndHold(trx, rows, until, now));
      return answer(request.params.id);
    },
  );

  app.post(
    '/api/handoffs/:id/ack',
    {
      config: { access: 'admin' },
      schema: {
        summary: 'Acknowledge a handoff: the escalation ladder stops and queued alerts are withdrawn',
        params: HandoffParams,
        response: responses,
      },
    },
    async (request) => {
      const now = app.services.now();
      const rows = await openHandoffs(request.params.id);
      await db.transaction().execute((trx) => ackAndWithdraw(trx, rows, now, now));
      return answer(request.params.id);
    },
  );
}
