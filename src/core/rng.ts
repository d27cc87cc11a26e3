/**
 * A small seeded pseudo-random number generator for everything in the playground that must be
 * reproducible: synthetic data, batch sampling, α initialisation in tests, permutations.
 *
 * Generator: **sfc32** (Chris Doty-Humphrey's "small fast counting" generator, 128-bit state,
 * passes PractRand/BigCrush), seeded through **splitmix32** so that nearby seeds (1, 2, 3...)
 * give unrelated streams. Every step is 32-bit integer arithmetic (`Math.imul`, `|0`, `>>>`),
 * so the integer stream, `next()`, `int()`, `shuffle()` and `permutation()` are bit-identical in
 * every JavaScript engine on every platform.
 *
 * `normal()` uses Box–Muller and therefore `Math.log`, `Math.sqrt` and `Math.cos`. `sqrt` is
 * correctly rounded by IEEE 754; `log`/`cos` are "implementation-approximated" in ECMAScript.
 * V8 (Chrome, Node, Deno) and SpiderMonkey (Firefox) both use fdlibm ports and agree; another
 * engine may differ in the last bit of a normal sample (never in the uniform stream).
 *
 * The full state is four uint32 numbers, so a run can be saved and resumed, or moved from one
 * tfjs backend to another, and continue with exactly the same samples (see `getState`).
 */

const TWO_POW_32 = 4294967296;

/** splitmix32 step: a strong 32-bit mixer used only to expand a seed into the sfc32 state. */
function splitmix32(state: { s: number }): number {
  state.s = (state.s + 0x9e3779b9) | 0;
  let t = state.s ^ (state.s >>> 16);
  t = Math.imul(t, 0x21f0aaad);
  t ^= t >>> 15;
  t = Math.imul(t, 0x735a2d97);
  t ^= t >>> 15;
  return t >>> 0;
}

/** FNV-1a hash of a string to uint32; used to turn a stream label into a salt. */
export function hashString(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** Split any finite number into its low and high uint32 words (negative seeds wrap, two's complement). */
function seedWords(seed: number): [number, number] {
  if (!Number.isFinite(seed)) throw new RangeError(`seed must be a finite number, got ${seed}`);
  const n = Math.trunc(seed);
  const lo = n >>> 0;
  const hi = Math.floor(n / TWO_POW_32) >>> 0;
  return [lo, hi];
}

/**
 * Seeded PRNG (sfc32). Create with `new Rng(seed)` or, for an independent sub-stream of the same
 * run (e.g. "data", "arch-batches"), `new Rng(seed, 'arch-batches')`.
 */
export class Rng {
  private a = 0;
  private b = 0;
  private c = 0;
  private d = 0;

  /**
   * @param seed any finite number (its integer part is used; 2 is the reference default, spec §3.1)
   * @param stream optional label or number selecting an independent stream for the same seed
   */
  constructor(seed: number, stream: string | number = 0) {
    const [lo, hi] = seedWords(seed);
    const salt = typeof stream === 'string' ? hashString(stream) : stream >>> 0;
    const sm = { s: lo ^ Math.imul(hi, 0x85ebca6b) ^ Math.imul(salt, 0xc2b2ae35) };
    // Mix the high word and the salt through splitmix as well, so that (seed, salt) pairs that
    // happen to XOR to the same value still differ.
    sm.s = (sm.s + splitmix32({ s: hi }) + splitmix32({ s: salt ^ 0x5bd1e995 })) | 0;
    this.a = splitmix32(sm);
    this.b = splitmix32(sm);
    this.c = splitmix32(sm);
    this.d = splitmix32(sm);
    // Standard practice for sfc32: discard a few outputs so the state is well mixed.
    for (let i = 0; i < 12; i++) this.nextUint32();
  }

  /** Next raw 32-bit output, an integer in [0, 2^32). */
  nextUint32(): number {
    const t0 = (this.a + this.b) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.d = (this.d + 1) | 0;
    const t = (t0 + this.d) | 0;
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** Uniform float in [0, 1) with 32 bits of resolution. */
  next(): number {
    return this.nextUint32() / TWO_POW_32;
  }

  /** Uniform float in [lo, hi). */
  uniform(lo: number, hi: number): number {
    return lo + (hi - lo) * this.next();
  }

  /**
   * Standard normal sample (Box–Muller, cosine branch). Two uniforms are consumed per call and
   * no spare is cached, so the state stays four integers.
   */
  normal(mean = 0, std = 1): number {
    const u1 = 1 - this.next(); // (0, 1]: log never sees 0
    const u2 = this.next();
    return mean + std * Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
  }

  /** Uniform integer in [0, n), exactly unbiased (rejection sampling). 1 ≤ n ≤ 2^32. */
  int(n: number): number {
    if (!Number.isInteger(n) || n < 1 || n > TWO_POW_32) {
      throw new RangeError(`int(n) needs an integer 1 <= n <= 2^32, got ${n}`);
    }
    // Accept only x below the largest multiple of n that fits in 2^32.
    const limit = TWO_POW_32 - (TWO_POW_32 % n);
    for (;;) {
      const x = this.nextUint32();
      if (x < limit) return x % n;
    }
  }

  /** Shuffle `arr` in place (Fisher–Yates, from the end) and return it. */
  shuffle<T>(arr: T[]): T[] {
    for (let i = arr.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const tmp = arr[i];
      arr[i] = arr[j];
      arr[j] = tmp;
    }
    return arr;
  }

  /** A uniformly random permutation of 0..n-1. */
  permutation(n: number): Int32Array {
    const p = new Int32Array(n);
    for (let i = 0; i < n; i++) p[i] = i;
    for (let i = n - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const tmp = p[i];
      p[i] = p[j];
      p[j] = tmp;
    }
    return p;
  }

  /**
   * k distinct integers from [0, n), uniformly, in random order (a partial Fisher–Yates on a
   * virtual array, O(k) time and memory). Used for architecture batches (spec §3.2).
   */
  sample(n: number, k: number): Int32Array {
    if (!Number.isInteger(k) || k < 0 || k > n) {
      throw new RangeError(`sample(n, k) needs 0 <= k <= n, got n=${n}, k=${k}`);
    }
    const swapped = new Map<number, number>();
    const out = new Int32Array(k);
    for (let i = 0; i < k; i++) {
      const j = i + this.int(n - i);
      const vi = swapped.get(i) ?? i;
      const vj = swapped.get(j) ?? j;
      out[i] = vj;
      swapped.set(j, vi);
    }
    return out;
  }

  /** The full generator state (four uint32); feed it to `setState` to resume exactly here. */
  getState(): number[] {
    return [this.a >>> 0, this.b >>> 0, this.c >>> 0, this.d >>> 0];
  }

  /** Restore a state from `getState`. */
  setState(state: readonly number[]): void {
    if (state.length !== 4 || state.some((v) => !Number.isInteger(v) || v < 0 || v >= TWO_POW_32)) {
      throw new RangeError(`Rng state must be four uint32 integers, got [${state.join(', ')}]`);
    }
    this.a = state[0] | 0;
    this.b = state[1] | 0;
    this.c = state[2] | 0;
    this.d = state[3] | 0;
  }

  /** An independent copy at the same position. */
  clone(): Rng {
    const r = new Rng(0);
    r.setState(this.getState());
    return r;
  }
}
