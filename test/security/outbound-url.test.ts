import { describe, expect, it } from 'vitest';
import { parseBatonConfig } from '../../src/config/baton-config.js';
import { ConfigError } from '../../src/config/errors.js';
import { checkOutboundUrl } from '../../src/config/outbound-url.js';
import { registerFourTools } from './support/four-tools.js';

describe('checkOutboundUrl', () => {
  it.each([
    'http://169.254.169.254/latest/meta-data/',
    'http://169.254.0.1:8080/',
    'http://2852039166/', // 169.254.169.254 as one decimal number
    'http://0251.0376.0251.0376/', // octal
    'http://0xa9.0xfe.0xa9.0xfe/', // hex
    'http://[::ffff:169.254.169.254]/', // IPv4-mapped
    'http://[::ffff:a9fe:a9fe]/',
    'http://[::169.254.169.254]/', // IPv4-compatible
    'http://[64:ff9b::169.254.169.254]/', // NAT64
    'http://[fe80::1]/',
    'http://[febf:ffff::1]/',
    'http://[fd00:ec2::254]/',
    'http://metadata.google.internal/computeMetadata/v1/',
    'http://METADATA.google.internal./',
    'http://metadata/',
    'http://metadata.goog/',
    'http://instance-data/',
    'http://instance-data.ec2.internal/',
    'http://100.100.100.200/',
    'http://0.0.0.0:8080/',
    'http://0/',
    'http://[::]/',
    'http://[::ffff:0.0.0.0]/',
  ])('refuses %s', (url) => {
    const check = checkOutboundUrl(url);
    expect(check.ok).toBe(false);
    if (!check.ok) expect(check.code).toBe('forbidden_host');
  });

  it.each([
    'https://api.github.com',
    'https://acme.atlassian.net',
    'https://graph.microsoft.com/v1.0',
    'http://127.0.0.1:4010', // simulators
    'http://localhost:4010',
    'http://[::1]:4010',
    'http://10.0.0.5/jira', // a self-hosted tool on the private network
    'http://192.168.1.10/',
    'https://metadata.example.com/',
    'http://169.253.0.1/',
    'http://[fec0::1]/',
  ])('allows %s', (url) => {
    expect(checkOutboundUrl(url).ok).toBe(true);
  });

  it('allows any host when the connection allows the private network', () => {
    expect(checkOutboundUrl('http://169.254.169.254/', { allowPrivateNetwork: true }).ok).toBe(true);
  });

  it('refuses other schemes and names only the host, never credentials or paths', () => {
    expect(checkOutboundUrl('file:///etc/passwd')).toMatchObject({ ok: false, code: 'unsupported_scheme' });
    expect(checkOutboundUrl('not a url')).toMatchObject({ ok: false, code: 'bad_url' });
    const check = checkOutboundUrl('http://user:hunter2@169.254.169.254/T000/B000/XXXX');
    expect(check.ok).toBe(false);
    if (!check.ok) expect(check.reason).not.toMatch(/hunter2|XXXX/);
  });
});

describe('URL settings in baton.yaml', () => {
  registerFourTools();
  const jira = (host: string, extra = '') =>
    `connections:\n  tracker:\n    kind: jira\n    host: ${host}\n    auth: { email: a@acme.test, apiToken: t }\n    jql: project = CHK\n${extra}`;
  const drive = (rootUrl: string) =>
    `connections:\n  docs:\n    kind: drive\n    auth: { accessToken: t }\n    rootUrl: ${rootUrl}\n    folders: [f1]\n`;

  it('refuses a connector base URL at a metadata address, naming the connection and setting', () => {
    const attempt = () => parseBatonConfig(jira('http://169.254.169.254'), 'baton.yaml', {});
    expect(attempt).toThrow(ConfigError);
    expect(attempt).toThrow(/connections\.tracker\.host: 169\.254\.169\.254 is a link-local address/);
    expect(() => parseBatonConfig(drive('http://metadata.google.internal/'), 'baton.yaml', {})).toThrow(
      /connections\.docs\.rootUrl: metadata\.google\.internal is a cloud metadata service name/,
    );
  });

  it('checks every URL-valued setting, not only the base URL', () => {
    const yaml = jira('https://acme.atlassian.net', '    siteUrl: http://[fe80::1]/\n');
    expect(() => parseBatonConfig(yaml, 'baton.yaml', {})).toThrow(/connections\.tracker\.siteUrl: /);
  });

  it('checks a URL that arrives through a reference', () => {
    expect(() =>
      parseBatonConfig(jira(`\${JIRA_HOST}`), 'baton.yaml', { JIRA_HOST: 'http://2852039166' }),
    ).toThrow(/connections\.tracker\.host: 169\.254\.169\.254/);
  });

  it('takes the address as written with allowPrivateNetwork: true, and loopback always', () => {
    const allowed = jira('http://169.254.10.10', '    allowPrivateNetwork: true\n');
    const [connection] = parseBatonConfig(allowed, 'baton.yaml', {}).connections;
    expect(connection.allowPrivateNetwork).toBe(true);
    expect(connection.declared).not.toHaveProperty('allowPrivateNetwork');
    expect(() => parseBatonConfig(jira('http://127.0.0.1:4010'), 'baton.yaml', {})).not.toThrow();
  });

  it('reads the common webhook rate limit, 600 a minute unless the connection says otherwise', () => {
    const [plain] = parseBatonConfig(jira('http://127.0.0.1:1'), 'baton.yaml', {}).connections;
    expect(plain.webhookRateLimitPerMinute).toBe(600);
    const custom = jira('http://127.0.0.1:1', '    webhookRateLimitPerMinute: 60\n');
    expect(parseBatonConfig(custom, 'baton.yaml', {}).connections[0].webhookRateLimitPerMinute).toBe(60);
    const zero = jira('http://127.0.0.1:1', '    webhookRateLimitPerMinute: 0\n');
    expect(() => parseBatonConfig(zero, 'baton.yaml', {})).toThrow(ConfigError);
  });
});
