/**
 * Google's partial-response `fields` syntax (`nextPageToken,files(id,owners(displayName))`), as
 * the simulator applies it: a response holds only what was asked for, so a connector that
 * forgets to ask for a field finds out in tests, as it would against Drive.
 */
export type FieldTree = Map<string, FieldTree | true>;

export function parseFields(spec: string): FieldTree {
  const [tree, rest] = parseList(spec.replace(/\s+/g, ''), 0);
  if (rest !== spec.replace(/\s+/g, '').length) throw new Error(`invalid fields: ${spec}`);
  return tree;
}

function parseList(s: string, at: number): [FieldTree, number] {
  const tree: FieldTree = new Map();
  let i = at;
  while (i < s.length && s[i] !== ')') {
    let name = '';
    while (i < s.length && !',()'.includes(s[i])) name += s[i++];
    if (!name) throw new Error(`invalid fields near ${i}`);
    let node: FieldTree | true = true;
    if (s[i] === '(') {
      const [sub, end] = parseList(s, i + 1);
      if (s[end] !== ')') throw new Error('unbalanced ( in fields');
      node = sub;
      i = end + 1;
    }
    addPath(tree, name.split('/'), node);
    if (s[i] === ',') i++;
  }
  return [tree, i];
}

function addPath(tree: FieldTree, path: string[], node: FieldTree | true): void {
  const [head, ...rest] = path;
  if (rest.length === 0) {
    tree.set(head, node);
    return;
  }
  const existing = tree.get(head);
  const sub: FieldTree = existing instanceof Map ? existing : new Map();
  tree.set(head, sub);
  addPath(sub, rest, node);
}

export function applyFields(value: unknown, tree: FieldTree | true): unknown {
  if (tree === true || tree.has('*')) return value;
  if (Array.isArray(value)) return value.map((v) => applyFields(v, tree));
  if (typeof value !== 'object' || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const [key, sub] of tree) {
    const v = (value as Record<string, unknown>)[key];
    if (v !== undefined) out[key] = applyFields(v, sub);
  }
  return out;
}
