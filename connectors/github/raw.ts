/**
 * GitHub objects are mostly URL templates and nested repository copies. The raw payload kept
 * with a record drops those (and reactions, node ids, avatars) and keeps what a person auditing
 * the record would read.
 */
const DROP = new Set([
  'url',
  '_links',
  'reactions',
  'node_id',
  'gravatar_id',
  'repo',
  'performed_via_github_app',
]);

export function trimRaw(value: unknown, depth = 0): unknown {
  if (Array.isArray(value)) return value.map((entry) => trimRaw(entry, depth + 1));
  if (value === null || typeof value !== 'object') return typeof value === 'bigint' ? String(value) : value;
  if (depth > 6) return undefined;
  const out: Record<string, unknown> = {};
  for (const [key, entry] of Object.entries(value)) {
    if (DROP.has(key) || (key.endsWith('_url') && key !== 'html_url')) continue;
    out[key] = trimRaw(entry, depth + 1);
  }
  return out;
}
