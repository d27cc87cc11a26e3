/**
 * The page's Content-Security-Policy (index.html) is the production one. The dev server injects
 * each CSS module as a <style> element (and React Refresh an inline script), which that policy
 * refuses, so under `vite` (serve) only, this plugin adds 'unsafe-inline' to style-src and
 * script-src. The build keeps the strict policy.
 */
import type { Plugin } from 'vite';

export function devCspPlugin(): Plugin {
  return {
    name: 'darts-dev-csp',
    apply: 'serve',
    transformIndexHtml(html) {
      return html.replace(/content="([^"]*default-src[^"]*)"/, (_m, csp: string) => {
        const relaxed = csp
          .replace(/style-src ([^;]*)/, (_s, v: string) => `style-src ${v} 'unsafe-inline'`)
          .replace(/script-src ([^;]*)/, (_s, v: string) => `script-src ${v} 'unsafe-inline'`);
        return `content="${relaxed}"`;
      });
    },
  };
}
