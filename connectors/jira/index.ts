import { defineConnector } from '../../src/connectors/kit/index.js';
import { JiraConfig } from './config.js';
import { notifyJira } from './notify.js';
import { pullIssues } from './pull.js';
import { jiraWebhook } from './webhook.js';

export { recoverFailedDeliveries } from './webhook-recovery.js';

/**
 * Jira Cloud: issues in a JQL scope, with their changelog (assignments, transitions, approvals)
 * and comments; alerts go back as issue comments that mention the person.
 */
export const jiraConnector = defineConnector({
  kind: 'jira',
  config: JiraConfig,
  pull: pullIssues,
  webhook: jiraWebhook,
  notify: notifyJira,
  // Jira Cloud's limits are cost-based and undisclosed; a few calls at a time stays well clear.
  pacing: { concurrency: 2 },
});

export default jiraConnector;
