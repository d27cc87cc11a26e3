/**
 * Synthetic teaching tasks: small image-classification problems generated from a seed (in the
 * worker, at the search's input size), each built so that one known kind of op should win the
 * architecture search. They produce the same `RawImageSet` as every other dataset.
 *
 *   task-texture     Fine "wallpaper" textures that repeat every 3 pixels. Every 3×3 window of
 *                    every class is plain random noise, so the 3×3 stem plus parameter-free ops
 *                    (pool, skip) cannot tell the classes apart; one more 3×3 conv on top of the
 *                    stem (a 5×5 view) compares pixels 3 apart and solves it.
 *   task-long-range  The same idea at half the image: the right half copies the left half
 *                    and/or the bottom half copies the top. Pixels ⌊W/2⌋ apart must be compared,
 *                    which needs a large receptive field: dilated / 5×5 convs, not 3×3 convs.
 *   task-pool        Sparse bright specks whose brightness is the class. No shape or arrangement
 *                    matters, so parameter-free ops (max pool, skip) already carry everything
 *                    the final global average needs.
 *
 * `tasks.test.ts` trains single-op networks with the real engine on each task and checks that
 * the intended op solves it on the held-out test split (and, where meaningful, that a
 * contrasting op trained identically does not).
 *
 * All randomness comes from `Rng`: the training and the test split are drawn from two streams of
 * the seed, labels are balanced (n·k/K of each class, exactly when K divides n) and shuffled.
 * Pixels are uint8 around a mid-grey of 128; RGB images get a random per-image tint that carries
 * no label information.
 */
import type { OpName } from '../core/primitives';
import { Rng } from '../core/rng';
import type { ImageSplit, RawImageSet } from './types';

export type TeachingTaskId = 'task-texture' | 'task-long-range' | 'task-pool';

export interface TeachingTask {
  id: TeachingTaskId;
  /** Short display name. */
  name: string;
  /** One sentence for menus. */
  summary: string;
  /** 2–4 sentences for students: what the images look like, why the intended ops win, what α should favour. */
  explanation: string;
  /** The ops DARTS should favour on this task (softmax(α) should grow for these). */
  expectedOps: OpName[];
  classNames: string[];
  /** Whether a horizontal flip keeps the label (true for all three tasks). */
  flipSafe: boolean;
}

export interface TaskOptions {
  /** Image height and width in pixels, integers ≥ 8. Default 16 × 16. */
  height?: number;
  width?: number;
  /** 1 (grayscale) or 3 (RGB). Default 1. */
  channels?: number;
  seed: number;
  /** Training images (the search splits them into weight and architecture halves). Default 2048. */
  trainSize?: number;
  /** Held-out test images. Default 512. */
  testSize?: number;
}

export const TEACHING_TASKS: readonly TeachingTask[] = [
  {
    id: 'task-texture',
    name: 'Fine textures (3×3 conv)',
    summary: 'Noise textures that repeat every 3 pixels across, down, both ways or not at all: a 3×3 conv on top of the stem sees the repeat, pooling does not.',
    explanation:
      'Each image is black-and-white pixel noise; in three of the classes the noise repeats every 3 pixels (across, down, or both ways, like a tiled wallpaper). ' +
      'Any 3×3 window looks like plain random noise in every class, so the stem and parameter-free ops (skip, pools) cannot see the difference: ' +
      'the network has to compare pixels 3 apart, which one 3×3 conv on top of the stem (a 5×5 view) does with few weights. ' +
      'α should favour the convs over skip and pooling; a 3×3 conv is already enough (larger convs can do the same job).',
    expectedOps: ['conv_3x3', 'sep_conv_3x3'],
    classNames: ['random', 'repeats across', 'repeats down', 'repeats both ways'],
    flipSafe: true,
  },
  {
    id: 'task-long-range',
    name: 'Copied halves (large receptive field)',
    summary: 'Noise images whose right half copies the left half, bottom copies top, both or neither: only a large receptive field can compare pixels half an image apart.',
    explanation:
      'Each image is pixel noise in which the right half may be an exact copy of the left half, the bottom half a copy of the top half, both (four equal quadrants) or neither. ' +
      'To notice a copy, one unit must see two pixels half the image width apart; nothing smaller gives a hint, because every small window is random noise. ' +
      'A 3×3 conv grows the view by only 2 pixels per layer, while a dilated 5×5 conv grows it by 8 (and a 5×5 or separable 5×5 conv by 4 or 8) at a similar cost, ' +
      'so α should favour dil_conv_5x5 and the 5×5 convs over the 3×3 convs. Best at 12×12 pixels or more.',
    expectedOps: ['dil_conv_5x5', 'sep_conv_5x5', 'conv_5x5'],
    classNames: ['no copy', 'left = right', 'top = bottom', 'four equal quadrants'],
    flipSafe: true,
  },
  {
    id: 'task-pool',
    name: 'Speck brightness (pool / skip)',
    summary: 'A dark background with sparse bright specks; the class is how bright the specks are, which needs no learned filter at all.',
    explanation:
      'Each image is a dark, slightly noisy background sprinkled with single bright specks (about one pixel in ten); the class is how bright the specks are, from dim to very bright. ' +
      'No shape or arrangement matters: the stem already marks the specks, a max pool keeps the brightest value of each window, a skip passes everything on, ' +
      'and the global average at the end measures the brightness. Parameter-free ops are useful from the first step while convs still have to learn their weights, ' +
      'so α should move towards max pool, the op built for "the brightest value here"; skip and avg pool suffice too, and no conv is needed.',
    expectedOps: ['max_pool_3x3', 'skip_connect', 'avg_pool_3x3'],
    classNames: ['dim specks', 'medium specks', 'bright specks', 'very bright specks'],
    flipSafe: true,
  },
];

export function isTeachingTaskId(s: string): s is TeachingTaskId {
  return TEACHING_TASKS.some((t) => t.id === s);
}

/** The metadata of a task. @throws RangeError for an unknown id, listing the known ones */
export function getTeachingTask(id: string): TeachingTask {
  const t = TEACHING_TASKS.find((x) => x.id === id);
  if (!t) throw new RangeError(`unknown teaching task '${id}'; known: ${TEACHING_TASKS.map((x) => x.id).join(', ')}`);
  return t;
}

/**
 * Draws one image of class `c` into `img` (H·W floats, row-major). Values are in "signal units":
 * 0 is mid-grey, ±1 is the pattern amplitude; `toUint8` maps them to 128 + 48·v.
 */
type Renderer = (img: Float32Array, H: number, W: number, c: number, rng: Rng) => void;

/** Texture period in pixels (task-texture). 3 is the largest period whose 3×3 windows are pure noise. */
const TEXTURE_PERIOD = 3;
/** Pixel-noise std of the repeating-noise tasks (relative to the ±0.7…1 pattern amplitude). */
const TEXTURE_NOISE = 0.4;
const LONG_RANGE_NOISE = 0.2;
/** task-pool: one speck per SPECK_AREA pixels, background at −1, speck level −1 + 0.8·(c+1) ± 0.2. */
const SPECK_AREA = 10;
const SPECK_STEP = 0.8;
const SPECK_JITTER = 0.2;
const SPECK_NOISE = 0.25;

/**
 * Random ±1 noise that repeats with period px across (x) and py down (y); a period equal to the
 * image size means "no repeat" along that axis. Every value then gets pixel noise.
 */
function repeatingNoise(img: Float32Array, H: number, W: number, px: number, py: number, noise: number, rng: Rng): void {
  const amp = rng.uniform(0.7, 1);
  const tile = new Float32Array(px * py);
  for (let i = 0; i < tile.length; i++) tile[i] = rng.int(2) === 1 ? amp : -amp;
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) img[y * W + x] = tile[(y % py) * px + (x % px)] + noise * rng.normal();
  }
}

/** Class c of a repeating task: 0 none, 1 across, 2 down, 3 both. */
function repeatingTask(period: (size: number) => number, noise: number): Renderer {
  return (img, H, W, c, rng) => {
    const px = c === 1 || c === 3 ? period(W) : W;
    const py = c === 2 || c === 3 ? period(H) : H;
    repeatingNoise(img, H, W, px, py, noise, rng);
  };
}

const RENDERERS: Record<TeachingTaskId, Renderer> = {
  'task-texture': repeatingTask(() => TEXTURE_PERIOD, TEXTURE_NOISE),
  // The copy sits half the image away: x(i, j) = x(i, j + ⌊W/2⌋).
  'task-long-range': repeatingTask((size) => Math.floor(size / 2), LONG_RANGE_NOISE),
  'task-pool': (img, H, W, c, rng) => {
    for (let i = 0; i < img.length; i++) img[i] = -1 + SPECK_NOISE * rng.normal();
    const level = -1 + SPECK_STEP * (c + 1);
    const n = Math.max(2, Math.round((H * W) / SPECK_AREA));
    for (const i of rng.sample(H * W, n)) img[i] = level + SPECK_JITTER * rng.uniform(-1, 1) + SPECK_NOISE * rng.normal();
  },
};

function toUint8(v: number): number {
  const p = Math.round(128 + 48 * v);
  return p < 0 ? 0 : p > 255 ? 255 : p;
}

function generateSplit(render: Renderer, numClasses: number, n: number, H: number, W: number, C: number, rng: Rng): ImageSplit {
  const labels = Array.from({ length: n }, (_, i) => i % numClasses);
  rng.shuffle(labels);
  const x = new Uint8Array(n * H * W * C);
  const img = new Float32Array(H * W);
  const gain = new Float32Array(C);
  for (let i = 0; i < n; i++) {
    render(img, H, W, labels[i], rng);
    // RGB: a random tint per image (contrast per channel), independent of the class.
    for (let ch = 0; ch < C; ch++) gain[ch] = C === 1 ? 1 : rng.uniform(0.8, 1.2);
    const base = i * H * W * C;
    for (let p = 0; p < H * W; p++) {
      for (let ch = 0; ch < C; ch++) x[base + p * C + ch] = toUint8(gain[ch] * img[p]);
    }
  }
  return { n, x, y: Uint8Array.from(labels) };
}

function checkInt(name: string, v: number, min: number): void {
  if (!Number.isInteger(v) || v < min) throw new RangeError(`teaching task: ${name} must be an integer >= ${min}, got ${v}`);
}

/**
 * Generate a teaching task at the given size from a seed. Same options → identical bytes.
 * @throws RangeError for an unknown id, a size below 8, channels other than 1 or 3, or empty splits
 */
/** A task at a search config's input size and channels, from its seed (the worker and the CLI both use this). */
export function generateTaskForConfig(id: TeachingTaskId, config: { height: number; width: number; inChannels: number; seed: number }): RawImageSet {
  return generateTask(id, { height: config.height, width: config.width, channels: config.inChannels, seed: config.seed });
}

export function generateTask(id: TeachingTaskId, opts: TaskOptions): RawImageSet {
  const task = getTeachingTask(id);
  const { height = 16, width = 16, channels = 1, seed, trainSize = 2048, testSize = 512 } = opts;
  checkInt('height', height, 8);
  checkInt('width', width, 8);
  if (channels !== 1 && channels !== 3) throw new RangeError(`teaching task: channels must be 1 or 3, got ${channels}`);
  checkInt('trainSize', trainSize, 1);
  checkInt('testSize', testSize, 1);
  if (!Number.isFinite(seed)) throw new RangeError(`teaching task: seed must be a finite number, got ${seed}`);
  const render = RENDERERS[task.id];
  const K = task.classNames.length;
  return {
    id: task.id,
    name: task.name,
    height,
    width,
    channels,
    numClasses: K,
    classNames: [...task.classNames],
    train: generateSplit(render, K, trainSize, height, width, channels, new Rng(seed, `${task.id}/train`)),
    test: generateSplit(render, K, testSize, height, width, channels, new Rng(seed, `${task.id}/test`)),
    source: 'Generated in your browser from the seed',
    license: 'Synthetic; no license needed',
    flipSafe: task.flipSafe,
  };
}
