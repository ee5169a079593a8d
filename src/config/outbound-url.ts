/**
 * The one check for every URL Baton sends requests to (connector base URLs, alert webhooks):
 * refuse addresses that reach the machine's own cloud platform instead of a tool — link-local
 * (169.254.0.0/16, fe80::/10, where cloud metadata services answer), the metadata services' own
 * names and addresses, the "this host" addresses (0.0.0.0/8, ::) — in every spelling the URL
 * parser accepts (decimal, octal, hex, IPv4-mapped IPv6), unless the connection says
 * `allowPrivateNetwork: true`. Loopback stays allowed: simulators and local tools live there.
 *
 * This is a check of the written address only. A DNS name that resolves to a metadata address
 * is not caught here; an egress firewall is the layer for that (docs/security.md).
 */

export interface OutboundOptions {
  /** Set by `allowPrivateNetwork: true` on a connection: the address is taken as written. */
  allowPrivateNetwork?: boolean;
}

export type OutboundCheck =
  | { ok: true; url: URL }
  | { ok: false; code: 'bad_url' | 'unsupported_scheme' | 'forbidden_host'; reason: string };

const METADATA_NAMES = new Set([
  'metadata',
  'metadata.google.internal',
  'metadata.goog',
  'instance-data',
  'instance-data.ec2.internal',
]);

/** Metadata and platform services outside 169.254.0.0/16 (Alibaba, Oracle, Azure WireServer). */
const METADATA_V4 = new Set(['100.100.100.200', '192.0.0.192', '168.63.129.16']);

/** AWS's IPv6 instance metadata endpoint, fd00:ec2::254. */
const AWS_METADATA_V6 = [0xfd00, 0x0ec2, 0, 0, 0, 0, 0, 0x0254];

function ipv4Refusal(octets: number[]): string | null {
  if (octets[0] === 169 && octets[1] === 254) return 'a link-local address (169.254.0.0/16)';
  if (octets[0] === 0) return 'a "this host" address (0.0.0.0/8)';
  if (METADATA_V4.has(octets.join('.'))) return 'a cloud metadata address';
  return null;
}

function parseIpv4(host: string): number[] | null {
  const parts = host.split('.');
  if (parts.length !== 4 || !parts.every((p) => /^\d{1,3}$/.test(p))) return null;
  const octets = parts.map(Number);
  return octets.every((o) => o <= 255) ? octets : null;
}

/** Eight 16-bit words of an IPv6 literal as the URL parser writes it (no brackets). */
function parseIpv6(host: string): number[] | null {
  const halves = host.split('::');
  if (halves.length > 2) return null;
  const words = (part: string) => (part === '' ? [] : part.split(':'));
  const head = words(halves[0]);
  const tail = halves.length === 2 ? words(halves[1]) : [];
  const last = tail.length > 0 ? tail : head;
  // A trailing dotted quad (`::ffff:1.2.3.4`) is two words.
  const quad = last.length > 0 ? parseIpv4(last[last.length - 1]) : null;
  if (quad)
    last.splice(
      last.length - 1,
      1,
      ((quad[0] << 8) | quad[1]).toString(16),
      ((quad[2] << 8) | quad[3]).toString(16),
    );
  const missing = 8 - head.length - tail.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return null;
  const all = [...head, ...Array<string>(halves.length === 2 ? missing : 0).fill('0'), ...tail];
  if (!all.every((w) => /^[0-9a-f]{1,4}$/i.test(w))) return null;
  return all.map((w) => Number.parseInt(w, 16));
}

const embeddedIpv4 = (w: number[]) => [w[6] >> 8, w[6] & 0xff, w[7] >> 8, w[7] & 0xff];
const zeros = (w: number[], from: number, to: number) => w.slice(from, to).every((x) => x === 0);

function ipv6Refusal(w: number[]): string | null {
  if (w.every((x) => x === 0)) return 'the unspecified address (::)';
  if (zeros(w, 0, 7) && w[7] === 1) return null; // ::1, loopback
  if ((w[0] & 0xffc0) === 0xfe80) return 'a link-local address (fe80::/10)';
  if (w.every((x, i) => x === AWS_METADATA_V6[i])) return 'a cloud metadata address';
  const mapped = zeros(w, 0, 5) && w[5] === 0xffff; // ::ffff:a.b.c.d
  const translated = zeros(w, 0, 4) && w[4] === 0xffff && w[5] === 0; // ::ffff:0:a.b.c.d
  const compatible = zeros(w, 0, 6); // ::a.b.c.d (deprecated)
  const nat64 = w[0] === 0x64 && w[1] === 0xff9b && zeros(w, 2, 6); // 64:ff9b::a.b.c.d
  if (mapped || translated || compatible || nat64) {
    const inner = ipv4Refusal(embeddedIpv4(w));
    return inner && `${inner}, written as IPv6`;
  }
  return null;
}

/** Why Baton will not send requests to this host name, or null when it may. */
export function hostRefusal(hostname: string): string | null {
  const host = hostname.toLowerCase().replace(/\.+$/, '');
  if (host.startsWith('[') && host.endsWith(']')) {
    const words = parseIpv6(host.slice(1, -1));
    return words ? ipv6Refusal(words) : 'an IPv6 address that does not parse';
  }
  const v4 = parseIpv4(host);
  if (v4) return ipv4Refusal(v4);
  if (METADATA_NAMES.has(host)) return 'a cloud metadata service name';
  return null;
}

/**
 * Checks a URL Baton is about to use for outgoing requests. The reason names the host only:
 * URLs can carry secrets (credentials, Slack-style webhook paths).
 */
export function checkOutboundUrl(value: string | URL, options: OutboundOptions = {}): OutboundCheck {
  let url: URL;
  try {
    url = typeof value === 'string' ? new URL(value) : value;
  } catch {
    return { ok: false, code: 'bad_url', reason: 'the URL does not parse' };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return { ok: false, code: 'unsupported_scheme', reason: `only http and https URLs, not ${url.protocol}` };
  }
  if (options.allowPrivateNetwork) return { ok: true, url };
  const refusal = hostRefusal(url.hostname);
  if (refusal) {
    return {
      ok: false,
      code: 'forbidden_host',
      reason: `${url.hostname} is ${refusal}`,
    };
  }
  return { ok: true, url };
}

/** True for text that is an absolute http(s) URL: the settings the check applies to. */
export function isHttpUrl(text: string): boolean {
  if (!/^https?:\/\//i.test(text.trim())) return false;
  try {
    new URL(text.trim());
    return true;
  } catch {
    return false;
  }
}

/**
 * Every absolute http(s) URL anywhere in a connection's parsed settings (baseUrl, host, rootUrl,
 * authorityHost, any other), checked; the first refused one with its settings path.
 */
export function findRefusedUrl(
  settings: unknown,
  options: OutboundOptions = {},
  path: (string | number)[] = [],
): { path: (string | number)[]; reason: string } | null {
  if (typeof settings === 'string') {
    if (!isHttpUrl(settings)) return null;
    const check = checkOutboundUrl(settings.trim(), options);
    return check.ok ? null : { path, reason: check.reason };
  }
  const entries = Array.isArray(settings)
    ? settings.entries()
    : settings && typeof settings === 'object'
      ? Object.entries(settings)
      : [];
  for (const [key, value] of entries) {
    const found = findRefusedUrl(value, options, [...path, key]);
    if (found) return found;
  }
  return null;
}
