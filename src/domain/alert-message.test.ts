import { describe, expect, it } from 'vitest';
import { businessDuration, digestText, handoffAlertText, type WaitingHandoff } from './alert-message.js';

const waiting: WaitingHandoff = {
  kind: 'review',
  item: {
    key: 'acme/checkout#5',
    title: 'Apple Pay button',
    url: 'https://github.example/acme/checkout/pull/5',
  },
  receiverName: 'Raj Patel',
  openedAt: new Date('2026-11-16T09:00:00Z'),
  waitingMinutes: 11 * 60 + 20,
  timezone: 'Europe/Berlin',
  planKey: 'checkout',
};

describe('alert texts', () => {
  it('say what waits, on whom, since when in business hours, the level and both links', () => {
    const alert = handoffAlertText(waiting, {
      level: 2,
      role: 'the phase owner',
      publicUrl: 'https://baton.example/',
    });
    expect(alert.subject).toBe('Stalled review: acme/checkout#5 waiting on Raj Patel (11 business hours)');
    expect(alert.text).toBe(
      [
        'The review of acme/checkout#5 "Apple Pay button" has been waiting on Raj Patel since Mon 16 Nov 2026 10:00 (Europe/Berlin): waiting 11 business hours.',
        'Escalation level 2: you are told as the phase owner.',
        'Item: https://github.example/acme/checkout/pull/5',
        'Status: https://baton.example/plans/checkout',
      ].join('\n'),
    );
    expect(alert.statusUrl).toBe('https://baton.example/plans/checkout');
  });

  it.each([
    [0, '0 business minutes'],
    [1, '1 business minute'],
    [59.9, '59 business minutes'],
    [60, '1 business hour'],
    [119, '1 business hour'],
    [660, '11 business hours'],
  ])('round %s minutes down to "%s"', (minutes, text) => {
    expect(businessDuration(minutes)).toBe(text);
  });

  it('list every stalled handoff in a digest, with who it waits on', () => {
    const other = {
      ...waiting,
      kind: 'approval',
      item: { key: 'CHK-3', title: 'Fraud rules', url: null },
      receiverName: 'Maya Chen',
    };
    const digest = digestText('Raj Patel', [waiting, other], 'https://baton.example');
    expect(digest.subject).toBe('Baton daily digest: 2 stalled handoffs');
    expect(digest.text).toContain('- review of acme/checkout#5 "Apple Pay button", waiting on you since');
    expect(digest.text).toContain('- approval of CHK-3 "Fraud rules", waiting on Maya Chen since');
    expect(digest.text).toContain('Status: https://baton.example/plans/checkout');
  });
});
