import { describe, expect, it } from 'vitest';
import { DriveConfig, scopesFor } from './config.js';

const base = { auth: { accessToken: 'token' }, folders: ['1AbCdEf'] };

describe('Drive connection settings', () => {
  it('fills the documented defaults', () => {
    expect(DriveConfig.parse(base)).toMatchObject({
      rootUrl: 'https://www.googleapis.com/',
      sharedDrives: [],
      approvals: true,
      channelTtlHours: 24,
      commentAlerts: true,
    });
  });

  it('reads flags and numbers that arrive as strings from environment variables', () => {
    const config = DriveConfig.parse({
      ...base,
      approvals: 'false',
      commentAlerts: 'false',
      channelTtlHours: '12',
    });
    expect(config).toMatchObject({ approvals: false, commentAlerts: false, channelTtlHours: 12 });
  });

  it.each([
    ['no folder or shared drive in scope', { auth: base.auth }],
    [
      'a folder id that could break out of a files.list query',
      { ...base, folders: ["x' or trashed = true or 'y"] },
    ],
    [
      'a subject that is not an email address',
      { ...base, auth: { serviceAccount: { keyJson: '{}', subject: 'pm' } } },
    ],
    ['a channel lifetime beyond the week Drive allows', { ...base, channelTtlHours: 200 }],
    ['a channel token too short to be a secret', { ...base, channelToken: 'short' }],
  ])('refuses %s', (_what, settings) => {
    expect(DriveConfig.safeParse(settings).success).toBe(false);
  });

  it('asks for drive.readonly only, unless alerts are posted as comments (which needs drive)', () => {
    expect(scopesFor(DriveConfig.parse({ ...base, commentAlerts: false }))).toEqual([
      'https://www.googleapis.com/auth/drive.readonly',
    ]);
    expect(scopesFor(DriveConfig.parse(base))).toEqual(['https://www.googleapis.com/auth/drive']);
  });
});
