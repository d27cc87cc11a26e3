/**
 * The wasm backend's custom kernels on the AssemblyScript SIMD module (assembly/index.ts).
 *
 * The module is instantiated on the tfjs wasm backend's own WebAssembly.Memory, so a kernel hands
 * it the heap offsets of its input and output tensors: no copies. The group loops, the attribute
 * decoding and the output shapes stay in JS (shared with jsKernels.ts); each SIMD call does one
 * group of one op.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { KernelFunc, NamedAttrMap, TensorInfo } from '@tensorflow/tfjs-core';
import { dwParams, K, unitDwAttrs, unitGmmAttrs, type BnAttrs, type ConvUnitAttrs, type GmmAttrs, type MixAttrs, type PoolAttrs } from '../attrs';
import { JS_KERNELS, groupGeom, unitShapes, unitWant } from '../jsKernels';
import { decodeMixPlan, outSize } from '../math';
import { SIMD_WASM_BASE64 } from './simdWasm.generated';

/** The exports of assembly/index.ts (pointers are byte offsets into the tfjs heap). */
export interface SimdExports {
  padCopy(x: number, xp: number, N: number, H: number, W: number, C: number, P: number, relu: number): void;
  flipFilter(w: number, wf: number, k: number, C: number): void;
  dwConvPadded(xp: number, w: number, y: number, N: number, Hp: number, Wp: number, Ho: number, Wo: number, C: number, k: number, dil: number, s: number, off: number, accumulate: number): void;
  dwFilterPadded(xp: number, dy: number, dw: number, N: number, Hp: number, Wp: number, Ho: number, Wo: number, C: number, k: number, dil: number, s: number, off: number): void;
  dwScatterPadded(dy: number, w: number, dxp: number, N: number, Hp: number, Wp: number, Ho: number, Wo: number, C: number, k: number, dil: number, s: number, off: number): void;
  unpadMask(dxp: number, dx: number, x: number, N: number, H: number, W: number, C: number, P: number, relu: number): void;
  reluMask(dx: number, x: number, n: number): void;
  gmmForward(x: number, w: number, y: number, R: number, I: number, O: number, relu: number, accumulate: number): void;
  transpose(w: number, wt: number, I: number, O: number): void;
  gmmBackpropFilter(x: number, dy: number, dw: number, R: number, I: number, O: number, relu: number): void;
  bnForward(x: number, y: number, mean: number, variance: number, R: number, C: number, eps: number, scratch: number): void;
  bnBackward(dy: number, y: number, variance: number, dx: number, R: number, C: number, eps: number, scratch: number): void;
  scale(y: number, x: number, a: number, n: number): void;
  axpy(y: number, x: number, a: number, n: number): void;
  dot(a: number, b: number, n: number): number;
  sumSquares(x: number, n: number): number;
  poolForward(x: number, y: number, N: number, H: number, W: number, C: number, max: number, s: number): void;
  dwPwForward(xp: number, wdw: number, wpw: number, y: number, stats: number, row: number, N: number, Hp: number, Wp: number, Ho: number, Wo: number, C: number, k: number, dil: number, s: number, off: number, O: number): void;
  bnFromStats(y: number, mean: number, variance: number, stats: number, R: number, C: number, eps: number): void;
  poolBackward(dy: number, x: number, dx: number, N: number, H: number, W: number, C: number, max: number, s: number): void;
}

interface WasmBackend {
  makeOutput(shape: number[], dtype: 'float32'): TensorInfo;
  dataIdMap: { get(id: object): { memoryOffset: number } };
  wasm: { asm?: { memory?: WebAssembly.Memory }; wasmMemory?: WebAssembly.Memory; HEAPF32: Float32Array; _malloc(n: number): number; _free(p: number): void };
}

function decodeBase64(b64: string): Uint8Array {
  if (typeof atob === 'function') return Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
  return new Uint8Array((globalThis as unknown as { Buffer: { from(s: string, e: string): Uint8Array } }).Buffer.from(b64, 'base64'));
}

/** The tfjs wasm heap as a WebAssembly.Memory, or null if this tfjs build hides it. */
export function wasmHeapMemory(backend: unknown): WebAssembly.Memory | null {
  const w = (backend as WasmBackend).wasm;
  const m = w?.asm?.memory ?? w?.wasmMemory;
  return m instanceof WebAssembly.Memory ? m : null;
}

const instances = new WeakMap<WebAssembly.Memory, SimdExports | null>();

/** Instantiate the SIMD module on the wasm backend's heap (once per heap); null when unavailable. */
export async function instantiateSimd(backend: unknown): Promise<SimdExports | null> {
  const memory = wasmHeapMemory(backend);
  if (!SIMD_WASM_BASE64 || !memory) return null;
  if (instances.has(memory)) return instances.get(memory)!;
  let exports: SimdExports | null = null;
  // A shared (threaded) heap needs a module compiled for shared memory: use the JS kernels there.
  if (!(typeof SharedArrayBuffer !== 'undefined' && memory.buffer instanceof SharedArrayBuffer)) {
    try {
      const bytes = decodeBase64(SIMD_WASM_BASE64);
      const res = (await WebAssembly.instantiate(bytes, { env: { memory } })) as unknown as WebAssembly.WebAssemblyInstantiatedSource;
      exports = res.instance.exports as unknown as SimdExports;
    } catch {
      exports = null; // no SIMD support in this engine: the JS kernels remain
    }
  }
  instances.set(memory, exports);
  return exports;
}

type Ctx = { b: WasmBackend; m: SimdExports };
type PtrRun = (ins: number[], outs: number[], infos: TensorInfo[], attrs: NamedAttrMap, ctx: Ctx) => void;

/** `floats` of scratch on the tfjs heap for the duration of `f` (pointer in bytes). */
function withScratch(ctx: Ctx, floats: number, f: (ptr: number) => void): void {
  const ptr = ctx.b.wasm._malloc(Math.max(16, floats * F));
  try {
    f(ptr);
  } finally {
    ctx.b.wasm._free(ptr);
  }
}

/** Each depthwise group's kernel size, dilation, padding d(k−1)/2 and filter offset (floats). */
function groupList(segs: { k: number; dil: number; count: number }[], C: number) {
  const out: { k: number; dil: number; pad: number; off: number }[] = [];
  let off = 0;
  for (const s of segs)
    for (let i = 0; i < s.count; i++) {
      out.push({ k: s.k, dil: s.dil, pad: (s.dil * (s.k - 1)) / 2, off });
      off += s.k * s.k * C;
    }
  return out;
}
const maxPad = (groups: { pad: number }[]) => groups.reduce((a, g) => Math.max(a, g.pad), 0);

const F = 4; // bytes per float32
const size = (s: readonly number[]) => s.reduce((a, b) => a * b, 1);

const RUNS: Record<string, PtrRun> = {
  [K.depthwise]([x, w], [y], [xi], a, ctx) {
    const p = dwParams(a);
    const { n: N, h: H, w: W, c: C } = groupGeom(xi.shape, p.xGroups);
    const Ho = outSize(H, p.stride);
    const Wo = outSize(W, p.stride);
    const perOut = N * Ho * Wo * C;
    const groups = groupList(p.segs, C);
    const shared = p.xGroups === 1;
    // Shared x: pad (and ReLU) once with the largest padding; grouped x: per group.
    const P = shared ? Math.max(...groups.map((g) => g.pad)) : 0;
    withScratch(ctx, N * (H + 2 * maxPad(groups)) * (W + 2 * maxPad(groups)) * C, (xp) => {
      if (shared) ctx.m.padCopy(x, xp, N, H, W, C, P, p.relu ? 1 : 0);
      groups.forEach((g, gi) => {
        const Pg = shared ? P : g.pad;
        if (!shared) ctx.m.padCopy(x + (p.groupOffset + gi) * N * H * W * C * F, xp, N, H, W, C, Pg, p.relu ? 1 : 0);
        ctx.m.dwConvPadded(xp, w + g.off * F, y + gi * perOut * F, N, H + 2 * Pg, W + 2 * Pg, Ho, Wo, C, g.k, g.dil, p.stride, Pg - g.pad, 0);
      });
    });
  },
  [K.depthwiseBackpropInput]([dy, w, x], [dx], [, , xi], a, ctx) {
    const { b, m } = ctx;
    const p = dwParams(a);
    const { n: N, h: H, w: W, c: C } = groupGeom(xi.shape, p.xGroups);
    const Ho = outSize(H, p.stride);
    const Wo = outSize(W, p.stride);
    const per = N * H * W * C;
    const perOut = N * Ho * Wo * C;
    const groups = groupList(p.segs, C);
    const shared = p.xGroups === 1;
    // Groups of x that no group reads get zero.
    if (!shared && p.xGroups > groups.length) b.wasm.HEAPF32.fill(0, dx / F, dx / F + size(xi.shape));
    if (groups.length === 0) b.wasm.HEAPF32.fill(0, dx / F, dx / F + size(xi.shape));
    const P = maxPad(groups);
    if (p.stride === 1) {
      // dx = depthwise conv of the zero-padded dy with the filter rotated by 180° (same dilation).
      withScratch(ctx, N * (H + 2 * P) * (W + 2 * P) * C + 25 * C, (dyp) => {
        const wf = dyp + N * (H + 2 * P) * (W + 2 * P) * C * F;
        groups.forEach((g, gi) => {
          m.padCopy(dy + gi * perOut * F, dyp, N, H, W, C, g.pad, 0);
          m.flipFilter(w + g.off * F, wf, g.k, C);
          const target = dx + (shared ? 0 : (p.groupOffset + gi) * per) * F;
          m.dwConvPadded(dyp, wf, target, N, H + 2 * g.pad, W + 2 * g.pad, H, W, C, g.k, g.dil, 1, 0, shared && gi > 0 ? 1 : 0);
        });
      });
      if (p.relu) m.reluMask(dx, x, size(xi.shape));
      return;
    }
    // Stride 2: scatter into a padded buffer, then crop (and apply the ReLU mask).
    withScratch(ctx, N * (H + 2 * P) * (W + 2 * P) * C, (dxp) => {
      const Hp = H + 2 * P;
      const Wp = W + 2 * P;
      const clear = () => b.wasm.HEAPF32.fill(0, dxp / F, dxp / F + N * Hp * Wp * C);
      if (shared) clear();
      groups.forEach((g, gi) => {
        if (!shared) clear();
        m.dwScatterPadded(dy + gi * perOut * F, w + g.off * F, dxp, N, Hp, Wp, Ho, Wo, C, g.k, g.dil, 2, P - g.pad);
        if (!shared) m.unpadMask(dxp, dx + (p.groupOffset + gi) * per * F, x + (p.groupOffset + gi) * per * F, N, H, W, C, P, p.relu ? 1 : 0);
      });
      if (shared) m.unpadMask(dxp, dx, x, N, H, W, C, P, p.relu ? 1 : 0);
    });
  },
  [K.depthwiseBackpropFilter]([x, dy], [dw], [xi], a, ctx) {
    const p = dwParams(a);
    const { n: N, h: H, w: W, c: C } = groupGeom(xi.shape, p.xGroups);
    const Ho = outSize(H, p.stride);
    const Wo = outSize(W, p.stride);
    const perOut = N * Ho * Wo * C;
    const groups = groupList(p.segs, C);
    const shared = p.xGroups === 1;
    const P = maxPad(groups);
    withScratch(ctx, N * (H + 2 * P) * (W + 2 * P) * C, (xp) => {
      if (shared) ctx.m.padCopy(x, xp, N, H, W, C, P, p.relu ? 1 : 0);
      groups.forEach((g, gi) => {
        const Pg = shared ? P : g.pad;
        if (!shared) ctx.m.padCopy(x + (p.groupOffset + gi) * N * H * W * C * F, xp, N, H, W, C, Pg, p.relu ? 1 : 0);
        ctx.m.dwFilterPadded(xp, dy + gi * perOut * F, dw + g.off * F, N, H + 2 * Pg, W + 2 * Pg, Ho, Wo, C, g.k, g.dil, p.stride, Pg - g.pad);
      });
    });
  },
  [K.gmm]([x, w], [y], [xi], a, { m }) {
    const p = a as unknown as GmmAttrs;
    const I = xi.shape[xi.shape.length - 1];
    const R = size(xi.shape) / I / p.xGroups;
    for (let g = 0; g < p.groups; g++) {
      m.gmmForward(x + (p.xGroups === 1 ? 0 : g * R * I) * F, w + g * I * p.cout * F, y + g * R * p.cout * F, R, I, p.cout, p.relu ? 1 : 0, 0);
    }
  },
  [K.gmmBackpropInput]([dy, w, x], [dx], [, , xi], a, ctx) {
    // dx = dy · Wᵀ per group: the forward kernel on the transposed weights.
    const { m } = ctx;
    const p = a as unknown as GmmAttrs;
    const I = xi.shape[xi.shape.length - 1];
    const R = size(xi.shape) / I / p.xGroups;
    const shared = p.xGroups === 1;
    withScratch(ctx, I * p.cout, (wt) => {
      for (let g = 0; g < p.groups; g++) {
        m.transpose(w + g * I * p.cout * F, wt, I, p.cout);
        m.gmmForward(dy + g * R * p.cout * F, wt, dx + (shared ? 0 : g * R * I) * F, R, p.cout, I, 0, shared && g > 0 ? 1 : 0);
      }
    });
    if (p.relu) m.reluMask(dx, x, size(xi.shape));
  },
  [K.gmmBackpropFilter]([x, dy], [dw], [xi], a, { m }) {
    const p = a as unknown as GmmAttrs;
    const I = xi.shape[xi.shape.length - 1];
    const R = size(xi.shape) / I / p.xGroups;
    for (let g = 0; g < p.groups; g++) {
      m.gmmBackpropFilter(x + (p.xGroups === 1 ? 0 : g * R * I) * F, dy + g * R * p.cout * F, dw + g * I * p.cout * F, R, I, p.cout, p.relu ? 1 : 0);
    }
  },
  [K.batchNorm]([x], [y, mean, variance], [xi], a, { b, m }) {
    const { groups, eps } = a as unknown as BnAttrs;
    const C = xi.shape[xi.shape.length - 1];
    const R = size(xi.shape) / C / groups;
    const scratch = b.wasm._malloc(16 * C);
    try {
      for (let g = 0; g < groups; g++) m.bnForward(x + g * R * C * F, y + g * R * C * F, mean + g * C * F, variance + g * C * F, R, C, eps, scratch);
    } finally {
      b.wasm._free(scratch);
    }
  },
  [K.batchNormGrad]([dy, y, variance], [dx], [dyi], a, { b, m }) {
    const { groups, eps } = a as unknown as BnAttrs;
    const C = dyi.shape[dyi.shape.length - 1];
    const R = size(dyi.shape) / C / groups;
    const scratch = b.wasm._malloc(16 * C);
    try {
      for (let g = 0; g < groups; g++) m.bnBackward(dy + g * R * C * F, y + g * R * C * F, variance + g * C * F, dx + g * R * C * F, R, C, eps, scratch);
    } finally {
      b.wasm._free(scratch);
    }
  },
  [K.pool]([x], [y], [xi], a, { m }) {
    const { max, stride } = a as unknown as PoolAttrs;
    const [N, H, W, C] = xi.shape;
    m.poolForward(x, y, N, H, W, C, max ? 1 : 0, stride);
  },
  [K.poolGrad]([dy, x], [dx], [, xi], a, { m }) {
    const { max, stride } = a as unknown as PoolAttrs;
    const [N, H, W, C] = xi.shape;
    m.poolBackward(dy, x, dx, N, H, W, C, max ? 1 : 0, stride);
  },
  [K.mix]([w, ...terms], ys, [wi, t0], a, { b, m }) {
    const { termGroups, plan } = a as unknown as MixAttrs;
    const n = size(t0.shape) / termGroups[0];
    const K_ = wi.shape[1];
    const heap = b.wasm.HEAPF32;
    decodeMixPlan(plan).forEach((list, o) => {
      if (!list.length) heap.fill(0, ys[o] / F, ys[o] / F + n);
      list.forEach((e, i) => {
        const coef = heap[w / F + e.row * K_ + e.col];
        (i === 0 ? m.scale : m.axpy)(ys[o], terms[e.term] + e.group * n * F, coef, n);
      });
    });
  },
  [K.mixGradTerm]([w, ...dys], [dt], [wi, dy0], a, { b, m }) {
    const { plan, term, termGroups } = a as unknown as MixAttrs & { term: number };
    const n = size(dy0.shape);
    const K_ = wi.shape[1];
    const heap = b.wasm.HEAPF32;
    const outs = decodeMixPlan(plan);
    for (let g = 0; g < termGroups[term]; g++) {
      const target = dt + g * n * F;
      let first = true;
      outs.forEach((list, o) =>
        list.forEach((e) => {
          if (e.term !== term || e.group !== g) return;
          (first ? m.scale : m.axpy)(target, dys[o], heap[w / F + e.row * K_ + e.col], n);
          first = false;
        }),
      );
      if (first) heap.fill(0, target / F, target / F + n);
    }
  },
  [K.mixGradWeight]([, ...rest], [dw], [wi, ...infos], a, { b, m }) {
    const { plan, termGroups } = a as unknown as MixAttrs;
    const outs = decodeMixPlan(plan);
    const dys = rest.slice(0, outs.length);
    const terms = rest.slice(outs.length, outs.length + termGroups.length);
    const n = size(infos[0].shape);
    const K_ = wi.shape[1];
    const heap = b.wasm.HEAPF32;
    const acc = new Float64Array(size(wi.shape));
    outs.forEach((list, o) => list.forEach((e) => (acc[e.row * K_ + e.col] += m.dot(dys[o], terms[e.term] + e.group * n * F, n))));
    heap.set(acc, dw / F);
  },
  [K.split]([x], outs, [xi], a, { b }) {
    const heap = b.wasm.HEAPF32;
    let off = x / F;
    (a.sizes as number[]).forEach((n, i) => {
      heap.copyWithin(outs[i] / F, off, off + n);
      off += n;
    });
    void xi;
  },
  [K.sumSquares]([x], [y], [xi], _a, { b, m }) {
    b.wasm.HEAPF32[y / F] = m.sumSquares(x, size(xi.shape));
  },
};

// Fused kernels, composed from the runs above on heap scratch (no intermediate tfjs tensors).
const info = (shape: number[]): TensorInfo => ({ shape, dtype: 'float32', dataId: {} });
const gmmA = (u: ConvUnitAttrs) => unitGmmAttrs(u) as unknown as NamedAttrMap;

Object.assign(RUNS, {
  [K.convUnit]([x, wpw, wdw]: number[], [y, mean, variance]: number[], [xi]: TensorInfo[], a: NamedAttrMap, ctx: Ctx) {
    const u = a as unknown as ConvUnitAttrs;
    const sh = unitShapes(xi, u);
    if (!u.segs.length) {
      RUNS[K.gmm]([x, wpw], [y], [info(sh.d)], gmmA(u), ctx);
      // BN in place: y holds the 1×1 output, then its normalisation.
      RUNS[K.batchNorm]([y], [y, mean, variance], [info(sh.y)], { groups: u.groups, eps: u.eps }, ctx);
      return;
    }
    // Depthwise → 1×1 → BN statistics fused row by row (the depthwise output is never stored),
    // then the normalisation in place.
    const { m } = ctx;
    const { n: N, h: H, w: W, c: C } = groupGeom(xi.shape, u.xGroups);
    const [, Ho, Wo] = sh.d;
    const O = u.cout;
    const groups = groupList(dwParams(unitDwAttrs(u)).segs, C);
    const shared = u.xGroups === 1;
    const P = shared ? maxPad(groups) : 0;
    const padFloats = N * (H + 2 * maxPad(groups)) * (W + 2 * maxPad(groups)) * C;
    withScratch(ctx, padFloats + Wo * C + 4 * O + 4, (xp) => {
      const row = xp + padFloats * F;
      const stats = row + Wo * C * F + ((row + Wo * C * F) % 8 ? 4 : 0); // float64-aligned
      if (shared) m.padCopy(x, xp, N, H, W, C, P, u.relu ? 1 : 0);
      groups.forEach((g, gi) => {
        const Pg = shared ? P : g.pad;
        if (!shared) m.padCopy(x + (u.groupOffset + gi) * N * H * W * C * F, xp, N, H, W, C, Pg, u.relu ? 1 : 0);
        ctx.b.wasm.HEAPF32.fill(0, stats / F, stats / F + 4 * O);
        const yg = y + gi * N * Ho * Wo * O * F;
        m.dwPwForward(xp, wdw + g.off * F, wpw + gi * C * O * F, yg, stats, row, N, H + 2 * Pg, W + 2 * Pg, Ho, Wo, C, g.k, g.dil, u.stride, Pg - g.pad, O);
        m.bnFromStats(yg, mean + gi * O * F, variance + gi * O * F, stats, N * Ho * Wo, O, u.eps);
      });
    });
  },
  [K.convUnitGrad]([dy, x, wpw, y, variance, wdw]: number[], outs: number[], [, xi]: TensorInfo[], a: NamedAttrMap, ctx: Ctx) {
    const u = a as unknown as ConvUnitAttrs;
    const want = unitWant(a);
    const sh = unitShapes(xi, u);
    let o = 0;
    const dx = want[0] ? outs[o++] : 0;
    const dwpw = want[1] ? outs[o++] : 0;
    const dwdw = want[2] ? outs[o++] : 0;
    withScratch(ctx, size(sh.y) + (u.segs.length ? size(sh.d) : 0), (dz) => {
      RUNS[K.batchNormGrad]([dy, y, variance], [dz], [info(sh.y)], { groups: u.groups, eps: u.eps }, ctx);
      if (!u.segs.length) {
        if (dx) RUNS[K.gmmBackpropInput]([dz, wpw, x], [dx], [info(sh.y), info([0]), xi], gmmA(u), ctx);
        if (dwpw) RUNS[K.gmmBackpropFilter]([x, dz], [dwpw], [xi], gmmA(u), ctx);
        return;
      }
      const dd = dz + size(sh.y) * F; // holds the recomputed depthwise output, then ∂L/∂(depthwise output)
      const da = unitDwAttrs(u);
      if (dwpw) {
        RUNS[K.depthwise]([x, wdw], [dd], [xi], da, ctx); // recomputed: the forward kept only y
        RUNS[K.gmmBackpropFilter]([dd, dz], [dwpw], [info(sh.d)], gmmA(u), ctx);
      }
      if (dx || dwdw) {
        RUNS[K.gmmBackpropInput]([dz, wpw, dd], [dd], [info(sh.y), info([0]), info(sh.d)], gmmA(u), ctx);
        if (dx) RUNS[K.depthwiseBackpropInput]([dd, wdw, x], [dx], [info(sh.d), info([0]), xi], da, ctx);
        if (dwdw) RUNS[K.depthwiseBackpropFilter]([x, dd], [dwdw], [xi], da, ctx);
      }
    });
  },
  [K.poolBn]([x]: number[], [y, mean, variance]: number[], [xi]: TensorInfo[], a: NamedAttrMap, ctx: Ctx) {
    const [N, H, W, C] = xi.shape;
    const { stride } = a as unknown as PoolAttrs;
    const ys = [N, outSize(H, stride), outSize(W, stride), C];
    RUNS[K.pool]([x], [y], [xi], a, ctx);
    RUNS[K.batchNorm]([y], [y, mean, variance], [info(ys)], { groups: 1, eps: a.eps as number }, ctx);
  },
  [K.poolBnGrad]([dy, x, y, variance]: number[], [dx]: number[], [dyi, xi]: TensorInfo[], a: NamedAttrMap, ctx: Ctx) {
    withScratch(ctx, size(dyi.shape), (dz) => {
      RUNS[K.batchNormGrad]([dy, y, variance], [dz], [dyi], { groups: 1, eps: a.eps as number }, ctx);
      RUNS[K.poolGrad]([dz, x], [dx], [dyi, xi], a, ctx);
    });
  },
} satisfies Record<string, PtrRun>);
RUNS[K.pwUnit] = RUNS[K.convUnit];

function simdKernel(name: string, m: SimdExports): KernelFunc {
  const js = JS_KERNELS.find((k) => k.name === name)!;
  const runPtr = RUNS[name];
  return ({ inputs, attrs, backend }) => {
    const b = backend as unknown as WasmBackend;
    const infos = js.inputs(inputs);
    for (const t of infos) if (t.dtype !== 'float32') throw new Error(`${name} takes float32 tensors, got ${t.dtype}`);
    const shapes = js.shapes(infos, attrs ?? {});
    const res = shapes.map((s) => b.makeOutput(s, 'float32'));
    const ptr = (t: TensorInfo) => b.dataIdMap.get(t.dataId).memoryOffset;
    runPtr(infos.map(ptr), res.map(ptr), infos, attrs ?? {}, { b, m });
    return res.length === 1 ? res[0] : res;
  };
}

/**
 * Self time of each SIMD kernel body, including the bodies fused kernels call (for
 * scripts/profile-kernels.ts). Off unless `simdProfile(true)`.
 */
const profile = { on: false, ms: new Map<string, { count: number; ms: number }>() };
export function simdProfile(on: boolean): Map<string, { count: number; ms: number }> {
  profile.on = on;
  if (on) profile.ms.clear();
  return profile.ms;
}
for (const [name, fn] of Object.entries(RUNS)) {
  RUNS[name] = (...args) => {
    if (!profile.on) return fn(...args);
    const t0 = performance.now();
    try {
      return fn(...args);
    } finally {
      const e = profile.ms.get(name) ?? { count: 0, ms: 0 };
      e.count++;
      e.ms += performance.now() - t0;
      profile.ms.set(name, e);
    }
  };
}

/** Names of the kernels that have a SIMD implementation. */
export const SIMD_KERNELS = Object.keys(RUNS);

/** Register the SIMD version of every kernel that has one for 'wasm'; returns their names. */
export function registerSimdKernels(m: SimdExports): string[] {
  for (const name of SIMD_KERNELS) {
    if (tf.getKernel(name, 'wasm')) tf.unregisterKernel(name, 'wasm');
    tf.registerKernel({ kernelName: name, backendName: 'wasm', kernelFunc: simdKernel(name, m) });
  }
  return SIMD_KERNELS;
}
