/**
 * Registers the custom kernels (jsKernels.ts) with tfjs for the cpu and the wasm backend.
 *
 * - cpu: inputs are the backend's own Float32Arrays; outputs are new arrays handed to the backend.
 * - wasm: inputs and outputs are Float32Array views of the wasm heap (no copies). Outputs are
 *   allocated first, because an allocation can grow the heap and detach earlier views.
 *
 * Gradients are registered once per kernel (they are backend-independent: ops.ts).
 */
import * as tf from '@tensorflow/tfjs-core';
import type { KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { JS_KERNELS, type JsKernel } from './jsKernels';

interface CpuBackendLike {
  data: { get(id: object): { values: Float32Array } };
  makeTensorInfo(shape: number[], dtype: 'float32', values: Float32Array): TensorInfo;
}

interface WasmBackendLike {
  makeOutput(shape: number[], dtype: 'float32'): TensorInfo;
  typedArrayFromHeap(t: TensorInfo): Float32Array;
}

const size = (s: readonly number[]) => s.reduce((a, b) => a * b, 1);

function checkFloat(k: JsKernel, ts: TensorInfo[]): void {
  for (const t of ts) if (t.dtype !== 'float32') throw new Error(`${k.name} takes float32 tensors, got ${t.dtype}`);
}

function cpuKernel(k: JsKernel): KernelFunc {
  return ({ inputs, attrs, backend }) => {
    const b = backend as CpuBackendLike;
    const infos = k.inputs(inputs);
    checkFloat(k, infos);
    const ins = infos.map((t) => b.data.get(t.dataId).values);
    const shapes = k.shapes(infos, attrs ?? {});
    const outs = shapes.map((s) => new Float32Array(size(s)));
    k.run(ins, outs, infos, attrs ?? {});
    const res = outs.map((v, i) => b.makeTensorInfo(shapes[i], 'float32', v));
    return res.length === 1 ? res[0] : res;
  };
}

function wasmKernel(k: JsKernel): KernelFunc {
  return ({ inputs, attrs, backend }) => {
    const b = backend as WasmBackendLike;
    const infos = k.inputs(inputs);
    checkFloat(k, infos);
    const shapes = k.shapes(infos, attrs ?? {});
    const res = shapes.map((s) => b.makeOutput(s, 'float32'));
    // Views only after every allocation (a heap growth detaches older views).
    const ins = infos.map((t) => b.typedArrayFromHeap(t));
    const outs = res.map((t) => b.typedArrayFromHeap(t));
    k.run(ins, outs, infos, attrs ?? {});
    return res.length === 1 ? res[0] : res;
  };
}

/**
 * Register the JS kernels for `backendName` ('cpu' or 'wasm'), except those in `skip` (which have
 * a faster implementation). Re-registering replaces the previous kernel functions, so a backend
 * re-created by tfjs (its kernels close over nothing) keeps working.
 */
export function registerJsKernels(backendName: 'cpu' | 'wasm', skip: ReadonlySet<string> = new Set()): void {
  for (const k of JS_KERNELS) {
    if (skip.has(k.name)) continue;
    if (tf.getKernel(k.name, backendName)) tf.unregisterKernel(k.name, backendName);
    tf.registerKernel({ kernelName: k.name, backendName, kernelFunc: backendName === 'cpu' ? cpuKernel(k) : wasmKernel(k) });
  }
}
