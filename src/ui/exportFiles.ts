/**
 * What the export buttons produce: the genotype JSON with `meta`, the Python line for the
 * reference code, and one SVG holding both cells.
 */
import type { SearchConfig } from '../core/config';
import { genotypeToJson, printGenotypeRepr, type Genotype } from '../core/genotype';
import { PRIMITIVES } from '../core/primitives';
import { exportSvg } from '../viz/exportSvg';
import type { CellView } from '../viz/renderCell';
import type { ExportedReply } from '../worker/protocol';
import { genotypeFromSoftmax } from './derived';

/** Rows of a flat row-major matrix, with float32-exact decimals. */
function rows(flat: Float32Array, cols: number): number[][] {
  const out: number[][] = [];
  for (let r = 0; r < flat.length / cols; r++) {
    out.push(Array.from(flat.subarray(r * cols, (r + 1) * cols), (v) => Number(v.toPrecision(9))));
  }
  return out;
}

export interface GenotypeExport {
  genotype: Genotype;
  filename: string;
  json: string;
}

/** The export file: the genotype (design.md format) plus everything needed to reproduce it. */
export function genotypeExport(r: ExportedReply, dataset: string, appVersion: string, now = new Date()): GenotypeExport {
  const c: SearchConfig = r.config;
  const k = c.ops.length;
  const genotype = genotypeFromSoftmax(r.deriveNormal ?? r.softmaxNormal, r.deriveReduce ?? r.softmaxReduce, c);
  const meta = {
    app: 'darts-playground',
    appVersion,
    exportedAt: now.toISOString(),
    dataset,
    seed: c.seed,
    step: r.step,
    archStep: r.archStep,
    epoch: r.epoch,
    backend: r.backend,
    config: c,
    alpha: { kind: 'softmax', primitives: c.ops, normal: rows(r.softmaxNormal, k), reduce: rows(r.softmaxReduce, k) },
    alphaRaw: { kind: 'raw', primitives: c.ops, normal: rows(r.rawNormal, k), reduce: rows(r.rawReduce, k) },
    // The search method and its settings (also in config); the rows its derivation ranked.
    method: c.method,
    ...(r.deriveNormal && r.deriveReduce
      ? { derivationRows: { kind: c.method === 'fair-darts' ? 'sigmoid' : 'beta-weighted softmax', primitives: c.ops, normal: rows(r.deriveNormal, k), reduce: rows(r.deriveReduce, k) } }
      : {}),
  };
  return {
    genotype,
    filename: `darts-genotype-seed${c.seed}-step${r.step}.json`,
    json: genotypeToJson(genotype, meta),
  };
}

/** Ops the reference `operations.py` does not define (it would fail on them). */
export function nonReferenceOps(g: Genotype): string[] {
  const ref = new Set<string>([...PRIMITIVES, 'sep_conv_7x7', 'conv_7x1_1x7']);
  return [...new Set([...g.normal, ...g.reduce].map(([op]) => op))].filter((op) => !ref.has(op));
}

export const TRAIN_COMMAND = 'cd cnn && python train.py --auxiliary --cutout --arch MY_ARCH';

/** Two lines for the reference code: a how-to comment and the `MY_ARCH = Genotype(...)` line. */
export function pythonSnippet(g: Genotype, where: string): string {
  return (
    `# ${where}. Add to cnn/genotypes.py of quark0/darts, then train it: ${TRAIN_COMMAND}\n` +
    `MY_ARCH = ${printGenotypeRepr(g)}\n`
  );
}

const SVG_NS = 'http://www.w3.org/2000/svg';

/** Both cells in one standalone SVG, stacked, each under its title. */
export function cellsSvg(views: { view: CellView; title: string }[], caption: string): string {
  const parser = new DOMParser();
  const doc = document.implementation.createDocument(SVG_NS, 'svg', null);
  const root = doc.documentElement;
  const TITLE_H = 30;
  const GAP = 16;
  let y = 0;
  let width = 0;
  const cap = doc.createElementNS(SVG_NS, 'title');
  cap.textContent = caption;
  root.appendChild(cap);
  const bg = doc.createElementNS(SVG_NS, 'rect');
  root.appendChild(bg);
  for (const { view, title } of views) {
    const inner = parser.parseFromString(exportSvg(view, { title }), 'image/svg+xml').documentElement;
    const w = Number(inner.getAttribute('width'));
    const h = Number(inner.getAttribute('height'));
    const t = doc.createElementNS(SVG_NS, 'text');
    t.setAttribute('x', '14');
    t.setAttribute('y', String(y + 21));
    t.setAttribute('font-family', 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif');
    t.setAttribute('font-size', '18');
    t.setAttribute('font-weight', '600');
    t.textContent = title;
    root.appendChild(t);
    const node = doc.importNode(inner, true) as Element;
    node.setAttribute('x', '0');
    node.setAttribute('y', String(y + TITLE_H));
    root.appendChild(node);
    y += TITLE_H + h + GAP;
    width = Math.max(width, w);
  }
  const height = y - GAP;
  root.setAttribute('width', String(width));
  root.setAttribute('height', String(height));
  root.setAttribute('viewBox', `0 0 ${width} ${height}`);
  bg.setAttribute('width', String(width));
  bg.setAttribute('height', String(height));
  bg.setAttribute('fill', '#ffffff');
  return `<?xml version="1.0" encoding="UTF-8"?>\n${new XMLSerializer().serializeToString(root)}\n`;
}
