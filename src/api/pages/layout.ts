import { assetUrl } from './assets.js';
import { type Html, html } from './html.js';

export interface PageParts {
  title: string;
  body: Html;
  /** Where the page's data also lives as JSON, for the footer. */
  json?: string;
  generatedAt?: string;
  /** Re-fetch the page every 30 s (baton.js), for pages left open on a wall screen. */
  refresh?: boolean;
}

/** The document shell: landmarks, one stylesheet, one deferred script, no inline code. */
export function layout(parts: PageParts): Html {
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${parts.title} · Baton</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="${assetUrl('baton.css')}">
<script src="${assetUrl('baton.js')}" defer></script>
</head>
<body${parts.refresh ? html` data-refresh="30"` : ''}>
<a class="skip" href="#main">Skip to content</a>
<header class="site">
<nav aria-label="Baton"><a class="brand" href="/">Baton</a> <a href="/">All plans</a> <a href="/docs">API</a></nav>
</header>
<main id="main">
${parts.body}
</main>
<footer class="site">
${parts.generatedAt ? html`<p>Status as of ${parts.generatedAt.slice(0, 16).replace('T', ' ')} UTC.</p>` : ''}
${parts.json ? html`<p class="no-print">The same data as JSON: <a href="${parts.json}">${parts.json}</a></p>` : ''}
</footer>
</body>
</html>
`;
}
