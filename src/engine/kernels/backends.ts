/**
 * Which custom kernels each backend gets:
 * - wasm: the AssemblyScript SIMD module (simd/) on the backend's own heap, and our JS kernels on
 *   heap views for anything it lacks (or everything, where SIMD cannot be instantiated);
 * - cpu: our JS kernels (register.ts);
 * - webgl: none: the stock-op composites of ops.ts.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { BackendName } from '../types';
import { JS_KERNELS } from './jsKernels';
import './ops'; // registers the gradients
import { registerJsKernels } from './register';
import { instantiateSimd, registerSimdKernels } from './simd/simdKernels';

export type KernelImpl = 'simd' | 'js' | 'composite';

const impl: Partial<Record<BackendName, KernelImpl>> = {};

/** Register our kernels for `name` (once per backend instance). */
export async function registerCustomKernels(name: BackendName): Promise<KernelImpl> {
  if (name === 'cpu') {
    registerJsKernels('cpu');
    return (impl.cpu = 'js');
  }
  if (name === 'wasm') {
    shareIdentityOnWasm();
    const simd = await instantiateSimd(tf.backend());
    const done = new Set(simd ? registerSimdKernels(simd) : []);
    registerJsKernels('wasm', done);
    return (impl.wasm = simd ? 'simd' : 'js');
  }
  return (impl[name] = 'composite');
}

/**
 * tfjs-wasm's Identity kernel copies its input, and tfjs runs Identity for every tensor a kernel
 * saves for its gradient (engine.saveTensorsForBackwardMode clones them): on a supernet step that
 * is ~1,800 copies of activation maps, which doubled the tape's memory and cost 5 % of the time.
 * Tensors are immutable, so the clone can share the data, as on the cpu backend: one more
 * reference to the same heap block (the wasm backend frees it at refCount 0).
 */
function shareIdentityOnWasm(): void {
  tf.unregisterKernel('Identity', 'wasm');
  tf.registerKernel({
    kernelName: 'Identity',
    backendName: 'wasm',
    kernelFunc: ({ inputs, backend }) => {
      const x = inputs.x!;
      (backend as unknown as { incRef(id: object): void }).incRef(x.dataId);
      return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
    },
  });
}

/** How the custom ops run on a backend (after registerCustomKernels). */
export function kernelImpl(name: BackendName): KernelImpl {
  return impl[name] ?? 'composite';
}

export const CUSTOM_KERNEL_NAMES = JS_KERNELS.map((k) => k.name);
