import { zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import type { LoadProgress } from '../types';
import { UserDataError } from './errors';
import { collectImageFiles, expandZip, loadImageFolder, sniffImageType, type ImageDecoder, type UserFileEntry } from './imageFolder';

const MAGIC: Record<string, number[]> = {
  'image/png': [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a],
  'image/jpeg': [0xff, 0xd8, 0xff, 0xe0],
  'image/gif': [...'GIF89a'].map((c) => c.charCodeAt(0)),
  'image/webp': [...'RIFF\0\0\0\0WEBP'].map((c) => c.charCodeAt(0)),
  'image/bmp': [0x42, 0x4d],
};

/**
 * A fake image file: the real magic bytes padded to 12 bytes, then width, height and RGBA
 * pixels. `fakeDecode` reads it back and fails when the payload is truncated, like a real decoder.
 */
function fakeImage(mime: string, w: number, h: number, rgba: (i: number) => [number, number, number, number]): Uint8Array {
  const b = new Uint8Array(14 + w * h * 4);
  b.set(MAGIC[mime]);
  b[12] = w;
  b[13] = h;
  for (let i = 0; i < w * h; i++) b.set(rgba(i), 14 + i * 4);
  return b;
}

const decodedMimes: string[] = [];
const fakeDecode: ImageDecoder = async (bytes, mime, file) => {
  expect(sniffImageType(bytes)).toBe(mime);
  expect(typeof file).toBe('string');
  decodedMimes.push(mime);
  const w = bytes[12];
  const h = bytes[13];
  const data = bytes.subarray(14);
  if (data.length !== w * h * 4) throw new Error('truncated');
  return { width: w, height: h, data: new Uint8ClampedArray(data) };
};

/** A 4×4 image whose colour encodes (class code, index): R = code, G = index, B = 7, alpha 0 (dropped). */
const solid = (mime: string, code: number, index: number) => fakeImage(mime, 4, 4, () => [code, index, 7, 0]);

const CODE: Record<string, number> = { birds: 30, cats: 10, dogs: 20 };

function petEntries(): UserFileEntry[] {
  return [
    { path: 'pets/cats/a.png', bytes: solid('image/png', 10, 0) },
    { path: 'pets/cats/b.jpg', bytes: solid('image/jpeg', 10, 1) },
    { path: 'pets/cats/c.webp', bytes: solid('image/webp', 10, 2) },
    { path: 'pets/dogs/a.gif', bytes: solid('image/gif', 20, 0) },
    { path: 'pets/dogs/b.bmp', bytes: solid('image/bmp', 20, 1) },
    { path: 'pets/dogs/c.png', bytes: solid('image/png', 20, 2) },
    { path: 'pets/birds/x.png', bytes: solid('image/png', 30, 0) },
    { path: 'pets/birds/y.png', bytes: solid('image/png', 30, 1) },
  ];
}

const T = { height: 2, width: 2, channels: 3 };

/** (class, index) pairs of a split, read back from the pixels and checked against the labels. */
function pairs(set: Awaited<ReturnType<typeof loadImageFolder>>['set'], split: 'train' | 'test'): string[] {
  const s = set[split];
  const size = set.height * set.width * set.channels;
  const out: string[] = [];
  for (let k = 0; k < s.n; k++) {
    const img = s.x.subarray(k * size, (k + 1) * size);
    const cls = set.classNames[s.y[k]];
    // every pixel of the resized image is exactly (code, index, 7)
    for (let p = 0; p < set.height * set.width; p++) expect([img[p * 3], img[p * 3 + 2]]).toEqual([CODE[cls], 7]);
    expect(img.every((v, i) => i % 3 !== 1 || v === img[1])).toBe(true);
    out.push(`${cls}${img[1]}`);
  }
  return out;
}

describe('sniffImageType', () => {
  it('detects by magic bytes, not by name', () => {
    for (const [mime, magic] of Object.entries(MAGIC)) expect(sniffImageType(Uint8Array.from([...magic, ...new Array(30).fill(0)]))).toBe(mime);
    expect(sniffImageType(Uint8Array.from([...'RIFF\0\0\0\0WAVE'].map((c) => c.charCodeAt(0))))).toBeNull();
    expect(sniffImageType(new TextEncoder().encode('hello world, this is text'))).toBeNull();
    expect(sniffImageType(new Uint8Array(0))).toBeNull();
  });
});

describe('loadImageFolder', () => {
  it('loads a good set: sorted classes, per-class split, exact pixels', async () => {
    const progress: LoadProgress[] = [];
    decodedMimes.length = 0;
    const { set, problems, note } = await loadImageFolder(petEntries(), T, fakeDecode, { onProgress: (p) => progress.push(p) });
    expect(problems).toEqual([]);
    expect(set.classNames).toEqual(['birds', 'cats', 'dogs']);
    expect(set.numClasses).toBe(3);
    expect(set).toMatchObject({ id: 'image-folder-upload', height: 2, width: 2, channels: 3, flipSafe: false });
    expect(set.source).toContain('nothing leaves this browser');
    expect(new Set(decodedMimes)).toEqual(new Set(Object.keys(MAGIC)));
    // testFraction 0.2: round(0.6) = 1 of 3, and at least 1 of 2.
    expect(set.test.n).toBe(3);
    expect(set.train.n).toBe(5);
    expect(set.train.x.length).toBe(5 * 12);
    const tr = pairs(set, 'train');
    const te = pairs(set, 'test');
    expect([...tr, ...te].sort()).toEqual(['birds0', 'birds1', 'cats0', 'cats1', 'cats2', 'dogs0', 'dogs1', 'dogs2']);
    expect(te.map((p) => p.slice(0, -1)).sort()).toEqual(['birds', 'cats', 'dogs']);
    expect(note).toBe('8 images in 3 classes: 5 for training, 3 held out for testing. Images were stretched (not cropped) to 2×2.');
    // progress: starts at 0, ends at total, never goes back
    expect(progress[0]).toMatchObject({ phase: 'decode', loaded: 0, total: 8 });
    expect(progress[progress.length - 1]).toMatchObject({ phase: 'decode', loaded: 8, total: 8 });
    for (let i = 1; i < progress.length; i++) expect(progress[i].loaded).toBeGreaterThanOrEqual(progress[i - 1].loaded);

    // deterministic for a seed, regardless of drop order
    const again = await loadImageFolder([...petEntries()].reverse(), T, fakeDecode);
    expect(Buffer.from(again.set.train.x).equals(Buffer.from(set.train.x))).toBe(true);
    expect(Array.from(again.set.test.y)).toEqual(Array.from(set.test.y));
  });

  it('resizes by area average and converts to grey', async () => {
    // 4×2 image, R = G = B = 10·x; to 1×2 grey: mean of x∈{0,1} = 5, of x∈{2,3} = 25.
    const ramp = (code: number) => fakeImage('image/png', 4, 2, (i) => [10 * (i % 4) + code, 10 * (i % 4) + code, 10 * (i % 4) + code, 255]);
    const { set } = await loadImageFolder(
      [
        { path: 'a/1.png', bytes: ramp(0) },
        { path: 'a/2.png', bytes: ramp(0) },
        { path: 'b/1.png', bytes: ramp(100) },
        { path: 'b/2.png', bytes: ramp(100) },
      ],
      { height: 1, width: 2, channels: 1 },
      fakeDecode,
    );
    const all = [...Array.from(set.train.x), ...Array.from(set.test.x)].sort((p, q) => p - q);
    expect(all).toEqual([5, 5, 25, 25, 105, 105, 125, 125]);
  });

  it('reports a non-image file (by content, not extension) and goes on', async () => {
    const entries = [
      ...petEntries(),
      { path: 'pets/cats/readme.txt', bytes: new TextEncoder().encode('my cats') },
      { path: 'pets/dogs/fake.png', bytes: new TextEncoder().encode('not really a png') },
      { path: 'pets/dogs/photo.txt', bytes: solid('image/jpeg', 20, 3) }, // a JPEG with a wrong extension is read
      { path: 'pets/.DS_Store', bytes: new Uint8Array(8) },
      { path: 'pets/cats/Thumbs.db', bytes: new Uint8Array(8) },
    ];
    const { set, problems } = await loadImageFolder(entries, T, fakeDecode);
    expect(problems).toEqual([
      { file: 'pets/cats/readme.txt', problem: 'not an image (only PNG, JPEG, GIF, WebP, BMP are read).' },
      { file: 'pets/dogs/fake.png', problem: 'not an image (only PNG, JPEG, GIF, WebP, BMP are read).' },
    ]);
    expect(set.train.n + set.test.n).toBe(9);
  });

  it('reports an image that fails to decode and goes on', async () => {
    const truncated = solid('image/png', 20, 9).subarray(0, 20);
    const { set, problems } = await loadImageFolder([...petEntries(), { path: 'dogs/x.png', bytes: truncated }], T, fakeDecode);
    expect(problems).toEqual([{ file: 'dogs/x.png', problem: 'the image could not be decoded (corrupt or truncated).' }]);
    expect(set.train.n + set.test.n).toBe(8);
  });

  it('drops a class left with one image after decode failures', async () => {
    const entries = petEntries().filter((e) => !e.path.startsWith('pets/birds/y'));
    entries.push({ path: 'pets/birds/y.png', bytes: solid('image/png', 30, 1).subarray(0, 15) });
    const { set, problems } = await loadImageFolder(entries, T, fakeDecode);
    expect(set.classNames).toEqual(['cats', 'dogs']);
    expect(problems.map((p) => p.file)).toEqual(['pets/birds/y.png', 'birds/']);
    expect(problems[1].problem).toContain('class "birds" has only 1 usable image');
  });

  it('leaves out a class with one image', async () => {
    const entries = petEntries().filter((e) => e.path !== 'pets/birds/y.png');
    const collected = collectImageFiles(entries);
    expect(collected.classNames).toEqual(['cats', 'dogs']);
    expect(collected.images.map((i) => i.path)).toEqual([
      'pets/cats/a.png',
      'pets/cats/b.jpg',
      'pets/cats/c.webp',
      'pets/dogs/a.gif',
      'pets/dogs/b.bmp',
      'pets/dogs/c.png',
    ]);
    expect(collected.problems).toEqual([
      {
        file: 'birds/',
        problem: 'class "birds" has only 1 usable image; each class needs at least 2 (one to train on, one held out for testing), so it is left out.',
      },
    ]);
    const { set } = await loadImageFolder(entries, T, fakeDecode);
    expect(set.numClasses).toBe(2);
    expect(set.classNames).toEqual(['cats', 'dogs']);
    // labels follow the sorted class list: cats = 0, dogs = 1
    const tr = pairs(set, 'train');
    tr.forEach((p, k) => expect(set.train.y[k]).toBe(p.startsWith('cats') ? 0 : 1));
  });

  it('refuses a single-class set (and a set reduced to one class) with UserDataError', async () => {
    const single = petEntries().filter((e) => e.path.includes('/cats/'));
    await expect(loadImageFolder(single, T, fakeDecode)).rejects.toThrow(UserDataError);
    await expect(loadImageFolder(single, T, fakeDecode)).rejects.toThrow(/Only one class \(cats\)/);
    const reduced = [...single, { path: 'dogs/a.png', bytes: solid('image/png', 20, 0) }];
    const err = await loadImageFolder(reduced, T, fakeDecode).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UserDataError);
    expect((err as UserDataError).problems.map((p) => p.file)).toEqual(['dogs/']);
    expect((err as UserDataError).message).toContain('dogs/: class "dogs" has only 1 usable image');
    // images not inside any folder have no class
    const loose = await loadImageFolder([{ path: 'a.png', bytes: solid('image/png', 1, 1) }], T, fakeDecode).catch((e: unknown) => e);
    expect((loose as UserDataError).problems[0]).toMatchObject({ file: 'a.png' });
    expect((loose as UserDataError).message).toMatch(/No class folder/);
  });

  it('refuses more than 255 classes', async () => {
    const entries: UserFileEntry[] = [];
    for (let c = 0; c < 256; c++) for (const f of ['a', 'b']) entries.push({ path: `c${c}/${f}.png`, bytes: fakeImage('image/png', 1, 1, () => [0, 0, 0, 0]) });
    await expect(loadImageFolder(entries, T, fakeDecode)).rejects.toThrow(/256 classes.*at most 255/);
  });

  it('reads a ZIP (made with fflate), skipping __MACOSX and dotfiles', async () => {
    const zip = zipSync({
      'cats/a.png': solid('image/png', 10, 0),
      'cats/b.png': solid('image/png', 10, 1),
      'cats/.DS_Store': new Uint8Array(4),
      'dogs/c.gif': solid('image/gif', 20, 0),
      'dogs/d.webp': [solid('image/webp', 20, 1), { level: 0 }],
      '__MACOSX/cats/._a.png': new Uint8Array(4),
      'loose.png': solid('image/png', 20, 5),
    });
    expect(expandZip('pets.zip', zip).map((e) => e.path)).toEqual(['cats/a.png', 'cats/b.png', 'dogs/c.gif', 'dogs/d.webp', 'loose.png']);
    expect(Array.from(expandZip('pets.zip', zip)[2].bytes)).toEqual(Array.from(solid('image/gif', 20, 0)));
    const { set, problems } = await loadImageFolder([{ path: 'pets.zip', bytes: zip }], T, fakeDecode);
    expect(problems).toEqual([
      { file: 'pets.zip/loose.png', problem: 'this image is not inside a class folder; put each class in its own folder (e.g. cats/, dogs/).' },
    ]);
    expect(set.classNames).toEqual(['cats', 'dogs']);
    expect([...pairs(set, 'train'), ...pairs(set, 'test')].sort()).toEqual(['cats0', 'cats1', 'dogs0', 'dogs1']);
  });

  it('names a corrupt ZIP', async () => {
    const zip = zipSync({ 'cats/a.png': solid('image/png', 10, 0), 'dogs/b.png': solid('image/png', 20, 0) });
    const cut = zip.subarray(0, Math.floor(zip.length / 2));
    let err: unknown;
    try {
      expandZip('pets.zip', cut);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(UserDataError);
    expect((err as UserDataError).problems).toEqual([{ file: 'pets.zip', problem: 'the ZIP file is corrupt or truncated and could not be opened.' }]);
    expect(() => expandZip('x.zip', new TextEncoder().encode('hello'))).toThrow(/x\.zip: not a ZIP file/);
    // Inside a load, the corrupt ZIP is a problem and the rest goes on.
    const { set, problems } = await loadImageFolder([...petEntries(), { path: 'more.zip', bytes: cut }], T, fakeDecode);
    expect(problems).toEqual([{ file: 'more.zip', problem: 'the ZIP file is corrupt or truncated and could not be opened.' }]);
    expect(set.numClasses).toBe(3);
    // Only a corrupt ZIP: nothing usable.
    const only = await loadImageFolder([{ path: 'pets.zip', bytes: cut }], T, fakeDecode).catch((e: unknown) => e);
    expect(only).toBeInstanceOf(UserDataError);
    expect((only as UserDataError).message).toContain('pets.zip: the ZIP file is corrupt');
  });

  it('refuses a ZIP that unpacks to too much', () => {
    const zip = zipSync({ 'a/1.png': new Uint8Array(5000), 'a/2.png': new Uint8Array(5000) });
    expect(() => expandZip('big.zip', zip, 6000)).toThrow(/unpacks to more than/);
  });

  it('uses a decoder\'s own reason when it throws ImageDecodeError', async () => {
    const { ImageDecodeError } = await import('./errors');
    const picky: ImageDecoder = async (bytes, mime, file) => {
      if (file.endsWith('c.png')) throw new ImageDecodeError('20,000 × 20,000 pixels is too large.');
      return fakeDecode(bytes, mime, file);
    };
    const { problems } = await loadImageFolder(petEntries(), T, picky);
    expect(problems).toEqual([{ file: 'pets/dogs/c.png', problem: '20,000 × 20,000 pixels is too large.' }]);
  });
});
