import { defineConnector } from '../../src/connectors/kit/index.js';
import { OutlookConfig } from './config.js';
import { notifyOutlook } from './notify.js';
import { pullOutlook } from './pull.js';
import { outlookSubscriptions } from './subscriptions.js';
import { outlookWebhook } from './webhook.js';

/**
 * Outlook through Microsoft Graph: approval requests and their answers from mail, decision
 * meetings from calendars. Setup and fields: docs/connectors/outlook.md.
 */
export const outlookConnector = defineConnector({
  kind: 'outlook',
  config: OutlookConfig,
  pull: pullOutlook,
  webhook: outlookWebhook,
  subscriptions: outlookSubscriptions,
  notify: notifyOutlook,
  // Exchange allows 4 concurrent requests per app and mailbox and 10,000 per 10 minutes.
  pacing: { concurrency: 4, intervalCap: 15, intervalMs: 1_000 },
});

export default outlookConnector;
export { forceRenewal } from './subscriptions.js';
export { type LifecycleAction, lifecycleAction, lifecycleActions } from './webhook.js';
