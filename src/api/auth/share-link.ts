import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * A signed, expiring link to one plan's page for people without a token (execs reading on a
 * phone). `share` = `<expiry seconds>.<hmac(plan|expiry)>`.
 */
export function signShareLink(planKey: string, expiresAt: Date, secret: string): string {
  const expiry = Math.floor(expiresAt.getTime() / 1000);
  return `${expiry}.${mac(planKey, expiry, secret)}`;
}

export function verifyShareLink(planKey: string, share: string, secret: string, now: Date): boolean {
  const match = /^(\d{1,12})\.([A-Za-z0-9_-]{43})$/.exec(share);
  if (!match) return false;
  const expiry = Number(match[1]);
  if (expiry * 1000 <= now.getTime()) return false;
  const expected = Buffer.from(mac(planKey, expiry, secret));
  const given = Buffer.from(match[2]);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

function mac(planKey: string, expiry: number, secret: string): string {
  return createHmac('sha256', secret).update(`${planKey}|${expiry}`).digest('base64url');
}
