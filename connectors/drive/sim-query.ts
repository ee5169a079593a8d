import type { drive_v3 } from '@googleapis/drive';

type FileTest = (f: drive_v3.Schema$File) => boolean;

/** One clause of Drive's query language the simulator understands, and its test. */
const CLAUSES: [RegExp, (m: RegExpMatchArray) => FileTest][] = [
  [
    /^'((?:[^'\\]|\\.)+)'\s+in\s+parents$/,
    (m) => {
      const id = m[1].replace(/\\(.)/g, '$1');
      return (f) => f.parents?.includes(id) ?? false;
    },
  ],
  [/^trashed\s*=\s*(true|false)$/, (m) => (f) => (f.trashed ?? false) === (m[1] === 'true')],
  [/^mimeType\s*(=|!=)\s*'([^']+)'$/, (m) => (f) => (m[1] === '=') === (f.mimeType === m[2])],
];

/**
 * The subset of Drive's query language the connector uses: `'<id>' in parents`,
 * `trashed = true|false` and `mimeType = / != '<type>'`, joined by `and`. Anything else is
 * refused (null), as Drive refuses a query it cannot parse.
 */
export function compileQuery(q: string): FileTest | null {
  if (!q.trim()) return () => true;
  const tests: FileTest[] = [];
  for (const clause of q.split(/\s+and\s+/i)) {
    const text = clause.trim();
    const known = CLAUSES.map(([re, make]) => {
      const m = text.match(re);
      return m ? make(m) : null;
    }).find((t) => t !== null);
    if (!known) return null;
    tests.push(known);
  }
  return (f) => tests.every((t) => t(f));
}
