import { defineConnector } from '../../src/connectors/kit/index.js';
import { DriveConfig } from './config.js';
import { notifyDrive } from './notify.js';
import { pullDrive } from './pull.js';
import { driveSubscriptions } from './subscriptions.js';
import { driveWebhook } from './webhook.js';

export { driveHealthNotes } from './health.js';

/**
 * Google Drive files under the plan's folders and shared drives: pulled through the changes
 * feed, with comment threads and Drive approvals as handoffs, kept fresh by push channels, and
 * alerts posted back as file comments. Setup: docs/connectors/drive.md.
 */
export const driveConnector = defineConnector({
  kind: 'drive',
  config: DriveConfig,
  pull: pullDrive,
  webhook: driveWebhook,
  subscriptions: driveSubscriptions,
  notify: notifyDrive,
  // Each changed file costs two or three reads (comments, approvals, maybe permissions): a few
  // at a time keeps Drive's per-user rate limit from answering 403 userRateLimitExceeded.
  pacing: { concurrency: 4 },
});

export default driveConnector;
