/**
 * Uniform-noise data with random labels, for benchmarks only: step time does not depend on the
 * pixel values, and the reference benchmarks time the supernet the same way.
 */
import { Rng } from '../core/rng';
import type { Batch, DataSource } from '../engine/types';

export class RandomDataSource implements DataSource {
  readonly name = 'random';
  readonly weightSetSize: number;
  private readonly rng: Rng;
  constructor(
    readonly height: number,
    readonly width: number,
    readonly channels: number,
    readonly numClasses: number,
    seed = 0,
    weightSetSize = 1024,
  ) {
    this.rng = new Rng(seed, 'random-data');
    this.weightSetSize = weightSetSize;
  }
  private batch(n: number): Batch {
    const x = new Float32Array(n * this.height * this.width * this.channels);
    for (let i = 0; i < x.length; i++) x[i] = this.rng.next() * 2 - 1;
    const y = new Int32Array(n);
    for (let i = 0; i < n; i++) y[i] = this.rng.int(this.numClasses);
    return { x, y, n };
  }
  nextWeightBatch(n: number): Batch {
    return this.batch(n);
  }
  randomArchBatch(n: number): Batch {
    return this.batch(n);
  }
}
