/**
 * `darts evaluate`: train a genotype's evaluation network from scratch (spec §4.4) on MNIST or
 * Fashion-MNIST and report its held-out test accuracy, optionally against K random genotypes of
 * the same search space trained the same way (the paper's random baseline).
 */
import { readFileSync } from 'node:fs';
import { parseGenotypeAny, type Genotype } from '../core/genotype';
import { DARTS_V1, DARTS_V2 } from '../core/genotypes';
import { evalNetworkParamCount } from '../core/params';
import { PRIMITIVES } from '../core/primitives';
import { randomBaseline } from '../core/randomGenotype';
import { DEFAULT_EVAL_SIZE } from '../core/evalSizes';
import { backendArg, choiceArg, HELP_OPTION, intArg, parseCommandArgs, str, UsageError, type OptionSpecs } from './args';
import { formatJson, type CommandIO } from './io';
import { ProgressBar } from './progress';

export const EVALUATE_OPTIONS = {
  genotype: { type: 'string' },
  dataset: { type: 'string' },
  epochs: { type: 'string' },
  C: { type: 'string' },
  layers: { type: 'string' },
  seed: { type: 'string' },
  size: { type: 'string' },
  batch: { type: 'string' },
  'train-size': { type: 'string' },
  'test-size': { type: 'string' },
  random: { type: 'string' },
  'params-only': { type: 'boolean' },
  auxiliary: { type: 'boolean' },
  'drop-path': { type: 'string' },
  backend: { type: 'string' },
  quiet: { type: 'boolean', short: 'q' },
  ...HELP_OPTION,
} as const satisfies OptionSpecs;

const DATASETS = ['mnist', 'fashion-mnist'] as const;

export const EVALUATE_USAGE = `usage: darts evaluate --genotype g.json|DARTS_V1|DARTS_V2 [--dataset mnist|fashion-mnist]
                      [--epochs E] [--C N] [--layers N] [--seed S] [--random K] [--params-only]
                      [--size N] [--batch N] [--train-size N] [--test-size N] [--auxiliary]
                      [--drop-path P] [--backend cpu|wasm] [-q]

Builds the discrete evaluation network of a genotype (NetworkCIFAR, spec §4.4: no MixedOp,
affine BN, no BN after pools), trains it from scratch on the dataset's training set with the
reference recipe (SGD lr 0.025 cosine to 0, momentum 0.9, weight decay 3e-4, clip 5) and scores
the held-out test set. Prints {testAccuracy, params, epochs, msPerEpoch} as JSON.
  --genotype G    a genotype JSON file, a file with the reference repr Genotype(...), or the
                  name DARTS_V1 / DARTS_V2
  --dataset D     mnist (default) or fashion-mnist, from public/data (npm run data)
  --epochs E      epochs over the training set (default ${DEFAULT_EVAL_SIZE.epochs})
  --C N --layers N  initial channels and cells (default ${DEFAULT_EVAL_SIZE.C} and ${DEFAULT_EVAL_SIZE.layers}, the app's quick size)
  --size N        input size; images are resized (default 28, the native size)
  --batch N       batch size (default ${DEFAULT_EVAL_SIZE.batchSize})
  --train-size N  use the first N training images (default all); --test-size N likewise
  --random K      also train K random genotypes of the same space (8 reference ops, same node
                  count) the same way, and report their accuracies: the paper's random baseline
  --params-only   print {params} without training
  --auxiliary     add the auxiliary head (loss weight 0.4); needs a map of at least 5×5 there
  --drop-path P   maximum drop-path probability (reference 0.2; default 0)
  --seed S        seed of the weights, batches and random genotypes (default 0)`;

const NAMED: Record<string, Genotype> = { DARTS_V1, DARTS_V2, DARTS: DARTS_V2 };

function readGenotype(arg: string): Genotype {
  if (arg in NAMED) return NAMED[arg];
  let text: string;
  try {
    text = readFileSync(arg, 'utf8');
  } catch (e) {
    throw new UsageError(`--genotype '${arg}' cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}); give a file or DARTS_V1 / DARTS_V2`, 'evaluate');
  }
  const r = parseGenotypeAny(text);
  if (!r.ok) throw new UsageError(`--genotype '${arg}' is not a valid genotype:\n  ${r.errors.join('\n  ')}`, 'evaluate');
  return r.genotype;
}

export async function evaluateCommand(args: string[], io: CommandIO): Promise<number> {
  const v = parseCommandArgs('evaluate', args, EVALUATE_OPTIONS);
  if (v.help) {
    io.out(EVALUATE_USAGE + '\n');
    return 0;
  }
  const g = str(v, 'genotype');
  if (g === undefined) throw new UsageError('--genotype g.json (or DARTS_V1 / DARTS_V2) is required', 'evaluate');
  const genotype = readGenotype(g);
  const dataset = choiceArg(v, 'dataset', DATASETS, 'evaluate') ?? 'mnist';
  const C = intArg(v, 'C', 'evaluate', { min: 1, max: 256 }) ?? DEFAULT_EVAL_SIZE.C;
  const layers = intArg(v, 'layers', 'evaluate', { min: 1, max: 40 }) ?? DEFAULT_EVAL_SIZE.layers;
  const epochs = intArg(v, 'epochs', 'evaluate', { min: 1, max: 10_000 }) ?? DEFAULT_EVAL_SIZE.epochs;
  const seed = intArg(v, 'seed', 'evaluate', { min: 0 }) ?? 0;
  const size = intArg(v, 'size', 'evaluate', { min: 4, max: 256 }) ?? 28;
  const batchSize = intArg(v, 'batch', 'evaluate', { min: 1, max: 4096 }) ?? DEFAULT_EVAL_SIZE.batchSize;
  const trainSize = intArg(v, 'train-size', 'evaluate', { min: 2 });
  const testSize = intArg(v, 'test-size', 'evaluate', { min: 1 });
  const randomK = intArg(v, 'random', 'evaluate', { min: 0, max: 100 }) ?? 0;
  const auxiliary = v.auxiliary === true;
  const dropRaw = str(v, 'drop-path');
  const dropPath = dropRaw === undefined ? 0 : Number(dropRaw);
  if (!(dropPath >= 0 && dropPath < 1)) throw new UsageError(`--drop-path must be in [0, 1), got '${dropRaw}'`, 'evaluate');
  const net = { C, layers, inChannels: 1, numClasses: 10, height: size, width: size, auxiliary };

  if (auxiliary) {
    const { auxiliaryPlacement } = await import('../engine/evalNetwork');
    const place = auxiliaryPlacement(net);
    if ('error' in place) throw new UsageError(`--auxiliary: ${place.error}`, 'evaluate');
  }
  if (v['params-only']) {
    io.out(formatJson({ params: evalNetworkParamCount(genotype, net) }) + '\n');
    return 0;
  }

  const { initNodeBackend } = await import('../engine/node');
  const { loadBuiltinNode } = await import('../data/nodeLoader');
  const { ImageDataset } = await import('../data/imageDataset');
  const { evaluateGenotype } = await import('../engine/evaluate');
  await initNodeBackend(backendArg(v, 'evaluate') ?? 'wasm');
  const raw = loadBuiltinNode(dataset);
  const quiet = v.quiet === true;

  const candidates = [
    { label: 'genotype', genotype },
    ...randomBaseline(genotype, randomK, PRIMITIVES, seed).map((g, k) => ({ label: `random ${k + 1}/${randomK}`, genotype: g })),
  ];
  const results = [];
  for (const cand of candidates) {
    // The same data order and initialisation seed for every candidate: only the cell differs.
    const data = new ImageDataset(raw, { height: size, width: size, channels: 1, seed, trainSize, testSize });
    const bar = quiet ? null : new ProgressBar(io, Math.ceil(data.trainSetSize / batchSize) * epochs, `${cand.label} (${dataset})`);
    const r = await evaluateGenotype({ genotype: cand.genotype, net, train: { epochs, batchSize, seed, dropPath } }, data, {
      onStep: (s) => bar?.update(s.step, `loss ${s.loss.toFixed(3)} acc ${s.acc.toFixed(3)} ep ${s.epoch + 1}/${epochs}`),
    });
    bar?.finish();
    if (!quiet) io.err(`${cand.label}: test accuracy ${(100 * r.testAccuracy).toFixed(2)}% (${r.params.toLocaleString('en-US')} params)\n`);
    results.push({ ...cand, ...r, trainImages: data.trainSetSize, testImages: data.testSize });
  }
  const [main, ...random] = results;
  const accs = random.map((r) => r.testAccuracy);
  const summary = {
    testAccuracy: main.testAccuracy,
    params: main.params,
    epochs,
    msPerEpoch: Math.round(main.msPerEpoch),
    peakMB: Math.round(main.peakBytes / 1e5) / 10,
    dataset,
    C,
    layers,
    size,
    seed,
    trainImages: main.trainImages,
    testImages: main.testImages,
    ...(randomK > 0
      ? {
          random: random.map((r) => ({ testAccuracy: r.testAccuracy, params: r.params, genotype: r.genotype })),
          randomMean: accs.reduce((a, b) => a + b, 0) / accs.length,
          beatsRandom: accs.filter((a) => main.testAccuracy > a).length,
        }
      : {}),
  };
  io.out(formatJson(summary) + '\n');
  return 0;
}
