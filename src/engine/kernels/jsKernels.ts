/**
 * The custom kernels as backend-neutral descriptions: which inputs they read, the shapes they
 * produce and the arithmetic (math.ts) that fills them. register.ts turns each into a tfjs
 * kernel for the cpu backend (its JS arrays) and the wasm backend (views of the wasm heap).
 */
import type { NamedAttrMap, NamedTensorInfoMap, TensorInfo } from '@tensorflow/tfjs-core';
import { dwParams, K, unitDwAttrs, unitGmmAttrs, type BnAttrs, type ConvUnitAttrs, type GmmAttrs, type MixAttrs, type PoolAttrs } from './attrs';
import {
  bnBackward,
  bnForward,
  decodeMixPlan,
  dwBackpropFilter,
  dwBackpropInput,
  dwFilterSize,
  dwForward,
  dwGroups,
  gmmBackpropFilter,
  gmmBackpropInput,
  gmmForward,
  mixForward,
  mixGradTerm,
  mixGradWeight,
  outSize,
  poolBackward,
  poolForward,
  sumSquares,
  type Geom,
  type GmmParams,
} from './math';

export interface JsKernel {
  name: string;
  /** The inputs in the order `run` receives them. */
  inputs(inputs: NamedTensorInfoMap): TensorInfo[];
  shapes(inputs: TensorInfo[], attrs: NamedAttrMap): number[][];
  run(ins: Float32Array[], outs: Float32Array[], inputs: TensorInfo[], attrs: NamedAttrMap): void;
}

const named =
  (...names: string[]) =>
  (m: NamedTensorInfoMap): TensorInfo[] =>
    names.map((n) => {
      const t = m[n];
      if (!t) throw new Error(`missing kernel input ${n}`);
      return t;
    });

/** Inputs named prefix0, prefix1, … in index order. */
const indexed = (m: NamedTensorInfoMap, prefix: string): TensorInfo[] => {
  const out: TensorInfo[] = [];
  for (let i = 0; m[`${prefix}${i}`]; i++) out.push(m[`${prefix}${i}`]!);
  return out;
};

/** Geometry of one group of a grouped tensor with `groups` groups. */
export function groupGeom(shape: readonly number[], groups: number): Geom {
  const [b, h, w, c] = shape;
  if (b % groups) throw new Error(`batch ${b} is not a multiple of ${groups} groups`);
  return { n: b / groups, h, w, c };
}

function gmmParams(x: TensorInfo, a: NamedAttrMap): GmmParams {
  const p = a as unknown as GmmAttrs;
  const cin = x.shape[x.shape.length - 1];
  const rows = x.shape.slice(0, -1).reduce((u, v) => u * v, 1) / p.xGroups;
  return { groups: p.groups, cin, cout: p.cout, xGroups: p.xGroups, relu: p.relu, rows };
}

function gmmOutShape(x: TensorInfo, a: NamedAttrMap): number[] {
  const p = a as unknown as GmmAttrs;
  const s = [...x.shape];
  s[0] = (s[0] / p.xGroups) * p.groups;
  s[s.length - 1] = p.cout;
  return s;
}

const size = (s: readonly number[]) => s.reduce((a, b) => a * b, 1);

export const JS_KERNELS: JsKernel[] = [
  {
    // θ → its blocks: contiguous copies (tfjs-wasm's SplitV copies the whole input once per output).
    name: K.split,
    inputs: named('x'),
    shapes: (_i, a) => (a.sizes as number[]).map((n) => [n]),
    run([x], outs) {
      let off = 0;
      for (const o of outs) {
        o.set(x.subarray(off, off + o.length));
        off += o.length;
      }
    },
  },
  {
    name: K.sumSquares,
    inputs: named('x'),
    shapes: () => [[]],
    run([x], [y]) {
      y[0] = sumSquares(x);
    },
  },
  {
    name: K.depthwise,
    inputs: named('x', 'w'),
    shapes([x], a) {
      const p = dwParams(a);
      const g = groupGeom(x.shape, p.xGroups);
      return [[dwGroups(p.segs) * g.n, outSize(g.h, p.stride), outSize(g.w, p.stride), g.c]];
    },
    run([x, w], [y], [xi], a) {
      const p = dwParams(a);
      dwForward(x, groupGeom(xi.shape, p.xGroups), w, p, y);
    },
  },
  {
    name: K.depthwiseBackpropInput,
    inputs: named('dy', 'w', 'x'),
    shapes: ([, , x]) => [[...x.shape]],
    run([dy, w, x], [dx], [, , xi], a) {
      const p = dwParams(a);
      dwBackpropInput(dy, w, p.relu ? x : null, groupGeom(xi.shape, p.xGroups), p, dx);
    },
  },
  {
    name: K.depthwiseBackpropFilter,
    inputs: named('x', 'dy'),
    shapes([x], a) {
      const p = dwParams(a);
      return [[dwFilterSize(p.segs, x.shape[3])]];
    },
    run([x, dy], [dw], [xi], a) {
      const p = dwParams(a);
      dwBackpropFilter(x, groupGeom(xi.shape, p.xGroups), dy, p, dw);
    },
  },
  {
    name: K.gmm,
    inputs: named('x', 'w'),
    shapes: ([x], a) => [gmmOutShape(x, a)],
    run([x, w], [y], [xi], a) {
      gmmForward(x, w, gmmParams(xi, a), y);
    },
  },
  {
    name: K.gmmBackpropInput,
    inputs: named('dy', 'w', 'x'),
    shapes: ([, , x]) => [[...x.shape]],
    run([dy, w, x], [dx], [, , xi], a) {
      const p = gmmParams(xi, a);
      gmmBackpropInput(dy, w, p.relu ? x : null, p, dx);
    },
  },
  {
    name: K.gmmBackpropFilter,
    inputs: named('x', 'dy'),
    shapes([x], a) {
      const p = gmmParams(x, a);
      return [[p.groups * p.cin * p.cout]];
    },
    run([x, dy], [dw], [xi], a) {
      gmmBackpropFilter(x, dy, gmmParams(xi, a), dw);
    },
  },
  {
    name: K.batchNorm,
    inputs: named('x'),
    shapes([x], a) {
      const { groups } = a as unknown as BnAttrs;
      const c = x.shape[x.shape.length - 1];
      return [[...x.shape], [groups * c], [groups * c]];
    },
    run([x], [y, mean, variance], [xi], a) {
      const { groups, eps } = a as unknown as BnAttrs;
      bnForward(x, groups, xi.shape[xi.shape.length - 1], eps, y, mean, variance);
    },
  },
  {
    name: K.batchNormGrad,
    inputs: named('dy', 'y', 'variance'),
    shapes: ([dy]) => [[...dy.shape]],
    run([dy, y, variance], [dx], [dyi], a) {
      const { groups, eps } = a as unknown as BnAttrs;
      bnBackward(dy, y, variance, groups, dyi.shape[dyi.shape.length - 1], eps, dx);
    },
  },
  {
    name: K.pool,
    inputs: named('x'),
    shapes([x], a) {
      const { stride } = a as unknown as PoolAttrs;
      const [n, h, w, c] = x.shape;
      return [[n, outSize(h, stride), outSize(w, stride), c]];
    },
    run([x], [y], [xi], a) {
      const { max, stride } = a as unknown as PoolAttrs;
      poolForward(x, groupGeom(xi.shape, 1), max, stride, y);
    },
  },
  {
    name: K.poolGrad,
    inputs: named('dy', 'x'),
    shapes: ([, x]) => [[...x.shape]],
    run([dy, x], [dx], [, xi], a) {
      const { max, stride } = a as unknown as PoolAttrs;
      poolBackward(dy, x, groupGeom(xi.shape, 1), max, stride, dx);
    },
  },
  {
    name: K.mix,
    inputs: (m) => Object.values(m) as TensorInfo[], // [w, term 0, term 1, …] (an array of inputs)
    shapes([, ...terms], a) {
      const { termGroups, plan } = a as unknown as MixAttrs;
      const g = groupGeom(terms[0].shape, termGroups[0]);
      return decodeMixPlan(plan).map(() => [g.n, g.h, g.w, g.c]);
    },
    run([w, ...terms], ys, [, t0], a) {
      const { termGroups, plan, cols } = a as unknown as MixAttrs;
      mixForward(w, cols, terms, decodeMixPlan(plan), size(t0.shape) / termGroups[0], ys);
    },
  },
  {
    name: K.mixGradTerm,
    inputs: (m) => [m.w!, ...indexed(m, 'dy')],
    shapes([, dy0], a) {
      const { termGroups, term } = a as unknown as MixAttrs & { term: number };
      return [[dy0.shape[0] * termGroups[term], ...dy0.shape.slice(1)]];
    },
    run([w, ...dys], [dt], [, dy0], a) {
      const { plan, cols, term } = a as unknown as MixAttrs & { term: number };
      mixGradTerm(dys, w, cols, decodeMixPlan(plan), term, size(dy0.shape), dt);
    },
  },
  {
    name: K.mixGradWeight,
    inputs: (m) => [m.w!, ...indexed(m, 'dy'), ...indexed(m, 't')],
    shapes: ([w]) => [[...w.shape]],
    run([, ...rest], [dw], [, ...infos], a) {
      const { plan, cols, termGroups } = a as unknown as MixAttrs;
      const outs = decodeMixPlan(plan).length;
      const dys = rest.slice(0, outs);
      const terms = rest.slice(outs, outs + termGroups.length);
      mixGradWeight(dys, terms, decodeMixPlan(plan), cols, size(infos[0].shape), dw);
    },
  },
];

// ---------------------------------------------------------------------------------------------
// Fused kernels, composed from the ones above on plain arrays (no intermediate tfjs tensors).

const kernel = (name: string) => JS_KERNELS.find((k) => k.name === name)!;
const info = (shape: number[]): TensorInfo => ({ shape, dtype: 'float32', dataId: {} });

/** Shapes inside a conv unit: the depthwise output (or x itself) and the 1×1 output. */
export function unitShapes(x: TensorInfo, a: ConvUnitAttrs): { d: number[]; y: number[] } {
  if (!a.segs.length) return { d: [...x.shape], y: gmmOutShape(x, unitGmmAttrs(a) as unknown as NamedAttrMap) };
  const d = kernel(K.depthwise).shapes([x], unitDwAttrs(a))[0];
  return { d, y: [d[0], d[1], d[2], a.cout] };
}

/** Which gradients a ConvUnitGrad call computes: [∂x, ∂w_pw, ∂w_dw]. */
export const unitWant = (a: NamedAttrMap) => a.want as boolean[];

JS_KERNELS.push(
  {
    name: K.convUnit,
    inputs: (m) => [m.x!, m.wpw!, ...(m.wdw ? [m.wdw] : [])],
    shapes([x], a) {
      const u = a as unknown as ConvUnitAttrs;
      const c = u.cout;
      return [unitShapes(x, u).y, [u.groups * c], [u.groups * c]];
    },
    run([x, wpw, wdw], [y, mean, variance], [xi], a) {
      const u = a as unknown as ConvUnitAttrs;
      const sh = unitShapes(xi, u);
      let d = x;
      if (u.segs.length) {
        d = new Float32Array(size(sh.d));
        kernel(K.depthwise).run([x, wdw], [d], [xi], unitDwAttrs(u));
      }
      const z = new Float32Array(size(sh.y));
      kernel(K.gmm).run([d, wpw], [z], [info(sh.d)], unitGmmAttrs(u) as unknown as NamedAttrMap);
      kernel(K.batchNorm).run([z], [y, mean, variance], [info(sh.y)], { groups: u.groups, eps: u.eps });
    },
  },
  {
    // inputs: dy, x, wpw, y, variance[, wdw]; outputs: the wanted ones of [∂x, ∂w_pw, ∂w_dw].
    name: K.convUnitGrad,
    inputs: (m) => [m.dy!, m.x!, m.wpw!, m.y!, m.variance!, ...(m.wdw ? [m.wdw] : [])],
    shapes([, x, wpw, , , wdw], a) {
      const want = unitWant(a);
      return [[...x.shape], [...wpw.shape], wdw ? [...wdw.shape] : [0]].filter((_, i) => want[i]);
    },
    run([dy, x, wpw, y, variance, wdw], outs, [, xi], a) {
      const u = a as unknown as ConvUnitAttrs;
      const want = unitWant(a);
      const sh = unitShapes(xi, u);
      const gm = unitGmmAttrs(u) as unknown as NamedAttrMap;
      let o = 0;
      const dx = want[0] ? outs[o++] : null;
      const dwpw = want[1] ? outs[o++] : null;
      const dwdw = want[2] ? outs[o++] : null;
      const dz = new Float32Array(size(sh.y));
      kernel(K.batchNormGrad).run([dy, y, variance], [dz], [info(sh.y)], { groups: u.groups, eps: u.eps });
      if (!u.segs.length) {
        if (dx) kernel(K.gmmBackpropInput).run([dz, wpw, x], [dx], [info(sh.y), info([0]), xi], gm);
        if (dwpw) kernel(K.gmmBackpropFilter).run([x, dz], [dwpw], [xi], gm);
        return;
      }
      const da = unitDwAttrs(u);
      if (dwpw) {
        const d = new Float32Array(size(sh.d));
        kernel(K.depthwise).run([x, wdw], [d], [xi], da); // recomputed: the forward kept only y
        kernel(K.gmmBackpropFilter).run([d, dz], [dwpw], [info(sh.d)], gm);
      }
      if (dx || dwdw) {
        const dd = new Float32Array(size(sh.d));
        kernel(K.gmmBackpropInput).run([dz, wpw, dd], [dd], [info(sh.y), info([0]), info(sh.d)], gm);
        if (dx) kernel(K.depthwiseBackpropInput).run([dd, wdw, x], [dx], [info(sh.d), info([0]), xi], da);
        if (dwdw) kernel(K.depthwiseBackpropFilter).run([x, dd], [dwdw], [xi], da);
      }
    },
  },
  {
    // BN(pool(x)): the pool of every edge out of one state, with its search-only BN (spec §1.4).
    name: K.poolBn,
    inputs: named('x'),
    shapes([x], a) {
      const [y] = kernel(K.pool).shapes([x], a);
      return [y, [y[3]], [y[3]]];
    },
    run([x], [y, mean, variance], [xi], a) {
      const [ys] = kernel(K.pool).shapes([xi], a);
      const p = new Float32Array(size(ys));
      kernel(K.pool).run([x], [p], [xi], a);
      kernel(K.batchNorm).run([p], [y, mean, variance], [info(ys)], { groups: 1, eps: a.eps as number });
    },
  },
  {
    name: K.poolBnGrad,
    inputs: named('dy', 'x', 'y', 'variance'),
    shapes: ([, x]) => [[...x.shape]],
    run([dy, x, y, variance], [dx], [dyi, xi], a) {
      const dz = new Float32Array(dy.length);
      kernel(K.batchNormGrad).run([dy, y, variance], [dz], [dyi], { groups: 1, eps: a.eps as number });
      kernel(K.poolGrad).run([dz, x], [dx], [dyi, xi], a);
    },
  },
);

// The unit without a depthwise conv (ReLU → 1×1 → BN) is the same kernel under its own name:
// tfjs saves inputs by name, and this one has no `wdw`.
JS_KERNELS.push({ ...kernel(K.convUnit), name: K.pwUnit });
