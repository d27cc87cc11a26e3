/**
 * DARTS' hot kernels as an AssemblyScript SIMD module (f32x4), compiled during `npm install`
 * (scripts/build-simd.mjs) and instantiated on the MEMORY OF THE TFJS WASM BACKEND: every pointer
 * below is a tfjs tensor's heap offset, so nothing is copied. The module therefore must own no
 * memory at all: no static data, no allocation, no stack in linear memory (the build checks that
 * the binary has no data section). Scratch space, where needed, is malloc'ed by the caller.
 *
 * Layouts are NHWC, grouped tensors stack groups on the batch axis (see ../../math.ts, whose
 * scalar float64 versions are the reference these are tested against). Channel loops run four
 * lanes at a time when C is a multiple of 4 and fall back to scalar code otherwise. Plain SIMD
 * only (no relaxed FMA), so results are the same on every machine.
 */

@inline function ld(p: usize): v128 {
  return v128.load(p);
}

/** relu on four lanes. */
@inline function relu4(v: v128): v128 {
  return f32x4.max(v, f32x4.splat(0));
}

/** dx[i] = x[i] > 0 ? dx[i] : 0 (the ReLU that the forward applied on the fly). */
export function reluMask(dx: usize, x: usize, n: i32): void {
  let i = 0;
  const zero = f32x4.splat(0);
  for (; i + 4 <= n; i += 4) {
    const p = <usize>i << 2;
    v128.store(dx + p, v128.and(ld(dx + p), f32x4.gt(ld(x + p), zero)));
  }
  for (; i < n; i++) {
    const p = <usize>i << 2;
    if (!(load<f32>(x + p) > 0)) store<f32>(dx + p, 0);
  }
}

// ------------------------------------------------------------------------------------------------
// Depthwise convolution on a zero-padded copy (no bounds checks in the inner loops).
// The caller pads with P ≥ pad = d(k−1)/2 and passes off = P − pad.

/** xp[n, P+y, P+x, c] = relu?(x[n, y, x, c]); the border of width P is zero. */
export function padCopy(x: usize, xp: usize, N: i32, H: i32, W: i32, C: i32, P: i32, relu: i32): void {
  const Hp = H + 2 * P;
  const Wp = W + 2 * P;
  memory.fill(xp, 0, (<usize>(N * Hp * Wp * C)) << 2);
  const row = <usize>(W * C);
  for (let n = 0; n < N; n++)
    for (let yy = 0; yy < H; yy++) {
      const src = x + ((<usize>((n * H + yy) * W * C)) << 2);
      const dst = xp + ((<usize>(((n * Hp + yy + P) * Wp + P) * C)) << 2);
      if (!relu) {
        memory.copy(dst, src, row << 2);
        continue;
      }
      let i: usize = 0;
      for (; i + 4 <= row; i += 4) v128.store(dst + (i << 2), relu4(ld(src + (i << 2))));
      for (; i < row; i++) {
        const v = load<f32>(src + (i << 2));
        store<f32>(dst + (i << 2), v > 0 ? v : 0);
      }
    }
}

/** wf[i, j, c] = w[k−1−i, k−1−j, c] (the filter rotated by 180°). */
export function flipFilter(w: usize, wf: usize, k: i32, C: i32): void {
  for (let i = 0; i < k; i++)
    for (let j = 0; j < k; j++) memory.copy(wf + ((<usize>((i * k + j) * C)) << 2), w + ((<usize>(((k - 1 - i) * k + (k - 1 - j)) * C)) << 2), (<usize>C) << 2);
}

/**
 * y[n,oy,ox,c] (+)= Σ_{i,j<k} xp[n, s·oy + d·i + off, s·ox + d·j + off, c]·w[i,j,c] on a padded input
 * [N, Hp, Wp, C]. Four output pixels at a time share each filter load.
 */
export function dwConvPadded(xp: usize, w: usize, y: usize, N: i32, Hp: i32, Wp: i32, Ho: i32, Wo: i32, C: i32, k: i32, dil: i32, s: i32, off: i32, accumulate: i32): void {
  const rowB = (<usize>(Wp * C)) << 2;
  const pixB = (<usize>C) << 2;
  const stepB = <usize>s * pixB;
  const yRowB = (<usize>(Wo * C)) << 2;
  if ((C & 3) == 0) {
    for (let n = 0; n < N; n++)
      for (let oy = 0; oy < Ho; oy++) {
        const xrow = xp + (<usize>(n * Hp + s * oy + off)) * rowB + <usize>off * pixB;
        const yrow = y + (<usize>(n * Ho + oy)) * yRowB;
        for (let c = 0; c < C; c += 4) {
          const cb = (<usize>c) << 2;
          let ox = 0;
          for (; ox + 4 <= Wo; ox += 4) {
            const yp = yrow + <usize>ox * pixB + cb;
            let a0 = accumulate ? ld(yp) : f32x4.splat(0);
            let a1 = accumulate ? ld(yp + pixB) : f32x4.splat(0);
            let a2 = accumulate ? ld(yp + 2 * pixB) : f32x4.splat(0);
            let a3 = accumulate ? ld(yp + 3 * pixB) : f32x4.splat(0);
            const xb = xrow + <usize>ox * stepB + cb;
            for (let i = 0; i < k; i++) {
              const xr = xb + <usize>(dil * i) * rowB;
              const wr = w + ((<usize>(i * k * C)) << 2) + cb;
              for (let j = 0; j < k; j++) {
                const wv = ld(wr + <usize>j * pixB);
                const xo = xr + <usize>(dil * j) * pixB;
                a0 = f32x4.add(a0, f32x4.mul(ld(xo), wv));
                a1 = f32x4.add(a1, f32x4.mul(ld(xo + stepB), wv));
                a2 = f32x4.add(a2, f32x4.mul(ld(xo + 2 * stepB), wv));
                a3 = f32x4.add(a3, f32x4.mul(ld(xo + 3 * stepB), wv));
              }
            }
            v128.store(yp, a0);
            v128.store(yp + pixB, a1);
            v128.store(yp + 2 * pixB, a2);
            v128.store(yp + 3 * pixB, a3);
          }
          for (; ox < Wo; ox++) {
            const yp = yrow + <usize>ox * pixB + cb;
            let a = accumulate ? ld(yp) : f32x4.splat(0);
            const xb = xrow + <usize>ox * stepB + cb;
            for (let i = 0; i < k; i++) {
              const xr = xb + <usize>(dil * i) * rowB;
              const wr = w + ((<usize>(i * k * C)) << 2) + cb;
              for (let j = 0; j < k; j++) a = f32x4.add(a, f32x4.mul(ld(xr + <usize>(dil * j) * pixB), ld(wr + <usize>j * pixB)));
            }
            v128.store(yp, a);
          }
        }
      }
    return;
  }
  for (let n = 0; n < N; n++)
    for (let oy = 0; oy < Ho; oy++)
      for (let ox = 0; ox < Wo; ox++)
        for (let c = 0; c < C; c++) {
          const yp = y + ((<usize>(((n * Ho + oy) * Wo + ox) * C + c)) << 2);
          let a: f32 = accumulate ? load<f32>(yp) : 0;
          for (let i = 0; i < k; i++)
            for (let j = 0; j < k; j++)
              a += load<f32>(xp + ((<usize>(((n * Hp + s * oy + dil * i + off) * Wp + s * ox + dil * j + off) * C + c)) << 2)) * load<f32>(w + ((<usize>((i * k + j) * C + c)) << 2));
          store<f32>(yp, a);
        }
}

/** dw[i,j,c] = Σ_{n,oy,ox} xp[n, s·oy+d·i+off, s·ox+d·j+off, c]·dy[n,oy,ox,c] (float32 per row, float64 across rows). */
export function dwFilterPadded(xp: usize, dy: usize, dw: usize, N: i32, Hp: i32, Wp: i32, Ho: i32, Wo: i32, C: i32, k: i32, dil: i32, s: i32, off: i32): void {
  const rowB = (<usize>(Wp * C)) << 2;
  const pixB = (<usize>C) << 2;
  const stepB = <usize>s * pixB;
  const yRowB = (<usize>(Wo * C)) << 2;
  const vec = (C & 3) == 0;
  for (let i = 0; i < k; i++)
    for (let j = 0; j < k; j++)
      for (let c = 0; c < C; c += vec ? 4 : 1) {
        const cb = (<usize>c) << 2;
        let t0 = f64x2.splat(0);
        let t1 = f64x2.splat(0);
        let st: f64 = 0;
        for (let n = 0; n < N; n++)
          for (let oy = 0; oy < Ho; oy++) {
            const xr = xp + (<usize>(n * Hp + s * oy + dil * i + off)) * rowB + (<usize>(dil * j + off)) * pixB + cb;
            const dr = dy + (<usize>(n * Ho + oy)) * yRowB + cb;
            if (vec) {
              let a = f32x4.splat(0);
              let b = f32x4.splat(0);
              let ox = 0;
              for (; ox + 2 <= Wo; ox += 2) {
                a = f32x4.add(a, f32x4.mul(ld(xr + <usize>ox * stepB), ld(dr + <usize>ox * pixB)));
                b = f32x4.add(b, f32x4.mul(ld(xr + <usize>(ox + 1) * stepB), ld(dr + <usize>(ox + 1) * pixB)));
              }
              if (ox < Wo) a = f32x4.add(a, f32x4.mul(ld(xr + <usize>ox * stepB), ld(dr + <usize>ox * pixB)));
              a = f32x4.add(a, b);
              t0 = f64x2.add(t0, f64x2.promote_low_f32x4(a));
              t1 = f64x2.add(t1, promoteHigh(a));
            } else {
              let a: f32 = 0;
              for (let ox = 0; ox < Wo; ox++) a += load<f32>(xr + <usize>ox * stepB) * load<f32>(dr + <usize>ox * pixB);
              st += <f64>a;
            }
          }
        const o = dw + ((<usize>((i * k + j) * C)) << 2) + cb;
        if (vec) v128.store(o, f32x4(<f32>f64x2.extract_lane(t0, 0), <f32>f64x2.extract_lane(t0, 1), <f32>f64x2.extract_lane(t1, 0), <f32>f64x2.extract_lane(t1, 1)));
        else store<f32>(o, <f32>st);
      }
}

/** dxp[n, s·oy+d·i+off, s·ox+d·j+off, c] += dy[n,oy,ox,c]·w[i,j,c] (stride-2 input gradient, padded). */
export function dwScatterPadded(dy: usize, w: usize, dxp: usize, N: i32, Hp: i32, Wp: i32, Ho: i32, Wo: i32, C: i32, k: i32, dil: i32, s: i32, off: i32): void {
  const rowB = (<usize>(Wp * C)) << 2;
  const pixB = (<usize>C) << 2;
  const vec = (C & 3) == 0;
  for (let n = 0; n < N; n++)
    for (let oy = 0; oy < Ho; oy++)
      for (let ox = 0; ox < Wo; ox++) {
        const dyp = dy + ((<usize>(((n * Ho + oy) * Wo + ox) * C)) << 2);
        const base = dxp + (<usize>(n * Hp + s * oy + off)) * rowB + (<usize>(s * ox + off)) * pixB;
        for (let c = 0; c < C; c += vec ? 4 : 1) {
          const cb = (<usize>c) << 2;
          for (let i = 0; i < k; i++) {
            const xr = base + <usize>(dil * i) * rowB + cb;
            const wr = w + ((<usize>(i * k * C)) << 2) + cb;
            if (vec) {
              const g = ld(dyp + cb);
              for (let j = 0; j < k; j++) {
                const p = xr + <usize>(dil * j) * pixB;
                v128.store(p, f32x4.add(ld(p), f32x4.mul(g, ld(wr + <usize>j * pixB))));
              }
            } else {
              const g = load<f32>(dyp + cb);
              for (let j = 0; j < k; j++) {
                const p = xr + <usize>(dil * j) * pixB;
                store<f32>(p, load<f32>(p) + g * load<f32>(wr + <usize>j * pixB));
              }
            }
          }
        }
      }
}

/** dx[n,y,x,c] = dxp[n, P+y, P+x, c], times (x > 0) when `relu` (x = the forward input). */
export function unpadMask(dxp: usize, dx: usize, x: usize, N: i32, H: i32, W: i32, C: i32, P: i32, relu: i32): void {
  const Hp = H + 2 * P;
  const Wp = W + 2 * P;
  const row = <usize>(W * C);
  const zero = f32x4.splat(0);
  for (let n = 0; n < N; n++)
    for (let yy = 0; yy < H; yy++) {
      const o = (<usize>((n * H + yy) * W * C)) << 2;
      const src = dxp + ((<usize>(((n * Hp + yy + P) * Wp + P) * C)) << 2);
      if (!relu) {
        memory.copy(dx + o, src, row << 2);
        continue;
      }
      let i: usize = 0;
      for (; i + 4 <= row; i += 4) v128.store(dx + o + (i << 2), v128.and(ld(src + (i << 2)), f32x4.gt(ld(x + o + (i << 2)), zero)));
      for (; i < row; i++) store<f32>(dx + o + (i << 2), load<f32>(x + o + (i << 2)) > 0 ? load<f32>(src + (i << 2)) : 0);
    }
}

// ------------------------------------------------------------------------------------------------
// Grouped 1×1 conv, one group: y[r, o] = Σ_i relu?(x[r, i])·w[i, o]

@inline function reluS(v: f32, relu: i32): f32 {
  return relu && v < 0 ? 0 : v;
}

/** y[r, o] (+)= Σ_i relu?(x[r, i])·w[i, o]; four rows at a time share each weight load. */
export function gmmForward(x: usize, w: usize, y: usize, R: i32, I: i32, O: i32, relu: i32, accumulate: i32): void {
  const xRowB = (<usize>I) << 2;
  const yRowB = (<usize>O) << 2;
  if ((O & 3) == 0) {
    for (let o = 0; o < O; o += 4) {
      const ob = (<usize>o) << 2;
      let r = 0;
      for (; r + 4 <= R; r += 4) {
        const x0 = x + <usize>r * xRowB;
        const yp = y + <usize>r * yRowB + ob;
        let a0 = accumulate ? ld(yp) : f32x4.splat(0);
        let a1 = accumulate ? ld(yp + yRowB) : f32x4.splat(0);
        let a2 = accumulate ? ld(yp + 2 * yRowB) : f32x4.splat(0);
        let a3 = accumulate ? ld(yp + 3 * yRowB) : f32x4.splat(0);
        for (let i = 0; i < I; i++) {
          const wv = ld(w + ((<usize>(i * O)) << 2) + ob);
          const xi = x0 + ((<usize>i) << 2);
          a0 = f32x4.add(a0, f32x4.mul(f32x4.splat(reluS(load<f32>(xi), relu)), wv));
          a1 = f32x4.add(a1, f32x4.mul(f32x4.splat(reluS(load<f32>(xi + xRowB), relu)), wv));
          a2 = f32x4.add(a2, f32x4.mul(f32x4.splat(reluS(load<f32>(xi + 2 * xRowB), relu)), wv));
          a3 = f32x4.add(a3, f32x4.mul(f32x4.splat(reluS(load<f32>(xi + 3 * xRowB), relu)), wv));
        }
        v128.store(yp, a0);
        v128.store(yp + yRowB, a1);
        v128.store(yp + 2 * yRowB, a2);
        v128.store(yp + 3 * yRowB, a3);
      }
      for (; r < R; r++) {
        const yp = y + <usize>r * yRowB + ob;
        let a = accumulate ? ld(yp) : f32x4.splat(0);
        for (let i = 0; i < I; i++) a = f32x4.add(a, f32x4.mul(f32x4.splat(reluS(load<f32>(x + <usize>r * xRowB + ((<usize>i) << 2)), relu)), ld(w + ((<usize>(i * O)) << 2) + ob)));
        v128.store(yp, a);
      }
    }
    return;
  }
  for (let r = 0; r < R; r++)
    for (let o = 0; o < O; o++) {
      const yp = y + <usize>r * yRowB + ((<usize>o) << 2);
      let a: f32 = accumulate ? load<f32>(yp) : 0;
      for (let i = 0; i < I; i++) a += reluS(load<f32>(x + <usize>r * xRowB + ((<usize>i) << 2)), relu) * load<f32>(w + ((<usize>(i * O + o)) << 2));
      store<f32>(yp, a);
    }
}

/** wt[o, i] = w[i, o]. */
export function transpose(w: usize, wt: usize, I: i32, O: i32): void {
  for (let i = 0; i < I; i++)
    for (let o = 0; o < O; o++) store<f32>(wt + ((<usize>(o * I + i)) << 2), load<f32>(w + ((<usize>(i * O + o)) << 2)));
}

/**
 * dw[i, o] = Σ_r relu?(x[r, i])·dy[r, o]. Four input channels at a time share each dy load;
 * float32 partial sums per 64 rows, added in float64.
 */
export function gmmBackpropFilter(x: usize, dy: usize, dw: usize, R: i32, I: i32, O: i32, relu: i32): void {
  const xRowB = (<usize>I) << 2;
  const yRowB = (<usize>O) << 2;
  if ((O & 3) == 0) {
    for (let o = 0; o < O; o += 4) {
      const ob = (<usize>o) << 2;
      let i = 0;
      for (; i + 4 <= I; i += 4) {
        let t0 = f64x2.splat(0), t0h = f64x2.splat(0), t1 = f64x2.splat(0), t1h = f64x2.splat(0);
        let t2 = f64x2.splat(0), t2h = f64x2.splat(0), t3 = f64x2.splat(0), t3h = f64x2.splat(0);
        const xi = x + ((<usize>i) << 2);
        for (let r0 = 0; r0 < R; r0 += 64) {
          const r1 = min(R, r0 + 64);
          let a0 = f32x4.splat(0), a1 = f32x4.splat(0), a2 = f32x4.splat(0), a3 = f32x4.splat(0);
          for (let r = r0; r < r1; r++) {
            const g = ld(dy + <usize>r * yRowB + ob);
            const xr = xi + <usize>r * xRowB;
            a0 = f32x4.add(a0, f32x4.mul(f32x4.splat(reluS(load<f32>(xr), relu)), g));
            a1 = f32x4.add(a1, f32x4.mul(f32x4.splat(reluS(load<f32>(xr + 4), relu)), g));
            a2 = f32x4.add(a2, f32x4.mul(f32x4.splat(reluS(load<f32>(xr + 8), relu)), g));
            a3 = f32x4.add(a3, f32x4.mul(f32x4.splat(reluS(load<f32>(xr + 12), relu)), g));
          }
          t0 = f64x2.add(t0, f64x2.promote_low_f32x4(a0));
          t0h = f64x2.add(t0h, promoteHigh(a0));
          t1 = f64x2.add(t1, f64x2.promote_low_f32x4(a1));
          t1h = f64x2.add(t1h, promoteHigh(a1));
          t2 = f64x2.add(t2, f64x2.promote_low_f32x4(a2));
          t2h = f64x2.add(t2h, promoteHigh(a2));
          t3 = f64x2.add(t3, f64x2.promote_low_f32x4(a3));
          t3h = f64x2.add(t3h, promoteHigh(a3));
        }
        store2x2(dw + ((<usize>(i * O)) << 2) + ob, t0, t0h);
        store2x2(dw + ((<usize>((i + 1) * O)) << 2) + ob, t1, t1h);
        store2x2(dw + ((<usize>((i + 2) * O)) << 2) + ob, t2, t2h);
        store2x2(dw + ((<usize>((i + 3) * O)) << 2) + ob, t3, t3h);
      }
      for (; i < I; i++) {
        let t = f64x2.splat(0), th = f64x2.splat(0);
        for (let r0 = 0; r0 < R; r0 += 64) {
          const r1 = min(R, r0 + 64);
          let a = f32x4.splat(0);
          for (let r = r0; r < r1; r++) a = f32x4.add(a, f32x4.mul(f32x4.splat(reluS(load<f32>(x + <usize>r * xRowB + ((<usize>i) << 2)), relu)), ld(dy + <usize>r * yRowB + ob)));
          t = f64x2.add(t, f64x2.promote_low_f32x4(a));
          th = f64x2.add(th, promoteHigh(a));
        }
        store2x2(dw + ((<usize>(i * O)) << 2) + ob, t, th);
      }
    }
    return;
  }
  for (let i = 0; i < I; i++)
    for (let o = 0; o < O; o++) {
      let t: f64 = 0;
      for (let r = 0; r < R; r++) t += <f64>(reluS(load<f32>(x + <usize>r * xRowB + ((<usize>i) << 2)), relu) * load<f32>(dy + <usize>r * yRowB + ((<usize>o) << 2)));
      store<f32>(dw + ((<usize>(i * O + o)) << 2), <f32>t);
    }
}

/** Two f64x2 (lanes 0-1, 2-3) rounded into four float32 at p. */
@inline function store2x2(p: usize, lo: v128, hi: v128): void {
  v128.store(p, f32x4(<f32>f64x2.extract_lane(lo, 0), <f32>f64x2.extract_lane(lo, 1), <f32>f64x2.extract_lane(hi, 0), <f32>f64x2.extract_lane(hi, 1)));
}

// ------------------------------------------------------------------------------------------------
// Fused depthwise → 1×1 → BN statistics, one output row at a time (the depthwise row stays in L1
// and is never written out). `stats` (2·O float64: Σy, Σy²) accumulates over all calls of a group.

export function dwPwForward(xp: usize, wdw: usize, wpw: usize, y: usize, stats: usize, row: usize, N: i32, Hp: i32, Wp: i32, Ho: i32, Wo: i32, C: i32, k: i32, dil: i32, s: i32, off: i32, O: i32): void {
  const rowB = (<usize>(Wp * C)) << 2;
  for (let n = 0; n < N; n++)
    for (let oy = 0; oy < Ho; oy++) {
      dwConvPadded(xp + (<usize>(n * Hp + s * oy)) * rowB, wdw, row, 1, Hp, Wp, 1, Wo, C, k, dil, s, off, 0);
      const yr = y + ((<usize>((n * Ho + oy) * Wo * O)) << 2);
      gmmForward(row, wpw, yr, Wo, C, O, 0, 0);
      accumulateStats(yr, stats, Wo, O);
    }
}

/** stats[o] += Σ_r y[r, o], stats[O + o] += Σ_r y[r, o]² (float64). */
export function accumulateStats(y: usize, stats: usize, R: i32, O: i32): void {
  const sq = stats + ((<usize>O) << 3);
  if ((O & 3) == 0) {
    for (let o = 0; o < O; o += 4) {
      let s0 = f64x2.splat(0), s1 = f64x2.splat(0), q0 = f64x2.splat(0), q1 = f64x2.splat(0);
      for (let r = 0; r < R; r++) {
        const v = ld(y + ((<usize>(r * O + o)) << 2));
        const lo = f64x2.promote_low_f32x4(v);
        const hi = promoteHigh(v);
        s0 = f64x2.add(s0, lo);
        s1 = f64x2.add(s1, hi);
        q0 = f64x2.add(q0, f64x2.mul(lo, lo));
        q1 = f64x2.add(q1, f64x2.mul(hi, hi));
      }
      const ob = (<usize>o) << 3;
      v128.store(stats + ob, f64x2.add(v128.load(stats + ob), s0));
      v128.store(stats + ob + 16, f64x2.add(v128.load(stats + ob + 16), s1));
      v128.store(sq + ob, f64x2.add(v128.load(sq + ob), q0));
      v128.store(sq + ob + 16, f64x2.add(v128.load(sq + ob + 16), q1));
    }
    return;
  }
  for (let o = 0; o < O; o++) {
    let a: f64 = 0, b: f64 = 0;
    for (let r = 0; r < R; r++) {
      const v = <f64>load<f32>(y + ((<usize>(r * O + o)) << 2));
      a += v;
      b += v * v;
    }
    store<f64>(stats + ((<usize>o) << 3), load<f64>(stats + ((<usize>o) << 3)) + a);
    store<f64>(sq + ((<usize>o) << 3), load<f64>(sq + ((<usize>o) << 3)) + b);
  }
}

/**
 * BN from accumulated statistics (float64 Σy, Σy² over R rows): mean, biased variance
 * E[y²] − mean² (in float64, so no cancellation at these sizes), then y ← (y − mean)/√(var + eps)
 * in place. `stats` is overwritten with the mean and 1/√(var + eps).
 */
export function bnFromStats(y: usize, mean: usize, variance: usize, stats: usize, R: i32, C: i32, eps: f64): void {
  const inv = stats + ((<usize>C) << 3);
  const invR = 1 / <f64>R;
  for (let c = 0; c < C; c++) {
    const m = load<f64>(stats + ((<usize>c) << 3)) * invR;
    let v = load<f64>(inv + ((<usize>c) << 3)) * invR - m * m;
    if (v < 0) v = 0;
    store<f32>(mean + ((<usize>c) << 2), <f32>m);
    store<f32>(variance + ((<usize>c) << 2), <f32>v);
    store<f64>(stats + ((<usize>c) << 3), m);
    store<f64>(inv + ((<usize>c) << 3), 1 / Math.sqrt(v + eps));
  }
  normalize(y, y, stats, inv, R, C);
}

// ------------------------------------------------------------------------------------------------
// BatchNorm (non-affine, batch statistics), one group of R rows × C channels. Statistics in float64.

/** Σ over R rows of x[r, c..c+3] (stride C floats), in float64: [lanes 0-1, lanes 2-3]. */
@inline function promoteHigh(v: v128): v128 {
  return f64x2.promote_low_f32x4(v128.shuffle<f32>(v, v, 2, 3, 0, 1));
}

/**
 * mean[c], var[c] (biased, two-pass: mean, then mean of squared deviations) over the R rows, in
 * float64, then y = (x − mean)/√(var + eps). `scratch` (2·C float64, caller-owned) keeps the
 * statistics in float64 for the normalisation.
 */
export function bnForward(x: usize, y: usize, mean: usize, variance: usize, R: i32, C: i32, eps: f64, scratch: usize): void {
  const m = scratch;
  const inv = scratch + ((<usize>C) << 3);
  const rowB = <usize>C << 2;
  const invR = 1 / <f64>R;
  if ((C & 3) == 0) {
    for (let c = 0; c < C; c += 4) {
      const cb = <usize>c << 2;
      let s0 = f64x2.splat(0);
      let s1 = f64x2.splat(0);
      for (let r = 0; r < R; r++) {
        const v = ld(x + <usize>r * rowB + cb);
        s0 = f64x2.add(s0, f64x2.promote_low_f32x4(v));
        s1 = f64x2.add(s1, promoteHigh(v));
      }
      const m0 = f64x2.mul(s0, f64x2.splat(invR));
      const m1 = f64x2.mul(s1, f64x2.splat(invR));
      let q0 = f64x2.splat(0);
      let q1 = f64x2.splat(0);
      for (let r = 0; r < R; r++) {
        const v = ld(x + <usize>r * rowB + cb);
        const d0 = f64x2.sub(f64x2.promote_low_f32x4(v), m0);
        const d1 = f64x2.sub(promoteHigh(v), m1);
        q0 = f64x2.add(q0, f64x2.mul(d0, d0));
        q1 = f64x2.add(q1, f64x2.mul(d1, d1));
      }
      v128.store(m + (<usize>c << 3), m0);
      v128.store(m + (<usize>(c + 2) << 3), m1);
      v128.store(inv + (<usize>c << 3), f64x2.mul(q0, f64x2.splat(invR)));
      v128.store(inv + (<usize>(c + 2) << 3), f64x2.mul(q1, f64x2.splat(invR)));
    }
  } else {
    for (let c = 0; c < C; c++) {
      const cb = <usize>c << 2;
      let s: f64 = 0;
      for (let r = 0; r < R; r++) s += <f64>load<f32>(x + <usize>r * rowB + cb);
      const mm = s * invR;
      let q: f64 = 0;
      for (let r = 0; r < R; r++) {
        const d = <f64>load<f32>(x + <usize>r * rowB + cb) - mm;
        q += d * d;
      }
      store<f64>(m + (<usize>c << 3), mm);
      store<f64>(inv + (<usize>c << 3), q * invR);
    }
  }
  for (let c = 0; c < C; c++) {
    const v = load<f64>(inv + (<usize>c << 3));
    store<f32>(mean + (<usize>c << 2), <f32>load<f64>(m + (<usize>c << 3)));
    store<f32>(variance + (<usize>c << 2), <f32>v);
    store<f64>(inv + (<usize>c << 3), 1 / Math.sqrt(v + eps));
  }
  normalize(x, y, m, inv, R, C);
}

/** Four float64 values (consecutive) rounded to one f32x4. */
@inline function demote4(p: usize): v128 {
  return f32x4(<f32>load<f64>(p), <f32>load<f64>(p + 8), <f32>load<f64>(p + 16), <f32>load<f64>(p + 24));
}

/** y = (x − m)·inv per channel (m, inv float64 [C]); four lanes when C % 4 == 0. */
function normalize(x: usize, y: usize, m: usize, inv: usize, R: i32, C: i32): void {
  const rowB = <usize>C << 2;
  if ((C & 3) == 0) {
    for (let c = 0; c < C; c += 4) {
      const cb = <usize>c << 2;
      const mv = demote4(m + (<usize>c << 3));
      const iv = demote4(inv + (<usize>c << 3));
      for (let r = 0; r < R; r++) {
        const p = <usize>r * rowB + cb;
        v128.store(y + p, f32x4.mul(f32x4.sub(ld(x + p), mv), iv));
      }
    }
    return;
  }
  for (let r = 0; r < R; r++) {
    const p = <usize>r * rowB;
    for (let c = 0; c < C; c++) {
      const q = p + (<usize>c << 2);
      store<f32>(y + q, <f32>((<f64>load<f32>(x + q) - load<f64>(m + (<usize>c << 3))) * load<f64>(inv + (<usize>c << 3))));
    }
  }
}

/**
 * dx = (dy − mean(dy) − y·mean(dy·y))/√(var + eps) per channel over the R rows (sums in float64).
 * `scratch` holds 2·C float64.
 */
export function bnBackward(dy: usize, y: usize, variance: usize, dx: usize, R: i32, C: i32, eps: f64, scratch: usize): void {
  const a = scratch;
  const b = scratch + ((<usize>C) << 3);
  const rowB = <usize>C << 2;
  const invR = 1 / <f64>R;
  if ((C & 3) == 0) {
    for (let c = 0; c < C; c += 4) {
      const cb = <usize>c << 2;
      let a0 = f64x2.splat(0);
      let a1 = f64x2.splat(0);
      let b0 = f64x2.splat(0);
      let b1 = f64x2.splat(0);
      for (let r = 0; r < R; r++) {
        const p = <usize>r * rowB + cb;
        const d = ld(dy + p);
        const yv = ld(y + p);
        const dl = f64x2.promote_low_f32x4(d);
        const dh = promoteHigh(d);
        a0 = f64x2.add(a0, dl);
        a1 = f64x2.add(a1, dh);
        b0 = f64x2.add(b0, f64x2.mul(dl, f64x2.promote_low_f32x4(yv)));
        b1 = f64x2.add(b1, f64x2.mul(dh, promoteHigh(yv)));
      }
      v128.store(a + (<usize>c << 3), f64x2.mul(a0, f64x2.splat(invR)));
      v128.store(a + (<usize>(c + 2) << 3), f64x2.mul(a1, f64x2.splat(invR)));
      v128.store(b + (<usize>c << 3), f64x2.mul(b0, f64x2.splat(invR)));
      v128.store(b + (<usize>(c + 2) << 3), f64x2.mul(b1, f64x2.splat(invR)));
    }
    for (let c = 0; c < C; c += 4) {
      const cb = <usize>c << 2;
      const ma = demote4(a + (<usize>c << 3));
      const mb = demote4(b + (<usize>c << 3));
      const iv = f32x4(
        <f32>(1 / Math.sqrt(<f64>load<f32>(variance + cb) + eps)),
        <f32>(1 / Math.sqrt(<f64>load<f32>(variance + cb + 4) + eps)),
        <f32>(1 / Math.sqrt(<f64>load<f32>(variance + cb + 8) + eps)),
        <f32>(1 / Math.sqrt(<f64>load<f32>(variance + cb + 12) + eps)),
      );
      for (let r = 0; r < R; r++) {
        const p = <usize>r * rowB + cb;
        v128.store(dx + p, f32x4.mul(f32x4.sub(f32x4.sub(ld(dy + p), ma), f32x4.mul(ld(y + p), mb)), iv));
      }
    }
    return;
  }
  for (let c = 0; c < C; c++) {
    const cb = <usize>c << 2;
    let sa: f64 = 0;
    let sb: f64 = 0;
    for (let r = 0; r < R; r++) {
      const p = <usize>r * rowB + cb;
      const d = <f64>load<f32>(dy + p);
      sa += d;
      sb += d * <f64>load<f32>(y + p);
    }
    const ma = sa * invR;
    const mb = sb * invR;
    const iv = 1 / Math.sqrt(<f64>load<f32>(variance + cb) + eps);
    for (let r = 0; r < R; r++) {
      const p = <usize>r * rowB + cb;
      store<f32>(dx + p, <f32>((<f64>load<f32>(dy + p) - ma - <f64>load<f32>(y + p) * mb) * iv));
    }
  }
}

// ------------------------------------------------------------------------------------------------
// Elementwise helpers for the mixing kernel and the gradient norm.

/** y = a·x (n floats). */
export function scale(y: usize, x: usize, a: f32, n: i32): void {
  const va = f32x4.splat(a);
  let i = 0;
  for (; i + 4 <= n; i += 4) v128.store(y + (<usize>i << 2), f32x4.mul(ld(x + (<usize>i << 2)), va));
  for (; i < n; i++) store<f32>(y + (<usize>i << 2), a * load<f32>(x + (<usize>i << 2)));
}

/** y += a·x (n floats). */
export function axpy(y: usize, x: usize, a: f32, n: i32): void {
  const va = f32x4.splat(a);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const p = <usize>i << 2;
    v128.store(y + p, f32x4.add(ld(y + p), f32x4.mul(ld(x + p), va)));
  }
  for (; i < n; i++) {
    const p = <usize>i << 2;
    store<f32>(y + p, load<f32>(y + p) + a * load<f32>(x + p));
  }
}

/** Σ a[i]·b[i], float32 lanes summed per block of 1024, blocks summed in float64. */
export function dot(a: usize, b: usize, n: i32): f64 {
  let total: f64 = 0;
  for (let i0 = 0; i0 < n; i0 += 1024) {
    const i1 = min(n, i0 + 1024);
    let acc = f32x4.splat(0);
    let i = i0;
    for (; i + 4 <= i1; i += 4) acc = f32x4.add(acc, f32x4.mul(ld(a + (<usize>i << 2)), ld(b + (<usize>i << 2))));
    let s: f64 = <f64>f32x4.extract_lane(acc, 0) + <f64>f32x4.extract_lane(acc, 1) + <f64>f32x4.extract_lane(acc, 2) + <f64>f32x4.extract_lane(acc, 3);
    for (; i < i1; i++) s += <f64>(load<f32>(a + (<usize>i << 2)) * load<f32>(b + (<usize>i << 2)));
    total += s;
  }
  return total;
}

/** Σ x[i]² in float64. */
export function sumSquares(x: usize, n: i32): f64 {
  let total: f64 = 0;
  for (let i = 0; i < n; i++) {
    const v = <f64>load<f32>(x + (<usize>i << 2));
    total += v * v;
  }
  return total;
}

// ------------------------------------------------------------------------------------------------
// 3×3 pools, pad 1, stride s: max ignores padding; avg divides by the in-bounds count.

export function poolForward(x: usize, y: usize, N: i32, H: i32, W: i32, C: i32, isMax: i32, s: i32): void {
  const Ho = (H - 1) / s + 1;
  const Wo = (W - 1) / s + 1;
  const vec = (C & 3) == 0;
  for (let n = 0; n < N; n++)
    for (let oy = 0; oy < Ho; oy++) {
      const y0 = max(0, s * oy - 1);
      const y1 = min(H, s * oy + 2);
      for (let ox = 0; ox < Wo; ox++) {
        const x0 = max(0, s * ox - 1);
        const x1 = min(W, s * ox + 2);
        const count = <f32>((y1 - y0) * (x1 - x0));
        const yp = y + ((<usize>(((n * Ho + oy) * Wo + ox) * C)) << 2);
        for (let c = 0; c < C; c += vec ? 4 : 1) {
          let acc = isMax ? f32x4.splat(-Infinity) : f32x4.splat(0);
          let sacc: f32 = isMax ? -Infinity : 0;
          for (let iy = y0; iy < y1; iy++)
            for (let ix = x0; ix < x1; ix++) {
              const xp = x + ((<usize>(((n * H + iy) * W + ix) * C + c)) << 2);
              if (vec) acc = isMax ? f32x4.max(acc, ld(xp)) : f32x4.add(acc, ld(xp));
              else {
                const v = load<f32>(xp);
                sacc = isMax ? (v > sacc ? v : sacc) : sacc + v;
              }
            }
          const o = yp + (<usize>c << 2);
          if (vec) v128.store(o, isMax ? acc : f32x4.div(acc, f32x4.splat(count)));
          else store<f32>(o, isMax ? sacc : sacc / count);
        }
      }
    }
}

/**
 * ∂L/∂x of poolForward, accumulated into dx (zeroed here). Max: each window's dy goes to its first
 * maximum in row-major order (PyTorch's rule); avg: dy/count to every in-bounds cell.
 */
export function poolBackward(dy: usize, x: usize, dx: usize, N: i32, H: i32, W: i32, C: i32, isMax: i32, s: i32): void {
  const Ho = (H - 1) / s + 1;
  const Wo = (W - 1) / s + 1;
  memory.fill(dx, 0, (<usize>(N * H * W * C)) << 2);
  for (let n = 0; n < N; n++)
    for (let oy = 0; oy < Ho; oy++) {
      const y0 = max(0, s * oy - 1);
      const y1 = min(H, s * oy + 2);
      for (let ox = 0; ox < Wo; ox++) {
        const x0 = max(0, s * ox - 1);
        const x1 = min(W, s * ox + 2);
        const dyp = dy + ((<usize>(((n * Ho + oy) * Wo + ox) * C)) << 2);
        if (isMax && (C & 3) == 0) {
          // Four channels at a time: the window max, then dy to the first position that equals it
          // (row-major order, PyTorch's tie rule), tracked with a lane mask.
          for (let c = 0; c < C; c += 4) {
            const cb = (<usize>c) << 2;
            let best = f32x4.splat(-Infinity);
            for (let iy = y0; iy < y1; iy++)
              for (let ix = x0; ix < x1; ix++) best = f32x4.max(best, ld(x + ((<usize>(((n * H + iy) * W + ix) * C)) << 2) + cb));
            const g = ld(dyp + cb);
            let free = i32x4.splat(-1);
            for (let iy = y0; iy < y1; iy++)
              for (let ix = x0; ix < x1; ix++) {
                const off = ((<usize>(((n * H + iy) * W + ix) * C)) << 2) + cb;
                const hit = v128.and(f32x4.eq(ld(x + off), best), free);
                free = v128.andnot(free, hit);
                v128.store(dx + off, f32x4.add(ld(dx + off), v128.and(g, hit)));
              }
          }
        } else if (isMax) {
          for (let c = 0; c < C; c++) {
            let best: f32 = -Infinity;
            let at: usize = 0;
            let found = false;
            for (let iy = y0; iy < y1; iy++)
              for (let ix = x0; ix < x1; ix++) {
                const off = (<usize>(((n * H + iy) * W + ix) * C + c)) << 2;
                const v = load<f32>(x + off);
                if (!found || v > best) {
                  best = v;
                  at = off;
                  found = true;
                }
              }
            store<f32>(dx + at, load<f32>(dx + at) + load<f32>(dyp + (<usize>c << 2)));
          }
        } else {
          const inv = <f32>1 / <f32>((y1 - y0) * (x1 - x0));
          for (let iy = y0; iy < y1; iy++)
            for (let ix = x0; ix < x1; ix++) axpy(dx + ((<usize>(((n * H + iy) * W + ix) * C)) << 2), dyp, inv, C);
        }
      }
    }
}
