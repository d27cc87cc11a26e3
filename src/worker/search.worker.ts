/// <reference lib="webworker" />
/**
 * The search worker: the only place tfjs runs in the browser. It wires `SearchRunner` (the loop)
 * to the real engine, the dataset and `postMessage`. Created by client.ts with
 * `new Worker(new URL('./search.worker.ts', import.meta.url), { type: 'module' })`.
 */
import { DartsSearch } from '../engine/search';
import { syntheticForConfig } from '../data/synthetic';
import { activateBackend, probeBackends } from './backends';
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

const runner = new SearchRunner({
  post: (reply: Reply, transfer: Transferable[]) => self.postMessage(reply, transfer),
  createData: (config) => syntheticForConfig(config),
  createEngine: (config, data) => DartsSearch.create(config, data),
  engineFromState: (state, data) => DartsSearch.fromState(state, data),
  initBackend: (override) => probeBackends(override),
  switchBackend: (name) => activateBackend(name),
  now: () => performance.now(),
  yieldToQueue,
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
});

self.onmessage = (e: MessageEvent<Command>) => runner.handle(e.data);
