import type { SimIssue, SimRepo } from './model.js';

export interface PageOf<T> {
  items: T[];
  /** The Link header (rel=next/last/first/prev), GitHub-style, or undefined for a single page. */
  link?: string;
}

/**
 * One page of a list, with GitHub's Link header. GitHub writes these links with the numeric
 * repository path (`/repositories/{id}/…`), not the name: clients must follow them as given.
 */
export function paginate<T>(
  all: T[],
  query: URLSearchParams,
  linkBase: string,
  defaultPerPage = 30,
): PageOf<T> {
  const perPage = Math.min(
    100,
    Math.max(1, Number(query.get('per_page') ?? defaultPerPage) || defaultPerPage),
  );
  const page = Math.max(1, Number(query.get('page') ?? 1) || 1);
  const last = Math.max(1, Math.ceil(all.length / perPage));
  const items = all.slice((page - 1) * perPage, page * perPage);
  if (last === 1) return { items };
  const href = (n: number) => {
    const params = new URLSearchParams(query);
    params.set('page', String(n));
    return `<${linkBase}?${params.toString()}>`;
  };
  const rels: string[] = [];
  if (page > 1) rels.push(`${href(page - 1)}; rel="prev"`);
  if (page < last) rels.push(`${href(page + 1)}; rel="next"`, `${href(last)}; rel="last"`);
  if (page > 1) rels.push(`${href(1)}; rel="first"`);
  return { items, link: rels.join(', ') };
}

/** `GET /repos/{o}/{r}/issues`: state, since (inclusive, second precision), sort, direction. */
export function selectIssues(repo: SimRepo, query: URLSearchParams): SimIssue[] {
  const state = query.get('state') ?? 'open';
  const since = query.get('since');
  const sinceMs = since ? Math.floor(Date.parse(since) / 1000) * 1000 : undefined;
  const sort = query.get('sort') ?? 'created';
  const direction = query.get('direction') ?? 'desc';
  const key = (item: SimIssue) =>
    sort === 'updated'
      ? item.updated_at
      : sort === 'comments'
        ? String(item.timeline.length)
        : item.created_at;
  const items = [...repo.issues.values()]
    .filter((item) => state === 'all' || item.state === state)
    .filter((item) => sinceMs === undefined || Date.parse(item.updated_at) >= sinceMs)
    .sort((a, b) => key(a).localeCompare(key(b)) || a.number - b.number);
  return direction === 'asc' ? items : items.reverse();
}
