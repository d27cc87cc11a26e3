/**
 * The worker's dataset registry on the real packaged MNIST (served by a fake fetch from
 * public/data): the search source is split at the config's size, the card has samples of every
 * class, evaluation data uses the whole training set, and uploads / unknown tasks are explained.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, type SearchConfig } from '../core/config';
import { clearBuiltinMemo } from '../data/builtinLoader';
import { classSamples, WorkerDatasets } from './datasets';

const fakeFetch = (async (url: string | URL) => {
  const file = String(url).split('/').pop()!;
  const path = join(process.cwd(), 'public', 'data', file);
  if (!existsSync(path)) return new Response('not found', { status: 404 });
  const bytes = readFileSync(path);
  return new Response(bytes, { headers: { 'content-length': String(bytes.length) } });
}) as typeof fetch;

const CONFIG: SearchConfig = { ...DEFAULT_CONFIG, height: 16, width: 16, inChannels: 1, numClasses: 10, seed: 3 };

describe('WorkerDatasets', () => {
  beforeAll(() => clearBuiltinMemo());

  it('loads MNIST with progress, resizes to the config and builds a card with every class', async () => {
    const ds = new WorkerDatasets('http://x/', fakeFetch);
    const phases = new Set<string>();
    const { source, card } = await ds.create(CONFIG, { name: 'mnist' }, (p) => phases.add(p.phase));
    expect(phases.has('download')).toBe(true);
    expect([source.height, source.width, source.channels, source.numClasses]).toEqual([16, 16, 1, 10]);
    expect(source.weightSetSize).toBe(Math.floor(card.trainCount / 2));
    expect(card).toMatchObject({ id: 'mnist', height: 28, width: 28, channels: 1 });
    expect(card.classNames).toHaveLength(10);
    expect(card.samples).toHaveLength(40);
    expect(new Set(card.samples.map((s) => s.label)).size).toBe(10);
    expect(card.samples[0].pixels).toHaveLength(28 * 28);
    expect(card.license).toMatch(/MIT/);
  });

  it('evaluation data covers the whole training set, or its first N images', async () => {
    const ds = new WorkerDatasets('http://x/', fakeFetch);
    const all = await ds.evalData(CONFIG, { name: 'mnist' }, {});
    const some = await ds.evalData(CONFIG, { name: 'mnist' }, { trainSize: 500, testSize: 100 });
    expect(all.trainSetSize).toBeGreaterThan(7000);
    expect([some.trainSetSize, some.testSize]).toEqual([500, 100]);
    expect(some.nextTrainBatch(32).n).toBe(32);
  });

  it('explains a missing upload and an unknown task, and refuses a class-count mismatch', async () => {
    const ds = new WorkerDatasets('http://x/', fakeFetch);
    await expect(ds.create(CONFIG, { name: 'upload' }, () => undefined)).rejects.toThrow(/no files are loaded yet/);
    await expect(ds.create(CONFIG, { name: 'task', id: 'nope' }, () => undefined)).rejects.toThrow(/no teaching task 'nope'/);
    await expect(ds.create({ ...CONFIG, numClasses: 4 }, { name: 'mnist' }, () => undefined)).rejects.toThrow(/10 classes/);
  });

  it('classSamples takes the first images of each class in label order', () => {
    const set = {
      height: 1,
      width: 1,
      channels: 1,
      numClasses: 2,
      train: { n: 5, x: Uint8Array.from([10, 20, 30, 40, 50]), y: Uint8Array.from([1, 0, 1, 1, 0]) },
    };
    const s = classSamples(set as never, 2);
    expect(s.map((x) => [x.label, x.pixels[0]])).toEqual([
      [0, 20],
      [0, 50],
      [1, 10],
      [1, 30],
    ]);
  });
});
