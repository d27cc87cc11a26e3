/**
 * Vite plugin (build only) that produces the service worker of the offline app (issue 5 item 9).
 *
 *  1. `buildStart` adds src/pwa/sw.ts as an extra entry, written as `sw.js` at the root of the
 *     build (a service worker's scope is its folder, so it must sit next to index.html).
 *  2. `writeBundle`, once every file is on disk, lists what the app may fetch: the files Vite
 *     emitted (JS, CSS, the tfjs wasm binaries the worker imports with `?url`, the worker chunk)
 *     and everything copied from public/ (datasets, replays, icons, the web app manifest), hashes
 *     each, and prepends the list to sw.js as `self.__DARTS_PRECACHE__ = {…}`. The list's hash
 *     is the build's version, so sw.js changes whenever any file does, which is what makes the
 *     browser install the new build.
 *
 * Hand-written rather than vite-plugin-pwa/Workbox: ~150 lines with no dependencies, and the
 * precache list comes from Vite's own bundle, so it cannot miss an emitted file.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Plugin, ResolvedConfig } from 'vite';
import { MANIFEST_GLOBAL, type PrecacheEntry, type PrecacheManifest } from './swLogic.js';

export const SW_FILE = 'sw.js';

/**
 * Files never fetched by the app, so not worth a download: source maps, the service worker itself,
 * dotfiles, tfjs's threaded wasm (emitted only because `setWasmPaths` wants an entry for it;
 * without cross-origin isolation the worker uses the SIMD binary, see src/worker/backends.ts),
 * and the .woff/.ttf fallbacks of the KaTeX fonts: every browser with service workers takes the
 * .woff2 listed first in KaTeX's @font-face rules.
 */
const EXCLUDE: readonly RegExp[] = [
  /\.map$/,
  /^sw\.js$/, // SW_FILE
  /(^|\/)\./,
  /threaded-simd[^/]*\.wasm$/,
  /\.(woff|ttf)$/,
];

export function isPrecached(file: string): boolean {
  return !EXCLUDE.some((re) => re.test(file));
}

function sha(bytes: Uint8Array | string): string {
  return createHash('sha256').update(bytes).digest('hex').slice(0, 16);
}

/** The manifest for a set of files (paths relative to the build root, '/'-separated). */
export function buildManifest(files: ReadonlyArray<{ path: string; bytes: Uint8Array }>): PrecacheManifest {
  const entries: PrecacheEntry[] = files
    .filter((f) => isPrecached(f.path))
    .map((f) => ({ url: f.path, rev: sha(f.bytes), size: f.bytes.byteLength }))
    .sort((a, b) => (a.url < b.url ? -1 : a.url > b.url ? 1 : 0));
  const version = sha(entries.map((e) => `${e.url} ${e.rev}`).join('\n'));
  return { version, entries };
}

/** The first line of the built sw.js. */
export function manifestPrologue(manifest: PrecacheManifest): string {
  return `self.${MANIFEST_GLOBAL}=${JSON.stringify(manifest)};\n`;
}

/** Every file under `dir`, as '/'-separated paths relative to it. */
function walk(dir: string, prefix = ''): string[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  return names.flatMap((name) => {
    const full = path.join(dir, name);
    const rel = prefix ? `${prefix}/${name}` : name;
    return statSync(full).isDirectory() ? walk(full, rel) : [rel];
  });
}

export function precachePlugin(): Plugin {
  let config: ResolvedConfig;
  return {
    name: 'darts:precache',
    apply: 'build',
    configResolved(c) {
      config = c;
    },
    buildStart() {
      this.emitFile({ type: 'chunk', id: path.resolve(config.root, 'src/pwa/sw.ts'), fileName: SW_FILE });
    },
    writeBundle: {
      order: 'post',
      sequential: true,
      handler(_options, bundle) {
        const sw = bundle[SW_FILE];
        // A service worker registered as a classic script cannot import; a module shared with the
        // page (a shared chunk) would make it try.
        if (sw?.type === 'chunk' && (sw.imports.length > 0 || sw.dynamicImports.length > 0)) {
          this.error(`${SW_FILE} must not share modules with the page (it imports ${[...sw.imports, ...sw.dynamicImports].join(', ')})`);
        }
        const outDir = path.resolve(config.root, config.build.outDir);
        const emitted = Object.keys(bundle);
        const copied = config.build.copyPublicDir && config.publicDir ? walk(config.publicDir) : [];
        const files = [...new Set([...emitted, ...copied])].map((p) => ({ path: p, bytes: readFileSync(path.join(outDir, p)) }));
        const manifest = buildManifest(files);
        const swPath = path.join(outDir, SW_FILE);
        writeFileSync(swPath, manifestPrologue(manifest) + readFileSync(swPath, 'utf8'));
        const mb = manifest.entries.reduce((s, e) => s + e.size, 0) / 1e6;
        config.logger.info(`darts:precache: ${SW_FILE} precaches ${manifest.entries.length} files (${mb.toFixed(1)} MB), version ${manifest.version}`);
      },
    },
  };
}
