// Keeps a status page on a wall screen current: re-fetches the page every `data-refresh`
// seconds while the tab is visible and swaps in the new <main>. Without JavaScript the page
// is complete; this only saves a reload.
(() => {
  const seconds = Number(document.body.dataset.refresh);
  if (!seconds) return;
  const refresh = async () => {
    if (document.visibilityState !== 'visible') return;
    try {
      const response = await fetch(window.location.href, { headers: { accept: 'text/html' } });
      if (!response.ok) return;
      const next = new DOMParser().parseFromString(await response.text(), 'text/html');
      const main = next.querySelector('main');
      const footer = next.querySelector('footer.site');
      if (main) document.querySelector('main')?.replaceWith(document.adoptNode(main));
      if (footer) document.querySelector('footer.site')?.replaceWith(document.adoptNode(footer));
    } catch {
      // Offline or restarting: keep what is shown and try again next time.
    }
  };
  window.setInterval(refresh, seconds * 1000);
})();
