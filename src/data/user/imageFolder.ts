/**
 * User images, kept in the browser: a dropped folder, or a ZIP, with one subfolder per class
 * (`pets/cats/a.png`, `pets/dogs/b.jpg`, or `cats/a.png` …). The class of an image is the name of
 * its immediate parent folder, so `train/cats/` and `test/cats/` both feed the class "cats" (the
 * train/test split is made here, per class, with a fixed seed). Classes are sorted alphabetically.
 *
 * File types are detected from their first bytes, never from the extension. Decoding is injected
 * (`ImageDecoder`): the browser passes `browserDecode` (createImageBitmap + OffscreenCanvas), tests
 * pass a fake. Each image is converted from RGBA to the target channels and resized with area
 * averaging to the target height × width. Images are *stretched* to that size, not center-cropped:
 * at the small input sizes of a search (16–32 px) the aspect change matters less than keeping the
 * whole object in view. Bad files are reported (file + problem) and skipped; the load goes on.
 */
import { unzipSync } from 'fflate';
import { Rng } from '../../core/rng';
import { convertChannels, resizeArea } from '../resize';
import type { LoadProgress, RawImageSet } from '../types';
import { ImageDecodeError, UserDataError, groupDigits, isIgnoredPath, type UserFileProblem } from './errors';
import { checkTarget, type TargetShape } from './target';

/** One dropped file: its path relative to the drop (folder) or inside a ZIP, and its bytes. */
export interface UserFileEntry {
  path: string;
  bytes: Uint8Array;
}

/** A decoded image: width × height RGBA pixels, row-major, 4 bytes per pixel. */
export interface DecodedImage {
  width: number;
  height: number;
  data: Uint8Array | Uint8ClampedArray;
}

/** Decodes one image file. May throw ImageDecodeError with a specific reason. */
export type ImageDecoder = (bytes: Uint8Array, mime: string, file: string) => Promise<DecodedImage>;

export const MAX_CLASSES = 255;
/** Refuse to inflate more than this from one ZIP (guards the tab against ZIP bombs). */
export const MAX_ZIP_BYTES = 1024 * 1024 * 1024;

const NOT_AN_IMAGE = 'not an image (only PNG, JPEG, GIF, WebP, BMP are read).';
const CANNOT_DECODE = 'the image could not be decoded (corrupt or truncated).';

/** The MIME type of an image from its magic bytes, or null if it is none of PNG/JPEG/GIF/WebP/BMP. */
export function sniffImageType(b: Uint8Array): string | null {
  const at = (i: number, ...v: number[]) => b.length >= i + v.length && v.every((x, k) => b[i + k] === x);
  if (at(0, 0x89, 0x50, 0x4e, 0x47)) return 'image/png';
  if (at(0, 0xff, 0xd8, 0xff)) return 'image/jpeg';
  if (at(0, 0x47, 0x49, 0x46, 0x38)) return 'image/gif'; // "GIF8"
  if (at(0, 0x52, 0x49, 0x46, 0x46) && at(8, 0x57, 0x45, 0x42, 0x50)) return 'image/webp'; // "RIFF....WEBP"
  if (at(0, 0x42, 0x4d) && b.length >= 26) return 'image/bmp'; // "BM" + at least the headers
  return null;
}

function isZip(entry: UserFileEntry): boolean {
  const b = entry.bytes;
  const pk = b.length >= 4 && b[0] === 0x50 && b[1] === 0x4b && ((b[2] === 3 && b[3] === 4) || (b[2] === 5 && b[3] === 6));
  return pk || entry.path.toLowerCase().endsWith('.zip');
}

/** Why a non-image file is not read: HEIC/AVIF photos get a hint, everything else the plain message. */
function notAnImage(b: Uint8Array): string {
  if (b.length === 0) return 'the file is empty (0 bytes).';
  const brand = b.length >= 12 ? String.fromCharCode(...b.subarray(4, 12)) : '';
  if (/^ftyp(hei|hev|mif|msf|avi)/.test(brand)) {
    return 'a HEIC/HEIF/AVIF photo, which is not read: export it as JPEG or PNG (only PNG, JPEG, GIF, WebP, BMP are read).';
  }
  return NOT_AN_IMAGE;
}

/**
 * The files inside a ZIP (paths inside the archive; folders, `__MACOSX/` and dotfiles left out).
 * Throws UserDataError naming `name` when the bytes are not a readable ZIP.
 */
export function expandZip(name: string, bytes: Uint8Array, maxBytes = MAX_ZIP_BYTES): UserFileEntry[] {
  const fail = (problem: string): never => {
    throw new UserDataError(`${name} could not be read.`, [{ file: name, problem }]);
  };
  if (!(bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b)) {
    fail(bytes.length === 0 ? 'the file is empty (0 bytes).' : 'not a ZIP file (it does not start with the ZIP signature "PK").');
  }
  let total = 0;
  let tooBig = false;
  let files: Record<string, Uint8Array>;
  try {
    files = unzipSync(bytes, {
      filter: (f) => {
        if (f.name.endsWith('/') || isIgnoredPath(f.name)) return false;
        total += f.originalSize;
        if (total > maxBytes) tooBig = true;
        return !tooBig;
      },
    });
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    if (/compression/i.test(msg)) {
      return fail('the ZIP uses a compression method other than Deflate (e.g. from 7-Zip or an encrypted ZIP); re-create it with ordinary ZIP compression.');
    }
    return fail('the ZIP file is corrupt or truncated and could not be opened.');
  }
  if (tooBig) {
    fail(`the ZIP unpacks to more than ${groupDigits(maxBytes / (1024 * 1024))} MiB, too much to hold in the browser; use fewer or smaller images.`);
  }
  return Object.keys(files)
    .sort()
    .map((path) => ({ path, bytes: files[path] }));
}

/** An image file found in the drop, with its class (not yet decoded). */
export interface CollectedImage {
  /** Path shown in messages, e.g. "cats/a.png" or "pets.zip/cats/a.png". */
  path: string;
  className: string;
  mime: string;
  bytes: Uint8Array;
}

export interface CollectedImages {
  /** Images of the kept classes, sorted by class then path. */
  images: CollectedImage[];
  /** Kept classes (each with at least 2 images), sorted alphabetically. */
  classNames: string[];
  problems: UserFileProblem[];
}

/** Alphabetical, case-insensitive first, then by code unit so the order is the same everywhere. */
export function compareNames(a: string, b: string): number {
  const la = a.toLowerCase();
  const lb = b.toLowerCase();
  if (la !== lb) return la < lb ? -1 : 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

function splitPath(path: string): string[] {
  return path.split(/[\\/]/).filter((p) => p.length > 0 && p !== '.');
}

/** Images per class that a class needs: one to train on, one held out. */
const MIN_PER_CLASS = 2;

/**
 * Sort dropped files into classes: expands ZIPs (one level), skips clutter (`__MACOSX/`,
 * dotfiles, Thumbs.db), detects images by magic bytes, takes each image's class from its
 * immediate parent folder and drops classes with fewer than 2 images. Never throws: every
 * file or class left out is listed in `problems`.
 */
export function collectImageFiles(entries: UserFileEntry[]): CollectedImages {
  const problems: UserFileProblem[] = [];
  // (shown path, folders that can name the class, bytes)
  const files: { path: string; folders: string[]; bytes: Uint8Array }[] = [];
  for (const e of entries) {
    if (isIgnoredPath(e.path)) continue;
    const parts = splitPath(e.path);
    if (isZip(e)) {
      let inner: UserFileEntry[];
      try {
        inner = expandZip(e.path, e.bytes);
      } catch (err) {
        if (err instanceof UserDataError) problems.push(...err.problems);
        else problems.push({ file: e.path, problem: 'the ZIP file is corrupt or truncated and could not be opened.' });
        continue;
      }
      if (inner.length === 0) problems.push({ file: e.path, problem: 'the ZIP file contains no files.' });
      for (const f of inner) {
        const innerParts = splitPath(f.path);
        const shown = `${e.path}/${innerParts.join('/')}`;
        if (isZip(f)) {
          problems.push({ file: shown, problem: 'a ZIP inside a ZIP is not read; extract it first.' });
          continue;
        }
        files.push({ path: shown, folders: innerParts.slice(0, -1), bytes: f.bytes });
      }
    } else {
      files.push({ path: parts.join('/'), folders: parts.slice(0, -1), bytes: e.bytes });
    }
  }

  const byClass = new Map<string, CollectedImage[]>();
  for (const f of files) {
    const mime = sniffImageType(f.bytes);
    if (!mime) {
      problems.push({ file: f.path, problem: notAnImage(f.bytes) });
      continue;
    }
    if (f.folders.length === 0) {
      problems.push({ file: f.path, problem: 'this image is not inside a class folder; put each class in its own folder (e.g. cats/, dogs/).' });
      continue;
    }
    const className = f.folders[f.folders.length - 1];
    const list = byClass.get(className) ?? [];
    list.push({ path: f.path, className, mime, bytes: f.bytes });
    byClass.set(className, list);
  }

  const classNames: string[] = [];
  const images: CollectedImage[] = [];
  for (const name of [...byClass.keys()].sort(compareNames)) {
    const list = byClass.get(name)!;
    if (list.length < MIN_PER_CLASS) {
      problems.push({ file: `${name}/`, problem: tooFewImages(name, list.length) });
      continue;
    }
    classNames.push(name);
    images.push(...list.sort((a, b) => compareNames(a.path, b.path)));
  }
  return { images, classNames, problems };
}

function tooFewImages(name: string, n: number): string {
  return `class "${name}" has only ${n} usable image${n === 1 ? '' : 's'}; each class needs at least ${MIN_PER_CLASS} (one to train on, one held out for testing), so it is left out.`;
}

function checkClassCount(classNames: string[], problems: UserFileProblem[]): void {
  if (classNames.length < 2) {
    const found = classNames.length === 0 ? 'No class folder with usable images was found' : `Only one class (${classNames[0]}) was found`;
    throw new UserDataError(`${found}; at least 2 class folders with 2 or more images each are needed.`, problems);
  }
  if (classNames.length > MAX_CLASSES) {
    throw new UserDataError(`${groupDigits(classNames.length)} classes were found; at most ${MAX_CLASSES} are supported (labels are stored as bytes).`, problems);
  }
}

export interface ImageFolderOptions {
  /** Seed of the per-class train/test split (default 0). */
  seed?: number;
  /** Fraction of each class held out for testing (default 0.2; at least one image per class). */
  testFraction?: number;
  onProgress?: (p: LoadProgress) => void;
  /** Dataset name shown in the UI (default "Your images"). */
  name?: string;
  /**
   * Whether a horizontal flip keeps the label (default false: for text, digits, arrows or
   * left/right classes it does not; the UI can let the user switch it on for photos).
   */
  flipSafe?: boolean;
}

export interface ImageFolderResult {
  set: RawImageSet;
  problems: UserFileProblem[];
  /** One-line summary for the dataset card. */
  note: string;
}

/**
 * Decode, convert and resize the images of a dropped folder/ZIP into a RawImageSet at the target
 * shape, split per class into train and test with a seeded shuffle. Throws UserDataError (with
 * every problem) when fewer than 2 classes with 2+ decodable images remain, or more than 255.
 */
export async function loadImageFolder(
  entries: UserFileEntry[],
  target: TargetShape,
  decode: ImageDecoder,
  opts: ImageFolderOptions = {},
): Promise<ImageFolderResult> {
  checkTarget(target);
  const testFraction = opts.testFraction ?? 0.2;
  if (!(testFraction > 0 && testFraction < 1)) throw new RangeError(`testFraction must be in (0, 1), got ${testFraction}`);
  const collected = collectImageFiles(entries);
  const problems = [...collected.problems];
  checkClassCount(collected.classNames, problems);

  const { height, width, channels } = target;
  const outSize = height * width * channels;
  const total = collected.images.length;
  const decoded = new Map<string, Uint8Array[]>(collected.classNames.map((c) => [c, []]));
  const report = (loaded: number, detail?: string) => opts.onProgress?.({ phase: 'decode', loaded, total, detail });
  report(0);
  for (let i = 0; i < total; i++) {
    const img = collected.images[i];
    try {
      const d = await decode(img.bytes, img.mime, img.path);
      const pixels = d.width * d.height;
      if (!(Number.isInteger(d.width) && Number.isInteger(d.height) && pixels > 0)) {
        throw new ImageDecodeError(`the image has no pixels (${d.width}×${d.height}).`);
      }
      if (d.data.length !== pixels * 4) {
        throw new ImageDecodeError(`the decoder returned ${groupDigits(d.data.length)} bytes for ${d.width}×${d.height} RGBA pixels.`);
      }
      const conv = convertChannels(d.data, pixels, 4, channels);
      decoded.get(img.className)!.push(resizeArea(conv, d.height, d.width, channels, height, width));
    } catch (e) {
      problems.push({ file: img.path, problem: e instanceof ImageDecodeError ? e.message : CANNOT_DECODE });
    }
    if ((i + 1) % 8 === 0 || i + 1 === total) report(i + 1, img.path);
  }

  // Decode failures can leave a class with fewer than 2 images.
  const classNames: string[] = [];
  for (const name of collected.classNames) {
    const n = decoded.get(name)!.length;
    if (n < MIN_PER_CLASS) problems.push({ file: `${name}/`, problem: tooFewImages(name, n) });
    else classNames.push(name);
  }
  checkClassCount(classNames, problems);

  // Per-class seeded split, then a seeded shuffle of each split so classes are interleaved.
  const rng = new Rng(opts.seed ?? 0, 'user-image-split');
  const trainItems: { img: Uint8Array; label: number }[] = [];
  const testItems: { img: Uint8Array; label: number }[] = [];
  classNames.forEach((name, label) => {
    const imgs = decoded.get(name)!;
    const order = rng.shuffle(imgs.map((_, k) => k));
    const nTest = Math.min(imgs.length - 1, Math.max(1, Math.round(imgs.length * testFraction)));
    order.forEach((k, j) => (j < nTest ? testItems : trainItems).push({ img: imgs[k], label }));
  });
  rng.shuffle(trainItems);
  rng.shuffle(testItems);
  const pack = (items: { img: Uint8Array; label: number }[]) => {
    const x = new Uint8Array(items.length * outSize);
    const y = new Uint8Array(items.length);
    items.forEach((it, k) => {
      x.set(it.img, k * outSize);
      y[k] = it.label;
    });
    return { n: items.length, x, y };
  };
  const used = trainItems.length + testItems.length;
  const set: RawImageSet = {
    id: 'image-folder-upload',
    name: opts.name ?? 'Your images',
    height,
    width,
    channels,
    numClasses: classNames.length,
    classNames,
    train: pack(trainItems),
    test: pack(testItems),
    source: `Your images (${groupDigits(used)} files in ${classNames.length} classes), loaded from your files; nothing leaves this browser`,
    license: 'Your own images: make sure you may use them.',
    flipSafe: opts.flipSafe ?? false,
  };
  const note =
    `${groupDigits(used)} images in ${classNames.length} classes: ${groupDigits(trainItems.length)} for training, ` +
    `${groupDigits(testItems.length)} held out for testing. Images were stretched (not cropped) to ${height}×${width}` +
    `${channels === 1 ? ' and converted to grey' : ''}.`;
  return { set, problems, note };
}
