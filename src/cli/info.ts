/**
 * `darts info`: the shape of the supernet a config describes. Pure bookkeeping from src/core;
 * tfjs is not loaded.
 */
import type { SearchConfig } from '../core/config';
import { estimateStepBytes } from '../core/memory';
import { supernetParams } from '../core/params';
import { networkPlan, numEdges } from '../core/searchSpace';
import { CONFIG_OPTIONS, HELP_OPTION, parseCommandArgs, type OptionSpecs } from './args';
import { resolveConfig } from './configArgs';
import { formatJson, type CommandIO } from './io';

export const INFO_OPTIONS = {
  ...CONFIG_OPTIONS,
  order: { type: 'string' },
  method: { type: 'string' },
  ...HELP_OPTION,
} as const satisfies OptionSpecs;

export const INFO_USAGE = `usage: darts info [--preset NAME | --config cfg.json] [config flags] [--order 1|2] [--method M]

Prints the supernet a config describes, as JSON: paramCount, alphaShape ([edges, ops] per cell
type), reductionCells, per-cell channels and spatial sizes, and estimatedPeakBytes of one step
(second-order steps need more memory, so --order changes it). No tensors are created.`;

export function infoReport(config: SearchConfig, preset?: string) {
  const plan = networkPlan(config);
  const params = supernetParams(config);
  const edges = numEdges(config.steps);
  const ops = config.ops.length;
  return {
    ...(preset !== undefined ? { preset } : {}),
    paramCount: params.total,
    alphaShape: { normal: [edges, ops], reduce: [edges, ops] },
    ops: [...config.ops],
    nodes: config.steps,
    reductionCells: plan.reductionCells,
    input: { channels: config.inChannels, height: config.height, width: config.width },
    stem: { channels: plan.stemC, height: config.height, width: config.width, params: params.stem },
    cells: plan.cells.map((c, i) => ({
      index: c.index,
      type: c.reduction ? 'reduce' : 'normal',
      /** Channels of the cell inputs s0 = c_{k-2} and s1 = c_{k-1}. */
      inChannels: [c.cPrevPrev, c.cPrev],
      /** Channels of each intermediate node (C of the cell). */
      channels: c.c,
      outChannels: c.outC,
      /** Spatial sizes [height, width] of s1 (the nodes' input), s0 (larger after a reduction) and the output. */
      inSize: [c.inH, c.inW],
      s0Size: [c.inH0, c.inW0],
      outSize: [c.outH, c.outW],
      preprocess0: c.pre0 === 'fr' ? 'FactorizedReduce' : 'ReLUConvBN',
      params: params.cells[i].total,
    })),
    classifier: { inFeatures: plan.cLast, classes: config.numClasses, params: params.classifier },
    batchSize: config.batchSize,
    order: config.order,
    estimatedPeakBytes: estimateStepBytes(config),
  };
}

export async function infoCommand(args: string[], io: CommandIO): Promise<number> {
  const values = parseCommandArgs('info', args, INFO_OPTIONS);
  if (values.help) {
    io.out(INFO_USAGE + '\n');
    return 0;
  }
  const { config, preset } = resolveConfig(values, 'info', { order: true });
  io.out(formatJson(infoReport(config, preset)) + '\n');
  return 0;
}
