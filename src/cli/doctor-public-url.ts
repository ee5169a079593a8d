import type { Env } from '../config/env.js';
import { type Check, fail, ok, warn } from './doctor-report.js';

const LOOPBACK = /^(localhost|.*\.localhost|127(\.\d+){3}|0\.0\.0\.0|\[::1?\])$/i;

/**
 * The URL tools deliver webhooks to: set, not a loopback address, and answering /healthz from
 * here (which shows the server runs and the name resolves, not that the tool's side can reach it).
 */
export async function checkPublicUrl(env: Env, timeoutMs: number): Promise<Check[]> {
  const name = 'public URL';
  if (!env.BATON_PUBLIC_URL)
    return [
      fail(
        name,
        'BATON_PUBLIC_URL is not set: webhook URLs point at this machine only',
        'set BATON_PUBLIC_URL to the https URL the tools reach Baton at',
      ),
    ];
  const url = new URL(env.BATON_PUBLIC_URL);
  if (LOOPBACK.test(url.hostname))
    return [
      fail(
        name,
        `${env.BATON_PUBLIC_URL} is a loopback address: no tool can deliver to it`,
        'set BATON_PUBLIC_URL to a public https URL (a tunnel will do for a trial)',
      ),
    ];
  const checks: Check[] = [];
  if (url.protocol !== 'https:')
    checks.push(
      warn(name, `${env.BATON_PUBLIC_URL} is not https`, 'Microsoft Graph and Google Drive require https'),
    );
  try {
    const response = await fetch(`${url.href.replace(/\/$/, '')}/healthz`, {
      signal: AbortSignal.timeout(timeoutMs),
    });
    checks.push(
      response.ok
        ? ok(name, `${env.BATON_PUBLIC_URL}/healthz answers`)
        : warn(
            name,
            `${env.BATON_PUBLIC_URL}/healthz answered ${response.status}`,
            'check the proxy in front of Baton',
          ),
    );
  } catch (error) {
    checks.push(
      warn(
        name,
        `${env.BATON_PUBLIC_URL}/healthz does not answer from here (${error instanceof Error ? error.message : error})`,
        'start `baton serve`, and check DNS and the proxy in front of it',
      ),
    );
  }
  return checks;
}
