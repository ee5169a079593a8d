import { TZDate } from '@date-fns/tz';

/**
 * The JQL the simulator understands: `project = X`, `project in (X, Y)`, `updated >=|>|<=|< "date"`
 * joined by AND, parentheses, and `ORDER BY updated [ASC], key [ASC]` or `ORDER BY key [ASC]`.
 * Date literals are read in the querying user's time zone, as Jira does.
 */
export interface SimQuery {
  projects: Set<string> | null;
  /** Inclusive bounds in epoch ms. */
  updatedFrom: number;
  updatedTo: number;
  order: 'updated' | 'key';
}

export class JqlError extends Error {}

type Token = { kind: 'word' | 'string' | 'op' | 'punct'; text: string };

function tokenize(jql: string): Token[] {
  const tokens: Token[] = [];
  const pattern = /\s*(?:"((?:[^"\\]|\\.)*)"|(>=|<=|!=|=|>|<)|([(),])|([A-Za-z0-9_.\-/:]+))/y;
  pattern.lastIndex = 0;
  while (pattern.lastIndex < jql.length) {
    const match = pattern.exec(jql);
    if (!match) break;
    if (match[1] !== undefined) tokens.push({ kind: 'string', text: match[1] });
    else if (match[2]) tokens.push({ kind: 'op', text: match[2] });
    else if (match[3]) tokens.push({ kind: 'punct', text: match[3] });
    else if (match[4]) tokens.push({ kind: 'word', text: match[4] });
  }
  if (jql.slice(pattern.lastIndex).trim() !== '')
    throw new JqlError(`cannot read the JQL near "${jql.slice(pattern.lastIndex, pattern.lastIndex + 20)}"`);
  return tokens;
}

export function parseJql(jql: string, timeZone: string): SimQuery {
  const tokens = tokenize(jql);
  const query: SimQuery = { projects: null, updatedFrom: -Infinity, updatedTo: Infinity, order: 'updated' };
  let at = 0;
  let restricted = false;
  const peek = () => tokens[at];
  const next = () => {
    const token = tokens[at++];
    if (!token) throw new JqlError('the JQL ends too early');
    return token;
  };
  const isWord = (text: string) => peek()?.kind === 'word' && peek().text.toLowerCase() === text;

  const clause = () => {
    if (peek()?.text === '(') {
      next();
      expression();
      if (next().text !== ')') throw new JqlError('expected )');
      return;
    }
    const field = next().text.toLowerCase();
    restricted = true;
    if (field === 'project') {
      const op = next();
      const values: string[] = [];
      if (op.text.toLowerCase() === 'in') {
        if (next().text !== '(') throw new JqlError('expected ( after in');
        for (let t = next(); t.text !== ')'; t = next())
          if (t.text !== ',') values.push(t.text.toUpperCase());
      } else if (op.text === '=') values.push(next().text.toUpperCase());
      else throw new JqlError(`the simulator does not support project ${op.text}`);
      const set = new Set(values);
      query.projects = query.projects ? new Set([...query.projects].filter((p) => set.has(p))) : set;
    } else if (field === 'updated') {
      const op = next().text;
      const ms = dateLiteral(next().text, timeZone);
      if (op === '>=') query.updatedFrom = Math.max(query.updatedFrom, ms);
      else if (op === '>') query.updatedFrom = Math.max(query.updatedFrom, ms + 1);
      else if (op === '<=') query.updatedTo = Math.min(query.updatedTo, ms);
      else if (op === '<') query.updatedTo = Math.min(query.updatedTo, ms - 1);
      else throw new JqlError(`the simulator does not support updated ${op}`);
    } else throw new JqlError(`the simulator does not support the field ${field}`);
  };
  const expression = () => {
    clause();
    while (isWord('and')) {
      next();
      clause();
    }
    if (isWord('or')) throw new JqlError('the simulator does not support OR');
  };

  if (tokens.length > 0 && !isWord('order')) expression();
  if (isWord('order')) {
    next();
    if (next().text.toLowerCase() !== 'by') throw new JqlError('expected BY after ORDER');
    const terms = tokens
      .slice(at)
      .map((t) => t.text.toLowerCase())
      .join(' ');
    if (/^updated( asc)?(\s*,\s*key( asc)?)?$/.test(terms.replace(/ ,/g, ','))) query.order = 'updated';
    else if (/^key( asc)?$/.test(terms)) query.order = 'key';
    else throw new JqlError(`the simulator supports ORDER BY updated, key or ORDER BY key, not ${terms}`);
    at = tokens.length;
  }
  if (at < tokens.length) throw new JqlError(`unexpected ${tokens[at].text}`);
  if (!restricted) {
    throw new JqlError(
      'Unbounded JQL queries are not allowed here. Please add a search restriction to your query.',
    );
  }
  return query;
}

/** `yyyy/MM/dd HH:mm`, `yyyy-MM-dd HH:mm` or a bare date, as wall time in the user's zone. */
function dateLiteral(text: string, timeZone: string): number {
  const match = /^(\d{4})[/-](\d{2})[/-](\d{2})(?:\s+(\d{2}):(\d{2}))?$/.exec(text.trim());
  if (!match) throw new JqlError(`Date value '${text}' for field 'updated' is invalid.`);
  const [, y, mo, d, h = '0', mi = '0'] = match;
  return new TZDate(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), timeZone).getTime();
}
