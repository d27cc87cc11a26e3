/**
 * One "Train this cell" run, shared by the CLI and the worker: build the evaluation network of a
 * genotype, train it from scratch on the whole training set, score the held-out test set
 * (spec §4.4). `onStep` sees every batch; returning false from `shouldStop` ends the run early.
 */
import type { Genotype } from '../core/genotype';
import { measurePeakBytes } from './bench';
import type { EvalNetConfig } from './evalNetwork';
import { DEFAULT_EVAL_TRAIN, EvalTrainer, type EvalData, type EvalStepResult, type EvalTrainConfig } from './evalTrainer';

export interface EvaluationResult {
  testAccuracy: number;
  testLoss: number;
  /** Trainable parameters without the auxiliary head (as the reference logs them). */
  params: number;
  epochs: number;
  msPerEpoch: number;
  /** Per-epoch mean training loss / accuracy. */
  history: { epoch: number; trainLoss: number; trainAcc: number }[];
  /** Peak bytes of live tensors during training and testing (tfjs' own counter). */
  peakBytes: number;
}

export interface EvaluationRequest {
  genotype: Genotype;
  net: EvalNetConfig;
  train: Partial<EvalTrainConfig> & Pick<EvalTrainConfig, 'epochs' | 'batchSize' | 'seed'>;
}

/** Training batches used to re-estimate the BN statistics before testing. */
export const BN_RECALIBRATION_BATCHES = 20;

export interface EvaluateHooks {
  onStep?: (r: EvalStepResult) => void;
  shouldStop?: () => boolean;
  yieldEvery?: () => Promise<void>;
}

export async function evaluateGenotype(
  req: EvaluationRequest,
  data: EvalData,
  hooks: EvaluateHooks = {},
): Promise<EvaluationResult> {
  let result: Omit<EvaluationResult, 'peakBytes'> | undefined;
  const peakBytes = await measurePeakBytes(async () => {
    result = await train(req, data, hooks);
  });
  return { ...result!, peakBytes };
}

async function train(req: EvaluationRequest, data: EvalData, hooks: EvaluateHooks): Promise<Omit<EvaluationResult, 'peakBytes'>> {
  const t = new EvalTrainer(req.genotype, req.net, { ...DEFAULT_EVAL_TRAIN, ...req.train }, data);
  try {
    const history: EvaluationResult['history'] = [];
    let sumLoss = 0;
    let sumAcc = 0;
    let n = 0;
    const start = performance.now();
    while (!t.done) {
      if (hooks.shouldStop?.()) throw new EvaluationCancelled();
      const r = await t.step();
      sumLoss += r.loss;
      sumAcc += r.acc;
      n++;
      hooks.onStep?.(r);
      if (r.epochEnd) {
        history.push({ epoch: r.epoch, trainLoss: sumLoss / n, trainAcc: sumAcc / n });
        sumLoss = sumAcc = n = 0;
      }
      await hooks.yieldEvery?.();
    }
    const msPerEpoch = (performance.now() - start) / req.train.epochs;
    // BN statistics of the final weights (see EvalTrainer.recalibrateBn): up to 20 batches.
    await t.recalibrateBn(Math.min(BN_RECALIBRATION_BATCHES, t.stepsPerEpoch));
    const test = await t.test();
    return { testAccuracy: test.testAcc, testLoss: test.testLoss, params: t.paramCount, epochs: req.train.epochs, msPerEpoch, history };
  } finally {
    t.dispose();
  }
}

export class EvaluationCancelled extends Error {
  constructor() {
    super('the evaluation was stopped');
    this.name = 'EvaluationCancelled';
  }
}
