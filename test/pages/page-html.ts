/** The markup of one `<section aria-labelledby="…">` of a page, for assertions about that part only. */
export function sectionOf(page: string, headingId: string): string {
  const start = page.indexOf(`<section aria-labelledby="${headingId}"`);
  if (start < 0) throw new Error(`no section labelled by #${headingId}`);
  return page.slice(start, page.indexOf('</section>', start));
}

/** Visible text of a fragment: tags dropped, whitespace collapsed (entities left as they are). */
export function textOf(fragment: string): string {
  return fragment
    .replace(/<[^>]*>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}
