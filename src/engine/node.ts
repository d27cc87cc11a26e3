/**
 * Node entry of the engine (tests, CLI). `@tensorflow/tfjs` registers the gradients and the cpu
 * backend on the shared tfjs-core instance; the wasm backend loads its binary from node_modules.
 */
import '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import * as tf from '@tensorflow/tfjs-core';
import { setBackendChecked } from './backend';

export async function initNodeBackend(name: 'cpu' | 'wasm'): Promise<void> {
  await setBackendChecked(name);
  // Silence the cpu backend's one-time "install tfjs-node" banner (we deliberately use pure JS / wasm).
  const b = tf.backend() as unknown as { firstUse?: boolean };
  if ('firstUse' in b) b.firstUse = false;
}
