import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { stringify } from 'yaml';
import { BATON_ACCOUNT, type DemoSecrets, type DemoWorld } from './world.js';

/** Polls are the safety net here: every change also arrives as a webhook within a second. */
const POLL_SECONDS = 60;
/**
 * The simulators forget what the driver created in earlier runs; a reconciliation pass would
 * read that as deleted and tombstone it. A month of demo time keeps earlier runs' items.
 */
const RECONCILE_HOURS = 720;

export interface DemoConfig {
  /** baton.yaml as written: settings with `${VAR}` references for every secret. */
  text: string;
  /** The variables those references name, for the demo's own process environment. */
  env: Record<string, string>;
}

/** The connections Baton needs to read the simulated tools, as an operator would write them. */
export function demoConfig(world: DemoWorld, secrets: DemoSecrets): DemoConfig {
  const env: Record<string, string> = {};
  const ref = (name: string, value: string) => {
    env[name] = value;
    return `\${${name}}`;
  };
  const connections: Record<string, Record<string, unknown>> = {};
  if (world.github) {
    const s = world.github.connectionSettings();
    connections.github = {
      kind: 'github',
      pollIntervalSeconds: POLL_SECONDS,
      repos: s.repos,
      baseUrl: s.baseUrl,
      token: ref('BATON_DEMO_GITHUB_TOKEN', secrets.githubToken),
      webhookSecret: ref('BATON_DEMO_GITHUB_WEBHOOK_SECRET', secrets.githubWebhookSecret),
      reconcileEveryHours: RECONCILE_HOURS,
    };
  }
  if (world.jira) {
    const s = world.jira.connectionSettings();
    connections.jira = {
      kind: 'jira',
      pollIntervalSeconds: POLL_SECONDS,
      host: s.host,
      auth: { email: BATON_ACCOUNT, apiToken: ref('BATON_DEMO_JIRA_API_TOKEN', secrets.jiraApiToken) },
      jql: s.jql,
      webhookSecret: ref('BATON_DEMO_JIRA_WEBHOOK_SECRET', secrets.jiraWebhookSecret),
      reconcileEveryHours: RECONCILE_HOURS,
    };
  }
  if (world.outlook) {
    const s = world.outlook.connectionSettings();
    connections.outlook = {
      kind: 'outlook',
      pollIntervalSeconds: POLL_SECONDS,
      tenantId: s.tenantId,
      baseUrl: s.baseUrl,
      accessToken: ref('BATON_DEMO_GRAPH_ACCESS_TOKEN', secrets.graphAccessToken),
      // Not a secret, but a new self-signed certificate every run, and long.
      tlsCaCertificate: ref('BATON_DEMO_GRAPH_CA', world.outlook.caCertificate),
      clientState: ref('BATON_DEMO_GRAPH_CLIENT_STATE', secrets.graphClientState),
      serviceMailbox: s.serviceMailbox,
      // Everyone's mailbox but the one Baton sends from: nothing to read there.
      mailboxes: (s.mailboxes as { user: string }[]).filter((m) => m.user !== s.serviceMailbox),
    };
  }
  if (world.drive) {
    const s = world.drive.connectionSettings();
    connections.drive = {
      kind: 'drive',
      pollIntervalSeconds: POLL_SECONDS,
      rootUrl: s.rootUrl,
      auth: { accessToken: ref('BATON_DEMO_DRIVE_ACCESS_TOKEN', secrets.driveAccessToken) },
      folders: s.folders,
      channelToken: ref('BATON_DEMO_DRIVE_CHANNEL_TOKEN', secrets.driveChannelToken),
    };
  }
  const header = [
    '# Written by `npm run demo` for this run: the simulated tools listen on new ports each time.',
    `# Secrets are \${VAR} references; the demo sets those variables in its own process only.`,
    '',
  ].join('\n');
  return { text: header + stringify({ connections }, { lineWidth: 0 }), env };
}

export async function writeDemoConfig(file: string, config: DemoConfig): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  await writeFile(file, config.text);
}
