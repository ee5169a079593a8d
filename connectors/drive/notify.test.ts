import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AlertMessage, NotifyTarget } from '../../src/connectors/kit/index.js';
import { notifyDrive } from './notify.js';
import { file, folder } from './sim-wire.js';
import { type DriveSimulator, startDriveSimulator } from './simulator.js';
import { testContext } from './test-support.js';

let sim: DriveSimulator;
beforeEach(async () => {
  sim = await startDriveSimulator({
    seed: { files: [folder('plan', 'Plan'), file({ id: 'spec', name: 'Launch spec', parent: 'plan' })] },
    scope: ['plan'],
  });
});
afterEach(async () => {
  await sim.stop();
});

const message: AlertMessage = {
  subject: 'Waiting on you for 3 days',
  text: 'The comment "confirm the refund limits" has waited 3 working days for your answer.',
  statusUrl: 'https://baton.example.com/plans/checkout',
};
const target = (person: NotifyTarget['person'], externalId = 'spec'): NotifyTarget => ({
  externalId,
  fields: {},
  person,
});

describe('Drive alerts as file comments', () => {
  it('posts a comment on the file that mentions the person by email', async () => {
    const ctx = testContext(sim.connectionSettings());
    const result = await notifyDrive(
      ctx,
      target({ name: 'Bob', email: 'bob@example.com', identities: [] }),
      message,
    );

    expect(sim.postedComments).toHaveLength(1);
    const [posted] = sim.postedComments;
    expect(result).toEqual({ ok: true, ref: posted.comment.id });
    expect(posted.fileId).toBe('spec');
    expect(posted.content.startsWith('+bob@example.com Waiting on you for 3 days')).toBe(true);
    expect(posted.content).toContain(message.statusUrl);
    expect(posted.comment.mentionedEmailAddresses).toEqual(['bob@example.com']);
  });

  it('mentions the drive identity when the person has no email of their own', async () => {
    const ctx = testContext(sim.connectionSettings());
    await notifyDrive(
      ctx,
      target({ name: 'Dana', identities: [{ tool: 'drive', id: 'dana@example.com' }] }),
      message,
    );
    expect(sim.postedComments[0].content.startsWith('+dana@example.com ')).toBe(true);
  });

  it('retries a rate-limited comment through the pacer and posts it once', async () => {
    const ctx = testContext(sim.connectionSettings());
    sim.setFault({ kind: 'rateLimit', reason: 'userRateLimitExceeded', times: 1 });
    const result = await notifyDrive(
      ctx,
      target({ name: 'Bob', email: 'bob@example.com', identities: [] }),
      message,
    );
    expect(result.ok).toBe(true);
    expect(sim.postedComments).toHaveLength(1);
    expect(ctx.sleeps).toHaveLength(1);
  });

  it('reports a file that is gone as a final failure', async () => {
    const ctx = testContext(sim.connectionSettings());
    const result = await notifyDrive(
      ctx,
      target({ name: 'Bob', email: 'bob@example.com', identities: [] }, 'gone'),
      message,
    );
    expect(result).toMatchObject({ ok: false, code: 'not_found', retry: false });
  });

  it('posts nothing when comment alerts are off for the connection', async () => {
    const ctx = testContext({ ...sim.connectionSettings(), commentAlerts: false });
    const result = await notifyDrive(
      ctx,
      target({ name: 'Bob', email: 'bob@example.com', identities: [] }),
      message,
    );
    expect(result).toMatchObject({ ok: false, code: 'alerts_off', retry: false });
    expect(sim.requests).toEqual([]);
  });
});
