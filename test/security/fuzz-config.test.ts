import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { parseBatonConfig } from '../../src/config/baton-config.js';
import { ConfigError } from '../../src/config/errors.js';
import { registerFourTools } from './support/four-tools.js';

/** Whatever the text, baton.yaml either loads or is refused with a ConfigError; nothing else escapes. */
function expectAnswer(text: string): void {
  try {
    parseBatonConfig(text, 'baton.yaml', { SET: 'value' });
  } catch (error) {
    expect(error, String(error)).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).message).toMatch(/^baton\.yaml: /);
  }
}

const ref = (inner: string) => `\${${inner}}`;
const reference = fc.oneof(
  fc.constantFrom(
    ...['SET', 'UNSET', 'file:/no/such/file', 'file:', 'enc:v1:00000000:AAAA', 'enc:'].map(ref),
    '$' + '{',
  ),
  fc.string().map(ref),
);
const value = fc.oneof(
  fc.jsonValue(),
  reference,
  fc.constantFrom('http://169.254.169.254', 'http://[::1]', 'http://%'),
);
const connection = fc.record(
  {
    kind: fc.oneof(fc.constantFrom('github', 'jira', 'outlook', 'drive'), fc.string()),
    repos: fc.oneof(fc.constant(['acme/checkout']), value),
    token: value,
    webhookSecret: value,
    baseUrl: value,
    host: value,
    rootUrl: value,
    auth: fc.oneof(fc.record({ email: value, apiToken: value }), fc.record({ accessToken: value }), value),
    jql: value,
    pollIntervalSeconds: value,
    webhookRateLimitPerMinute: value,
    allowPrivateNetwork: value,
  },
  { requiredKeys: ['kind'] },
);

describe('baton.yaml on arbitrary input', () => {
  registerFourTools();

  it('never throws anything but a ConfigError on arbitrary text', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary' }), expectAnswer), { numRuns: 150 });
  });

  it('never throws anything but a ConfigError on generated connections', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), connection, { maxKeys: 3 }), (connections) =>
        expectAnswer(stringify({ connections })),
      ),
      { numRuns: 150 },
    );
  });
});
