import { describe, expect, it } from 'vitest';
import { getPreset } from '../core/presets';
import { parseGenotypeAny } from '../core/genotype';
import { PROTOCOL_VERSION, type ExportedReply } from '../worker/protocol';
import { genotypeExport, nonReferenceOps, pythonSnippet } from './exportFiles';

const config = getPreset('lecture');

function reply(): ExportedReply {
  const k = config.ops.length;
  const soft = new Float32Array(14 * k).fill(1 / k);
  // Edge row 0: sep_conv_3x3 wins; row 1: skip_connect wins.
  soft[0 * k + 4] = 0.3;
  soft[1 * k + 3] = 0.3;
  return {
    type: 'exported', v: PROTOCOL_VERSION, runId: 1, requestId: 1, step: 42, archStep: 42, epoch: 0, backend: 'wasm', config,
    softmaxNormal: soft, softmaxReduce: soft.slice(), rawNormal: new Float32Array(14 * k), rawReduce: new Float32Array(14 * k),
  };
}

describe('genotype export', () => {
  it('writes the genotype JSON with meta that an importer reads back', () => {
    const out = genotypeExport(reply(), 'synthetic', '1.2.3', new Date('2026-01-01T00:00:00Z'));
    expect(out.filename).toBe(`darts-genotype-seed${config.seed}-step42.json`);
    const file = JSON.parse(out.json);
    expect(file.normal.slice(0, 2)).toEqual([['sep_conv_3x3', 0], ['skip_connect', 1]]);
    expect(file.meta).toMatchObject({ appVersion: '1.2.3', step: 42, seed: config.seed, dataset: 'synthetic', backend: 'wasm' });
    expect(file.meta.alpha.primitives).toEqual(config.ops);
    expect(file.meta.alpha.normal[0][4]).toBeCloseTo(0.3, 6);
    const back = parseGenotypeAny(out.json);
    expect(back.ok && back.genotype).toEqual(out.genotype);
  });

  it('gives a Python line for genotypes.py and a train.py command, and flags non-reference ops', () => {
    const g = genotypeExport(reply(), 'synthetic', '1').genotype;
    const py = pythonSnippet(g, 'DARTS Playground, seed 2, step 42');
    const [comment, line] = py.trimEnd().split('\n');
    expect(comment).toContain('cd cnn && python train.py --auxiliary --cutout --arch MY_ARCH');
    expect(line.startsWith('MY_ARCH = Genotype(normal=[(')).toBe(true);
    expect(nonReferenceOps(g)).toEqual([]);
    expect(nonReferenceOps({ ...g, normal: [['conv_3x3', 0], ['skip_connect', 1]] })).toEqual(['conv_3x3']);
  });
});
