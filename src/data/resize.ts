/**
 * Image resizing and channel conversion for uint8 HWC images, used when a dataset's native size
 * differs from the config's input size (e.g. MNIST 28×28 searched at 16×16, or a user's photos).
 *
 * Resizing is area averaging: each output pixel is the mean of the source pixels it covers,
 * weighted by the covered fraction. It anti-aliases when shrinking (what PIL's `BOX` filter does)
 * and reduces to pixel replication when growing by an integer factor.
 */

/** Source index ranges and weights covering output coordinate o along one axis. */
function axisWeights(srcLen: number, outLen: number): { start: number; weights: number[] }[] {
  const scale = srcLen / outLen;
  return Array.from({ length: outLen }, (_, o) => {
    const a = o * scale;
    const b = (o + 1) * scale;
    const start = Math.floor(a);
    const weights: number[] = [];
    for (let s = start; s < Math.min(Math.ceil(b), srcLen); s++) {
      weights.push((Math.min(b, s + 1) - Math.max(a, s)) / scale);
    }
    return { start, weights };
  });
}

/** Resize one uint8 HWC image to outH × outW by area averaging (channels unchanged). */
export function resizeArea(src: ArrayLike<number>, h: number, w: number, c: number, outH: number, outW: number): Uint8Array {
  const out = new Uint8Array(outH * outW * c);
  if (h === outH && w === outW) {
    for (let i = 0; i < out.length; i++) out[i] = src[i];
    return out;
  }
  const ys = axisWeights(h, outH);
  const xs = axisWeights(w, outW);
  const acc = new Float64Array(c);
  for (let oy = 0; oy < outH; oy++) {
    const wy = ys[oy];
    for (let ox = 0; ox < outW; ox++) {
      const wx = xs[ox];
      acc.fill(0);
      for (let j = 0; j < wy.weights.length; j++) {
        const row = (wy.start + j) * w;
        for (let i = 0; i < wx.weights.length; i++) {
          const f = wy.weights[j] * wx.weights[i];
          const base = (row + wx.start + i) * c;
          for (let ch = 0; ch < c; ch++) acc[ch] += f * src[base + ch];
        }
      }
      const o = (oy * outW + ox) * c;
      for (let ch = 0; ch < c; ch++) out[o + ch] = Math.min(255, Math.max(0, Math.round(acc[ch])));
    }
  }
  return out;
}

/**
 * Convert one uint8 HWC image between channel counts: 1 → 3 replicates the grey level,
 * 3 → 1 uses ITU-R 601 luma (0.299 R + 0.587 G + 0.114 B), 4 → 3 drops alpha.
 */
export function convertChannels(src: ArrayLike<number>, pixels: number, from: number, to: number): Uint8Array {
  const out = new Uint8Array(pixels * to);
  for (let p = 0; p < pixels; p++) {
    const s = p * from;
    if (to === from) for (let ch = 0; ch < to; ch++) out[p * to + ch] = src[s + ch];
    else if (to === 1) out[p] = from === 1 ? src[s] : Math.round(0.299 * src[s] + 0.587 * src[s + 1] + 0.114 * src[s + 2]);
    else for (let ch = 0; ch < to; ch++) out[p * to + ch] = from === 1 ? src[s] : src[s + Math.min(ch, from - 1)];
  }
  return out;
}

/** Resize and convert a whole NHWC uint8 stack to outH × outW × outC. */
export function resizeStack(
  x: Uint8Array,
  n: number,
  h: number,
  w: number,
  c: number,
  outH: number,
  outW: number,
  outC: number,
): Uint8Array {
  if (h === outH && w === outW && c === outC) return x;
  const inSize = h * w * c;
  const outSize = outH * outW * outC;
  const out = new Uint8Array(n * outSize);
  for (let i = 0; i < n; i++) {
    const img = x.subarray(i * inSize, (i + 1) * inSize);
    const conv = c === outC ? img : convertChannels(img, h * w, c, outC);
    out.set(resizeArea(conv, h, w, outC, outH, outW), i * outSize);
  }
  return out;
}
