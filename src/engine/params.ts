/**
 * Weight bookkeeping. Every trainable tensor is declared once as a ParamSpec that records both
 * its tfjs layout and its PyTorch layout, so that the deterministic fixture of spec §10.E (defined
 * on PyTorch layouts) and checkpoints can be mapped by index.
 */
import * as tf from '@tensorflow/tfjs-core';

/**
 * Layouts: `hwio` full conv (PyTorch OIHW), `dw` depthwise [k,k,C,1] (PyTorch [C,1,k,k]),
 * `pw` 1×1 conv as matMul [I,O] (PyTorch [O,I,1,1]), `linear` [in,out] (PyTorch [out,in]),
 * `vec` 1-D (BN affine γ/β, Linear bias).
 */
export type Layout = 'hwio' | 'dw' | 'pw' | 'linear' | 'vec';
export type InitKind = 'fanIn' | 'ones' | 'zeros';

export interface ParamSpec {
  name: string;
  layout: Layout;
  shape: number[];
  torchShape: number[];
  init: InitKind;
}

export function specSize(s: ParamSpec): number {
  return s.shape.reduce((a, b) => a * b, 1);
}

/** PyTorch fan-in: product of all dims but the first (groups ignored for depthwise: [C,1,k,k] → k²). */
export function torchFanIn(s: ParamSpec): number {
  return s.torchShape.slice(1).reduce((a, b) => a * b, 1);
}

/**
 * Map a tensor given in PyTorch row-major layout to the tfjs layout of `s`.
 * OIHW → HWIO, [C,1,k,k] → [k,k,C,1], [O,I(,1,1)] → [I,O].
 */
export function torchToTf(s: ParamSpec, src: Float32Array): Float32Array {
  const out = new Float32Array(src.length);
  if (s.layout === 'vec') out.set(src);
  else if (s.layout === 'hwio') {
    const [O, I, KH, KW] = s.torchShape;
    for (let o = 0; o < O; o++)
      for (let i = 0; i < I; i++)
        for (let h = 0; h < KH; h++)
          for (let w = 0; w < KW; w++) out[((h * KW + w) * I + i) * O + o] = src[((o * I + i) * KH + h) * KW + w];
  } else if (s.layout === 'dw') {
    const [C, , KH, KW] = s.torchShape;
    for (let c = 0; c < C; c++)
      for (let h = 0; h < KH; h++) for (let w = 0; w < KW; w++) out[(h * KW + w) * C + c] = src[(c * KH + h) * KW + w];
  } else {
    const [O, I] = s.torchShape;
    for (let o = 0; o < O; o++) for (let i = 0; i < I; i++) out[i * O + o] = src[o * I + i];
  }
  return out;
}

let instanceCounter = 0;

/** A tf.Variable whose initial tensor is released at once (tf.variable would otherwise leave it alive). */
export function makeVariable(init: () => tf.Tensor, trainable = false, name?: string): tf.Variable {
  return tf.tidy(() => tf.variable(init(), trainable, name));
}

/** Ordered set of tf.Variables created from specs; names are made unique per instance. */
export class ParamSet {
  readonly vars: tf.Variable[];
  constructor(
    readonly specs: ParamSpec[],
    values: (spec: ParamSpec, index: number) => Float32Array,
    trainable = true,
  ) {
    const prefix = `darts${++instanceCounter}/`;
    this.vars = specs.map((s, i) => makeVariable(() => tf.tensor(values(s, i), s.shape), trainable, prefix + s.name));
  }
  get size(): number {
    return this.specs.reduce((a, s) => a + specSize(s), 0);
  }
  dispose(): void {
    for (const v of this.vars) v.dispose();
  }
}

/** Default initialisation: U(−1/√fan_in, 1/√fan_in) with modern fan_in = (C_in/groups)·k·k (spec §1.8). */
export function uniformFanInInit(next: () => number) {
  return (s: ParamSpec): Float32Array => {
    const n = specSize(s);
    const v = new Float32Array(n);
    if (s.init === 'ones') v.fill(1);
    else if (s.init === 'fanIn') {
      const fanIn = s.layout === 'dw' ? s.shape[0] * s.shape[1] : torchFanIn(s);
      const b = 1 / Math.sqrt(fanIn);
      for (let i = 0; i < n; i++) v[i] = (2 * next() - 1) * b;
    }
    return v;
  };
}
