import { readFileSync } from 'node:fs';
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { precachePlugin } from './src/pwa/precachePlugin.js';
import { devCspPlugin } from './src/pwa/cspPlugin.js';

const pkg = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8')) as { version: string };

// No COOP/COEP on purpose (browser-notes §7): threaded wasm breaks in the minified build and brings
// no speed-up here, so the worker uses the SIMD-only wasm binary. The search runs in a module
// worker (`worker.format: 'es'`) and is the only place tfjs is bundled.
export default defineConfig({
  // precachePlugin: the offline service worker (sw.js) and its precache list, build only (src/pwa).
  // devCspPlugin: the dev server's inline <style> needs a relaxed CSP; builds keep index.html's.
  plugins: [react(), precachePlugin(), devCspPlugin()],
  define: {
    __APP_VERSION__: JSON.stringify(pkg.version),
  },
  worker: { format: 'es' },
  build: {
    target: 'es2022',
    // The worker chunk (tfjs + 4 backends) is ~2 MB minified; it loads off the main thread.
    chunkSizeWarningLimit: 2500,
    // Fonts stay files: inlined as data: URLs they would need font-src data: in the CSP.
    assetsInlineLimit: (file: string) => (/\.(woff2?|ttf|otf)$/.test(file) ? false : undefined),
  },
  server: { port: 5173 },
  preview: { port: 4173 },
});
