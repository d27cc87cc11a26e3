/// <reference lib="webworker" />
/**
 * The search worker: the only place tfjs runs in the browser. It wires `SearchRunner` (the loop)
 * to the real engine, the dataset and `postMessage`. Created by client.ts with
 * `new Worker(new URL('./search.worker.ts', import.meta.url), { type: 'module' })`.
 */
import * as tf from '@tensorflow/tfjs-core';
import { heapBytes } from '../engine/bench';
import { DartsSearch } from '../engine/search';
import { withDominantEigenvalue } from '../engine/diagnostics';
import { evaluateGenotype } from '../engine/evaluate';
import { parseCifarBatches } from '../data/user/cifarBinary';
import { loadImageFolder } from '../data/user/imageFolder';
import { browserDecode } from '../data/user/browserDecode';
import { UserDataError } from '../data/user/errors';
import type { LoadProgress } from '../data/types';
import { autosaveErrorText, writeAutosave } from './autosave';
import { activateBackend, probeBackends } from './backends';
import { rawCard, WorkerDatasets } from './datasets';
import type { Command, Reply } from './protocol';
import { SearchRunner } from './runner';

declare const self: DedicatedWorkerGlobalScope;

// A MessageChannel tick is a macrotask without setTimeout's 4 ms clamp: it lets queued messages
// (pause, step, reset) run between two steps at almost no cost.
const channel = new MessageChannel();
const waiting: (() => void)[] = [];
channel.port1.onmessage = () => waiting.shift()?.();
function yieldToQueue(): Promise<void> {
  return new Promise((resolve) => {
    waiting.push(resolve);
    channel.port2.postMessage(0);
  });
}

// Datasets live under the app's base URL (public/data, built by scripts/build-data.mjs).
const datasets = new WorkerDatasets(new URL(import.meta.env.BASE_URL, self.location.origin + '/').href);

const runner = new SearchRunner({
  post: (reply: Reply, transfer: Transferable[]) => self.postMessage(reply, transfer),
  createData: (config, dataset, onProgress) => datasets.create(config, dataset, (p) => onProgress({ dataset: dataset.name, ...p })),
  loadUserData: async (cmd, onProgress) => {
    const t0 = performance.now();
    const files = cmd.files.map((f) => ({ name: f.name, bytes: new Uint8Array(f.bytes) }));
    const progress = (p: LoadProgress) => onProgress({ dataset: 'upload', ...p });
    try {
      const r =
        cmd.kind === 'cifar10'
          ? parseCifarBatches(files, cmd.target, { onProgress: progress })
          : await loadImageFolder(
              files.map((f) => ({ path: f.name, bytes: f.bytes })),
              cmd.target,
              browserDecode,
              { onProgress: progress },
            );
      datasets.setUpload(r.set, r.note);
      return { card: rawCard(r.set, performance.now() - t0, r.note), problems: r.problems };
    } catch (e) {
      if (e instanceof UserDataError) return { card: null, problems: e.problems, error: e.message };
      throw e;
    }
  },
  evaluate: async (job, config, dataset, hooks) => {
    const data = await datasets.evalData(config, dataset, job);
    const net = { C: job.C, layers: job.layers, inChannels: config.inChannels, numClasses: config.numClasses, height: config.height, width: config.width, auxiliary: job.auxiliary };
    const r = await evaluateGenotype({ genotype: job.genotype, net, train: { epochs: job.epochs, batchSize: job.batchSize, seed: job.seed, dropPath: job.dropPath } }, data, {
      onStep: (s) => hooks.onStep({ step: s.step, totalSteps: s.totalSteps, epoch: s.epoch, loss: s.loss, acc: s.acc }),
      shouldStop: hooks.shouldStop,
      yieldEvery: hooks.yieldToQueue,
    });
    return { testAccuracy: r.testAccuracy, params: r.params, epochs: r.epochs, msPerEpoch: r.msPerEpoch, trainImages: data.trainSetSize, testImages: data.testSize, peakBytes: r.peakBytes };
  },
  createEngine: (config, data) => withDominantEigenvalue(DartsSearch.create(config, data)),
  engineFromState: (state, data) => withDominantEigenvalue(DartsSearch.fromState(state, data)),
  autosave: { write: writeAutosave, errorText: autosaveErrorText },
  memory: () => ({ numTensors: tf.memory().numTensors, numBytes: tf.memory().numBytes, heapBytes: heapBytes() }),
  initBackend: (override, onStatus) => probeBackends(override, onStatus),
  switchBackend: (name) => activateBackend(name),
  now: () => performance.now(),
  yieldToQueue,
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
});

self.onmessage = (e: MessageEvent<Command>) => runner.handle(e.data);
