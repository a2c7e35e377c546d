/** For `dir/index.html`, the directory it is served at (`dir/`; '' for the root); otherwise undefined. */
export function indexDirectory(key: string): string | undefined {
  return key === 'index.html' || key.endsWith('/index.html') ? key.slice(0, -'index.html'.length) : undefined;
}

/** The public URL of a key: `docs/index.html` is served at `…/docs/`. Segments are percent-encoded. */
export function publicUrl(siteUrl: string, key: string): string {
  const path = indexDirectory(key) ?? key;
  return `${siteUrl.replace(/\/+$/, '')}/${path.split('/').map(encodeURIComponent).join('/')}`;
}
