/**
 * Backend probing inside the worker (playground-anchors §6.7, browser-notes §3–§7).
 *
 * A backend is accepted only when `setBackend` really activates it AND a tiny mixed-op forward and
 * backward agrees with the cpu backend within 1e-3: WebGPU on SwiftShader was seen returning wrong
 * numbers for some formulations, and tfjs silently falls back to another backend when one fails.
 */
import * as tf from '@tensorflow/tfjs-core';
// tfjs-core alone registers no gradients (browser-notes §4.6).
import '@tensorflow/tfjs-core/dist/register_all_gradients';
// …nor the chained ops (`t.reshape(...)`, `t.toFloat()`), which the engine uses.
import '@tensorflow/tfjs-core/dist/public/chained_ops/register_all_chained_ops';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-webgl';
import '@tensorflow/tfjs-backend-webgpu';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
// Vite emits the binaries as hashed same-origin assets; no CDN, no COOP/COEP, no threads (§7).
import wasmPlain from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmSimd from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
// setWasmPaths insists on an entry for every binary; this one is emitted but never fetched.
import wasmThreaded from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';
import { selfCheckAgainstCpu, setBackendChecked } from '../engine/backend';
import type { BackendName } from '../engine/types';
import { BACKEND_ORDER } from './protocol';

// At import time, before anything can touch tfjs: when a backend fails, tfjs may initialise every
// registered backend on its own (wasm included), and wasm can only be initialised once.
// No threads: without cross-origin isolation they could not run anyway (browser-notes §7).
tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
setWasmPaths({
  'tfjs-backend-wasm.wasm': wasmPlain,
  'tfjs-backend-wasm-simd.wasm': wasmSimd,
  'tfjs-backend-wasm-threaded-simd.wasm': wasmThreaded,
});

interface GpuAdapterLike {
  isFallbackAdapter?: boolean;
  info?: { isFallbackAdapter?: boolean; architecture?: string; vendor?: string; description?: string };
}

interface GpuNavigator {
  gpu?: { requestAdapter(): Promise<GpuAdapterLike | null> };
}

/**
 * Why an auto-probed GPU backend would be a software renderer (SwiftShader, llvmpipe), or null.
 * Those run 7–16× slower than wasm (browser-notes §9), so the probe skips them; an explicit
 * `?backend=` or the selector still uses them.
 */
async function softwareRenderer(name: BackendName): Promise<string | null> {
  if (name === 'webgpu') {
    const adapter = await (navigator as unknown as GpuNavigator).gpu?.requestAdapter().catch(() => null);
    if (!adapter) return null; // precheck reports this
    const info = adapter.info ?? {};
    if (adapter.isFallbackAdapter || info.isFallbackAdapter || /swiftshader/i.test(info.architecture ?? '')) {
      return `only a software WebGPU adapter (${info.vendor || '?'} ${info.architecture || 'fallback'}) is available, slower than wasm`;
    }
    return null;
  }
  if (name === 'webgl' && typeof OffscreenCanvas !== 'undefined') {
    const gl = new OffscreenCanvas(1, 1).getContext('webgl2');
    if (!gl) return null;
    const debug = gl.getExtension('WEBGL_debug_renderer_info');
    const renderer = String(gl.getParameter(debug ? debug.UNMASKED_RENDERER_WEBGL : gl.RENDERER) ?? '');
    gl.getExtension('WEBGL_lose_context')?.loseContext();
    if (/swiftshader|llvmpipe|softpipe|software/i.test(renderer)) {
      const what = /swiftshader/i.test(renderer) ? 'SwiftShader' : /llvmpipe/i.test(renderer) ? 'llvmpipe' : renderer.slice(0, 40);
      return `WebGL runs on a software renderer (${what}), slower than wasm`;
    }
  }
  return null;
}

/** Why a backend cannot even be tried here, or null when it is worth a try. */
async function precheck(name: BackendName): Promise<string | null> {
  if (name === 'webgpu') {
    const gpu = (navigator as unknown as GpuNavigator).gpu;
    if (!gpu) return 'this browser exposes no WebGPU (navigator.gpu is missing)';
    const adapter = await gpu.requestAdapter().catch(() => null);
    if (!adapter) return 'WebGPU is present but no adapter is available';
  }
  if (name === 'webgl' && typeof OffscreenCanvas === 'undefined') {
    return 'WebGL in a worker needs OffscreenCanvas, which this browser lacks';
  }
  return null;
}

/** Activate `name` and check its numbers against cpu, or throw with a reason. */
export async function activateBackend(name: BackendName, onStatus?: (message: string) => void): Promise<void> {
  const why = await precheck(name);
  if (why) throw new Error(why);
  await setBackendChecked(name);
  if (name === 'cpu') return; // the reference itself
  onStatus?.(`Checking ${name} against cpu (one mixed-op step on both)…`);
  const check = await selfCheckAgainstCpu();
  if (!check.ok) {
    throw new Error(
      `its numbers disagree with the cpu backend (max |Δ| = ${check.maxAbsDiff.toExponential(2)} > 1e-3 on a mixed-op step)`,
    );
  }
}

/**
 * Try `override` first (if any), then webgpu → webgl → wasm → cpu. Without an override, software
 * GPU renderers are skipped. Returns the backend in use and one human-readable line per backend
 * that was skipped.
 */
export async function probeBackends(
  override?: BackendName,
  onStatus?: (message: string) => void,
): Promise<{ backend: BackendName; fallbackReasons: string[] }> {
  const order = override ? [override, ...BACKEND_ORDER.filter((b) => b !== override)] : [...BACKEND_ORDER];
  const fallbackReasons: string[] = [];
  for (const [i, name] of order.entries()) {
    // The probe can take seconds (a GPU adapter, a wasm compile, the self-check): say which step it is on.
    onStatus?.(`Starting the ${name} backend (${i + 1} of ${order.length}: ${order.join(' → ')})…`);
    if (!override && (name === 'webgpu' || name === 'webgl')) {
      const slow = await softwareRenderer(name).catch(() => null);
      if (slow) {
        fallbackReasons.push(`${name}: ${slow}`);
        continue;
      }
    }
    try {
      await activateBackend(name, onStatus);
      return { backend: name, fallbackReasons };
    } catch (e) {
      fallbackReasons.push(`${name}: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  throw new Error(fallbackReasons.join('; '));
}
