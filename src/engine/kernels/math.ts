/**
 * The arithmetic of DARTS' custom kernels, on plain Float32Arrays in NHWC layout. No tfjs here:
 * the cpu backend runs these on its own arrays and the wasm backend runs them on views of its heap
 * (register.ts), and the tests compare them with compositions of stock tfjs ops (ops.ts).
 *
 * "Grouped" tensors stack G independent problems on the batch axis: [G·N, H, W, C], group-major.
 * A supernet state feeds every op of every edge that leaves it (spec §1.5), so one kernel call
 * computes, say, the first depthwise conv of every sep_conv and dil_conv on all those edges
 * (issue 9, "batch by source state"). A tensor with xGroups = 1 is shared by all groups.
 *
 * Sums are accumulated in float64 (JS numbers) and rounded once: the second-order fixture
 * (spec §10.E) sits close to ReLU/max-pool kinks, where float32 accumulation error shows.
 */

/** Geometry of a grouped NHWC tensor. */
export interface Geom {
  n: number;
  h: number;
  w: number;
  c: number;
}

/** One run of depthwise groups with the same kernel size and dilation. */
export interface DwSeg {
  k: number;
  dil: number;
  count: number;
}

export interface DwParams {
  segs: DwSeg[];
  stride: number;
  /** Read relu(x) instead of x (the ReLU that opens every SepConv/DilConv, spec §1.2). */
  relu: boolean;
  /** Groups stored in x: 1 = x is shared by all groups, else group g reads x group groupOffset + g. */
  xGroups: number;
  groupOffset: number;
}

/** Output size of a 'same'-padded stride-s window op: ceil(H / s) (spec §1.2). */
export const outSize = (len: number, stride: number) => Math.floor((len - 1) / stride) + 1;

export function dwGroups(segs: readonly DwSeg[]): number {
  return segs.reduce((a, s) => a + s.count, 0);
}

export function dwFilterSize(segs: readonly DwSeg[], c: number): number {
  return segs.reduce((a, s) => a + s.count * s.k * s.k * c, 0);
}

/** Per group: kernel size, dilation and the offset of its [k, k, C] filter in the flat w. */
function expandSegs(segs: readonly DwSeg[], c: number): { k: number; dil: number; off: number }[] {
  const out: { k: number; dil: number; off: number }[] = [];
  let off = 0;
  for (const s of segs)
    for (let i = 0; i < s.count; i++) {
      out.push({ k: s.k, dil: s.dil, off });
      off += s.k * s.k * c;
    }
  return out;
}

const xGroupOf = (p: DwParams | { xGroups: number; groupOffset?: number }, g: number) => (p.xGroups === 1 ? 0 : (p.groupOffset ?? 0) + g);

/**
 * Depthwise conv, PyTorch semantics: y[g,n,oy,ox,c] = Σ_{i,j<k} x[n, s·oy + d·i − p, s·ox + d·j − p, c] · w_g[i,j,c],
 * p = d(k−1)/2, zero outside the image. Stride 2 is exactly PyTorch's stride-2 output (spec §1.9).
 */
export function dwForward(x: Float32Array, gx: Geom, w: Float32Array, p: DwParams, y: Float32Array): void {
  const { n: N, h: H, w: W, c: C } = gx;
  const s = p.stride;
  const Ho = outSize(H, s);
  const Wo = outSize(W, s);
  const acc = new Float64Array(C);
  const groups = expandSegs(p.segs, C);
  for (let g = 0; g < groups.length; g++) {
    const { k, dil, off } = groups[g];
    const pad = (dil * (k - 1)) / 2;
    const xg = xGroupOf(p, g);
    for (let n = 0; n < N; n++) {
      const xBase = (xg * N + n) * H * W * C;
      const yBase = (g * N + n) * Ho * Wo * C;
      for (let oy = 0; oy < Ho; oy++)
        for (let ox = 0; ox < Wo; ox++) {
          acc.fill(0);
          for (let i = 0; i < k; i++) {
            const iy = s * oy + dil * i - pad;
            if (iy < 0 || iy >= H) continue;
            for (let j = 0; j < k; j++) {
              const ix = s * ox + dil * j - pad;
              if (ix < 0 || ix >= W) continue;
              const xo = xBase + (iy * W + ix) * C;
              const wo = off + (i * k + j) * C;
              if (p.relu)
                for (let c = 0; c < C; c++) {
                  const v = x[xo + c];
                  if (v > 0) acc[c] += v * w[wo + c];
                }
              else for (let c = 0; c < C; c++) acc[c] += x[xo + c] * w[wo + c];
            }
          }
          const yo = yBase + (oy * Wo + ox) * C;
          for (let c = 0; c < C; c++) y[yo + c] = acc[c];
        }
    }
  }
}

/**
 * ∂L/∂x of dwForward: dx[n,iy,ix,c] = Σ_g Σ_{i,j: iy = s·oy + d·i − p, …} dy[g,n,oy,ox,c]·w_g[i,j,c]
 * (summed over the groups that share x), times the ReLU mask when the forward read relu(x).
 * Groups of x outside [groupOffset, groupOffset + G) get zero. `x` is only read for the mask.
 */
export function dwBackpropInput(dy: Float32Array, w: Float32Array, x: Float32Array | null, gx: Geom, p: DwParams, dx: Float32Array): void {
  const { n: N, h: H, w: W, c: C } = gx;
  const s = p.stride;
  const Ho = outSize(H, s);
  const Wo = outSize(W, s);
  const groups = expandSegs(p.segs, C);
  const acc = new Float64Array(C);
  dx.fill(0);
  // Shared x: accumulate all groups in float64, then round once.
  const shared = p.xGroups === 1 && groups.length > 1;
  const sum = shared ? new Float64Array(N * H * W * C) : null;
  for (let g = 0; g < groups.length; g++) {
    const { k, dil, off } = groups[g];
    const pad = (dil * (k - 1)) / 2;
    const xg = xGroupOf(p, g);
    for (let n = 0; n < N; n++) {
      const dyBase = (g * N + n) * Ho * Wo * C;
      const xBase = (xg * N + n) * H * W * C;
      const sBase = n * H * W * C;
      for (let iy = 0; iy < H; iy++)
        for (let ix = 0; ix < W; ix++) {
          acc.fill(0);
          for (let i = 0; i < k; i++) {
            const ty = iy + pad - dil * i;
            if (ty < 0 || ty % s !== 0) continue;
            const oy = ty / s;
            if (oy >= Ho) continue;
            for (let j = 0; j < k; j++) {
              const tx = ix + pad - dil * j;
              if (tx < 0 || tx % s !== 0) continue;
              const ox = tx / s;
              if (ox >= Wo) continue;
              const dyo = dyBase + (oy * Wo + ox) * C;
              const wo = off + (i * k + j) * C;
              for (let c = 0; c < C; c++) acc[c] += dy[dyo + c] * w[wo + c];
            }
          }
          const o = (iy * W + ix) * C;
          if (sum) for (let c = 0; c < C; c++) sum[sBase + o + c] += acc[c];
          else for (let c = 0; c < C; c++) dx[xBase + o + c] = acc[c];
        }
    }
  }
  if (sum) for (let i = 0; i < sum.length; i++) dx[i] = sum[i];
  if (p.relu && x) for (let i = 0; i < dx.length; i++) if (!(x[i] > 0)) dx[i] = 0;
}

/** ∂L/∂w of dwForward: dw_g[i,j,c] = Σ_{n,oy,ox} relu?(x[n, s·oy + d·i − p, s·ox + d·j − p, c])·dy[g,n,oy,ox,c]. */
export function dwBackpropFilter(x: Float32Array, gx: Geom, dy: Float32Array, p: DwParams, dw: Float32Array): void {
  const { n: N, h: H, w: W, c: C } = gx;
  const s = p.stride;
  const Ho = outSize(H, s);
  const Wo = outSize(W, s);
  const groups = expandSegs(p.segs, C);
  for (let g = 0; g < groups.length; g++) {
    const { k, dil, off } = groups[g];
    const pad = (dil * (k - 1)) / 2;
    const xg = xGroupOf(p, g);
    const acc = new Float64Array(k * k * C);
    for (let n = 0; n < N; n++) {
      const xBase = (xg * N + n) * H * W * C;
      const dyBase = (g * N + n) * Ho * Wo * C;
      for (let i = 0; i < k; i++)
        for (let j = 0; j < k; j++) {
          const ao = (i * k + j) * C;
          for (let oy = 0; oy < Ho; oy++) {
            const iy = s * oy + dil * i - pad;
            if (iy < 0 || iy >= H) continue;
            for (let ox = 0; ox < Wo; ox++) {
              const ix = s * ox + dil * j - pad;
              if (ix < 0 || ix >= W) continue;
              const xo = xBase + (iy * W + ix) * C;
              const dyo = dyBase + (oy * Wo + ox) * C;
              if (p.relu)
                for (let c = 0; c < C; c++) {
                  const v = x[xo + c];
                  if (v > 0) acc[ao + c] += v * dy[dyo + c];
                }
              else for (let c = 0; c < C; c++) acc[ao + c] += x[xo + c] * dy[dyo + c];
            }
          }
        }
    }
    for (let i = 0; i < acc.length; i++) dw[off + i] = acc[i];
  }
}

export interface GmmParams {
  /** Groups G of the output; w holds G matrices [cin, cout], group-major. */
  groups: number;
  cin: number;
  cout: number;
  /** 1 = x shared by all groups, else G. */
  xGroups: number;
  relu: boolean;
  /** Rows per group (N·H·W). */
  rows: number;
}

/** Grouped 1×1 conv: y[g, r, :] = relu?(x[g or 0, r, :]) · W_g  (PyTorch 1×1 conv, no bias). */
export function gmmForward(x: Float32Array, w: Float32Array, p: GmmParams, y: Float32Array): void {
  const { groups: G, cin: I, cout: O, rows: R } = p;
  const acc = new Float64Array(O);
  for (let g = 0; g < G; g++) {
    const xb = (p.xGroups === 1 ? 0 : g) * R * I;
    const wb = g * I * O;
    const yb = g * R * O;
    for (let r = 0; r < R; r++) {
      acc.fill(0);
      const xr = xb + r * I;
      for (let i = 0; i < I; i++) {
        const v = x[xr + i];
        if (p.relu ? !(v > 0) : v === 0) continue; // relu(v) = 0 (or v = 0) adds nothing
        const wr = wb + i * O;
        for (let o = 0; o < O; o++) acc[o] += v * w[wr + o];
      }
      const yr = yb + r * O;
      for (let o = 0; o < O; o++) y[yr + o] = acc[o];
    }
  }
}

/** ∂L/∂x of gmmForward: dx[r, i] = Σ_g Σ_o dy[g,r,o]·W_g[i,o] (summed over groups when x is shared), ReLU-masked. */
export function gmmBackpropInput(dy: Float32Array, w: Float32Array, x: Float32Array | null, p: GmmParams, dx: Float32Array): void {
  const { groups: G, cin: I, cout: O, rows: R } = p;
  const shared = p.xGroups === 1;
  const sum = shared && G > 1 ? new Float64Array(R * I) : null;
  for (let g = 0; g < G; g++) {
    const wb = g * I * O;
    const db = g * R * O;
    const xb = shared ? 0 : g * R * I;
    for (let r = 0; r < R; r++) {
      const dr = db + r * O;
      for (let i = 0; i < I; i++) {
        const wr = wb + i * O;
        let a = 0;
        for (let o = 0; o < O; o++) a += dy[dr + o] * w[wr + o];
        if (sum) sum[r * I + i] += a;
        else dx[xb + r * I + i] = a;
      }
    }
  }
  if (sum) for (let i = 0; i < sum.length; i++) dx[i] = sum[i];
  if (p.relu && x) for (let i = 0; i < dx.length; i++) if (!(x[i] > 0)) dx[i] = 0;
}

/** ∂L/∂W of gmmForward: dW_g[i,o] = Σ_r relu?(x[g or 0, r, i])·dy[g, r, o]. */
export function gmmBackpropFilter(x: Float32Array, dy: Float32Array, p: GmmParams, dw: Float32Array): void {
  const { groups: G, cin: I, cout: O, rows: R } = p;
  const acc = new Float64Array(I * O);
  for (let g = 0; g < G; g++) {
    acc.fill(0);
    const xb = (p.xGroups === 1 ? 0 : g) * R * I;
    const db = g * R * O;
    for (let r = 0; r < R; r++) {
      const xr = xb + r * I;
      const dr = db + r * O;
      for (let i = 0; i < I; i++) {
        const v = x[xr + i];
        if (p.relu ? !(v > 0) : v === 0) continue;
        const ar = i * O;
        for (let o = 0; o < O; o++) acc[ar + o] += v * dy[dr + o];
      }
    }
    const wb = g * I * O;
    for (let i = 0; i < I * O; i++) dw[wb + i] = acc[i];
  }
}

/**
 * Training-mode BatchNorm without affine parameters (spec §1.7), per group and channel:
 * mean and biased variance over (n, h, w) (two passes: mean, then mean of squared deviations),
 * y = (x − mean)/√(var + eps). Writes mean and var [G·C] for the running statistics.
 */
export function bnForward(x: Float32Array, groups: number, c: number, eps: number, y: Float32Array, mean: Float32Array, variance: Float32Array): void {
  const rows = x.length / (groups * c);
  const s = new Float64Array(c);
  const m = new Float64Array(c);
  const inv = new Float64Array(c);
  for (let g = 0; g < groups; g++) {
    const base = g * rows * c;
    s.fill(0);
    for (let r = 0; r < rows; r++) {
      const o = base + r * c;
      for (let k = 0; k < c; k++) s[k] += x[o + k];
    }
    for (let k = 0; k < c; k++) m[k] = s[k] / rows;
    s.fill(0);
    for (let r = 0; r < rows; r++) {
      const o = base + r * c;
      for (let k = 0; k < c; k++) {
        const d = x[o + k] - m[k];
        s[k] += d * d;
      }
    }
    for (let k = 0; k < c; k++) {
      const v = s[k] / rows;
      mean[g * c + k] = m[k];
      variance[g * c + k] = v;
      inv[k] = 1 / Math.sqrt(v + eps);
    }
    for (let r = 0; r < rows; r++) {
      const o = base + r * c;
      for (let k = 0; k < c; k++) y[o + k] = (x[o + k] - m[k]) * inv[k];
    }
  }
}

/**
 * ∂L/∂x of bnForward (batch statistics, so the mean and variance depend on x):
 * dx = (dy − mean(dy) − ŷ·mean(dy·ŷ)) / √(var + eps), means over (n, h, w), ŷ = the forward output.
 */
export function bnBackward(dy: Float32Array, y: Float32Array, variance: Float32Array, groups: number, c: number, eps: number, dx: Float32Array): void {
  const rows = dy.length / (groups * c);
  const a = new Float64Array(c);
  const b = new Float64Array(c);
  for (let g = 0; g < groups; g++) {
    const base = g * rows * c;
    a.fill(0);
    b.fill(0);
    for (let r = 0; r < rows; r++) {
      const o = base + r * c;
      for (let k = 0; k < c; k++) {
        const d = dy[o + k];
        a[k] += d;
        b[k] += d * y[o + k];
      }
    }
    for (let k = 0; k < c; k++) {
      a[k] /= rows;
      b[k] /= rows;
    }
    for (let r = 0; r < rows; r++) {
      const o = base + r * c;
      for (let k = 0; k < c; k++) {
        const inv = 1 / Math.sqrt(variance[g * c + k] + eps);
        dx[o + k] = (dy[o + k] - a[k] - y[o + k] * b[k]) * inv;
      }
    }
  }
}

/**
 * 3×3 pool, padding 1, stride 1 or 2 (spec §1.1): max ignores the padding; avg divides by the
 * number of in-bounds cells (count_include_pad=False).
 */
export function poolForward(x: Float32Array, gx: Geom, max: boolean, stride: number, y: Float32Array): void {
  const { n: N, h: H, w: W, c: C } = gx;
  const Ho = outSize(H, stride);
  const Wo = outSize(W, stride);
  const acc = new Float64Array(C);
  for (let n = 0; n < N; n++)
    for (let oy = 0; oy < Ho; oy++)
      for (let ox = 0; ox < Wo; ox++) {
        acc.fill(max ? -Infinity : 0);
        let count = 0;
        for (let i = -1; i <= 1; i++) {
          const iy = stride * oy + i;
          if (iy < 0 || iy >= H) continue;
          for (let j = -1; j <= 1; j++) {
            const ix = stride * ox + j;
            if (ix < 0 || ix >= W) continue;
            count++;
            const xo = ((n * H + iy) * W + ix) * C;
            if (max) for (let c = 0; c < C; c++) acc[c] = x[xo + c] > acc[c] ? x[xo + c] : acc[c];
            else for (let c = 0; c < C; c++) acc[c] += x[xo + c];
          }
        }
        const yo = ((n * Ho + oy) * Wo + ox) * C;
        for (let c = 0; c < C; c++) y[yo + c] = max ? acc[c] : acc[c] / count;
      }
}

/**
 * ∂L/∂x of poolForward. Max: each window's dy goes to its first maximum in row-major order (the
 * rule of PyTorch's max-pool backward). Avg: dy/count to every in-bounds cell of the window.
 */
export function poolBackward(dy: Float32Array, x: Float32Array, gx: Geom, max: boolean, stride: number, dx: Float32Array): void {
  const { n: N, h: H, w: W, c: C } = gx;
  const Ho = outSize(H, stride);
  const Wo = outSize(W, stride);
  const sum = new Float64Array(dx.length);
  const best = new Float64Array(C);
  const at = new Int32Array(C);
  for (let n = 0; n < N; n++)
    for (let oy = 0; oy < Ho; oy++)
      for (let ox = 0; ox < Wo; ox++) {
        const dyo = ((n * Ho + oy) * Wo + ox) * C;
        if (max) {
          best.fill(-Infinity);
          at.fill(-1);
          for (let i = -1; i <= 1; i++) {
            const iy = stride * oy + i;
            if (iy < 0 || iy >= H) continue;
            for (let j = -1; j <= 1; j++) {
              const ix = stride * ox + j;
              if (ix < 0 || ix >= W) continue;
              const xo = ((n * H + iy) * W + ix) * C;
              for (let c = 0; c < C; c++)
                if (x[xo + c] > best[c] || at[c] < 0) {
                  best[c] = x[xo + c];
                  at[c] = xo + c;
                }
            }
          }
          for (let c = 0; c < C; c++) sum[at[c]] += dy[dyo + c];
        } else {
          let count = 0;
          for (let i = -1; i <= 1; i++) {
            const iy = stride * oy + i;
            if (iy >= 0 && iy < H) for (let j = -1; j <= 1; j++) if (stride * ox + j >= 0 && stride * ox + j < W) count++;
          }
          for (let i = -1; i <= 1; i++) {
            const iy = stride * oy + i;
            if (iy < 0 || iy >= H) continue;
            for (let j = -1; j <= 1; j++) {
              const ix = stride * ox + j;
              if (ix < 0 || ix >= W) continue;
              const xo = ((n * H + iy) * W + ix) * C;
              for (let c = 0; c < C; c++) sum[xo + c] += dy[dyo + c] / count;
            }
          }
        }
      }
  for (let i = 0; i < sum.length; i++) dx[i] = sum[i];
}

/**
 * The mixing of a MixedOp (paper eq. 2, spec §1.4), for all edges that leave one state:
 * output m = Σ over its entries (term t, group g, row r, column k) of w[r, k] · term_t[g].
 * `plan` is flat: for each output, its entry count followed by that many (t, g, r, k) quadruples.
 */
export interface MixEntry {
  term: number;
  group: number;
  row: number;
  col: number;
}

export function decodeMixPlan(plan: readonly number[]): MixEntry[][] {
  const outs: MixEntry[][] = [];
  let i = 0;
  while (i < plan.length) {
    const n = plan[i++];
    const list: MixEntry[] = [];
    for (let e = 0; e < n; e++, i += 4) list.push({ term: plan[i], group: plan[i + 1], row: plan[i + 2], col: plan[i + 3] });
    outs.push(list);
  }
  return outs;
}

export function encodeMixPlan(outs: readonly MixEntry[][]): number[] {
  return outs.flatMap((list) => [list.length, ...list.flatMap((e) => [e.term, e.group, e.row, e.col])]);
}

/** Forward of the mixing: one output of `size` floats per plan row. `k` = columns of w. */
export function mixForward(w: Float32Array, k: number, terms: Float32Array[], plan: MixEntry[][], size: number, ys: Float32Array[]): void {
  plan.forEach((list, m) => {
    const y = ys[m];
    const coef = list.map((e) => w[e.row * k + e.col]);
    const src = list.map((e) => terms[e.term]);
    const off = list.map((e) => e.group * size);
    const E = list.length;
    for (let i = 0; i < size; i++) {
      let a = 0;
      for (let e = 0; e < E; e++) a += coef[e] * src[e][off[e] + i];
      y[i] = a;
    }
  });
}

/** ∂L/∂term_t: group g gets Σ over the entries that read (t, g) of w[r,k]·dy_m. */
export function mixGradTerm(dys: Float32Array[], w: Float32Array, k: number, plan: MixEntry[][], t: number, size: number, dt: Float32Array): void {
  const groups = dt.length / size;
  for (let g = 0; g < groups; g++) {
    const uses: { dy: Float32Array; a: number }[] = [];
    plan.forEach((list, m) => list.forEach((e) => e.term === t && e.group === g && uses.push({ dy: dys[m], a: w[e.row * k + e.col] })));
    const off = g * size;
    if (uses.length === 0) {
      dt.fill(0, off, off + size);
      continue;
    }
    for (let i = 0; i < size; i++) {
      let a = 0;
      for (const u of uses) a += u.a * u.dy[i];
      dt[off + i] = a;
    }
  }
}

/** ∂L/∂w: dw[r, k] = Σ_i dy_m[i]·term_t[g][i] for each entry; zero where no entry reads w. */
export function mixGradWeight(dys: Float32Array[], terms: Float32Array[], plan: MixEntry[][], k: number, size: number, dw: Float32Array): void {
  dw.fill(0);
  plan.forEach((list, m) => {
    const dy = dys[m];
    for (const e of list) {
      const t = terms[e.term];
      const off = e.group * size;
      let a = 0;
      for (let i = 0; i < size; i++) a += dy[i] * t[off + i];
      dw[e.row * k + e.col] += a;
    }
  });
}

/** Σ x² in float64 (gradient norms over all of θ: a float32 running sum loses ~1e-4 relative). */
export function sumSquares(x: Float32Array): number {
  let a = 0;
  for (let i = 0; i < x.length; i++) a += x[i] * x[i];
  return a;
}
