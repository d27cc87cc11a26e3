/**
 * The browser's image decoder for `loadImageFolder`: createImageBitmap on a Blob, drawn on an
 * OffscreenCanvas (a DOM canvas where OffscreenCanvas is missing), read back as RGBA. Works in a
 * window and in a worker. Browser-only: Node tests inject a fake decoder instead of importing this.
 */
import { ImageDecodeError, groupDigits } from './errors';
import type { DecodedImage } from './imageFolder';

/** Larger images are refused rather than risk exhausting the tab's memory (~400 MB of RGBA). */
export const MAX_DECODE_PIXELS = 100_000_000;

type Canvas2D = OffscreenCanvasRenderingContext2D | CanvasRenderingContext2D;

function context2d(width: number, height: number): Canvas2D {
  if (typeof OffscreenCanvas !== 'undefined') {
    const ctx = new OffscreenCanvas(width, height).getContext('2d', { willReadFrequently: true });
    if (ctx) return ctx;
  } else if (typeof document !== 'undefined') {
    const canvas = document.createElement('canvas');
    canvas.width = width;
    canvas.height = height;
    const ctx = canvas.getContext('2d', { willReadFrequently: true });
    if (ctx) return ctx;
  }
  throw new ImageDecodeError('this browser cannot draw images off-screen (no OffscreenCanvas or canvas 2D context).');
}

export async function browserDecode(bytes: Uint8Array, mime: string, _file: string): Promise<DecodedImage> {
  // Blob needs an ArrayBuffer-backed view (not a SharedArrayBuffer one).
  const part: Uint8Array<ArrayBuffer> = bytes.buffer instanceof ArrayBuffer ? (bytes as Uint8Array<ArrayBuffer>) : new Uint8Array(bytes);
  // Rejects (→ "could not be decoded") for corrupt, truncated or unsupported data.
  const bitmap = await createImageBitmap(new Blob([part], { type: mime }), {
    premultiplyAlpha: 'none',
    colorSpaceConversion: 'none',
    imageOrientation: 'from-image',
  });
  try {
    const { width, height } = bitmap;
    if (width * height > MAX_DECODE_PIXELS) {
      throw new ImageDecodeError(
        `${groupDigits(width)} × ${groupDigits(height)} pixels is too large to decode here (limit ${groupDigits(MAX_DECODE_PIXELS / 1e6)} megapixels); shrink it first.`,
      );
    }
    const ctx = context2d(width, height);
    ctx.drawImage(bitmap, 0, 0);
    const data = ctx.getImageData(0, 0, width, height).data;
    return { width, height, data };
  } finally {
    bitmap.close();
  }
}
