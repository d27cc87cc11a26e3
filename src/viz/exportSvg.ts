/**
 * "Export SVG": a standalone file from a cell view. The view is re-rendered into a detached
 * <svg> from its last state (so a running width transition never leaks into the file), then
 * serialised. Every style is a presentation attribute, so no stylesheet is needed to open it.
 *
 * Paper style reproduces the quark0 graphviz figures: Times, black edges, literal `c_{k-2}`
 * labels and only the derived (op, input) pairs.
 */
import { genotypeLayout, type CellLayout } from './cellLayout';
import { createCellView, type CellView, type CellViewState } from './renderCell';

const SVG_NS = 'http://www.w3.org/2000/svg';
const XMLNS_NS = 'http://www.w3.org/2000/xmlns/';

export interface ExportSvgOptions {
  /** quark0 look, derived edges only. Needs a discrete view or a state with a genotype. */
  paper?: boolean;
  /** <title> of the file; default 'normal cell' / 'reduction cell'. */
  title?: string;
  /** Background fill; default white (transparent SVGs vanish on dark slides). */
  background?: string;
}

export function exportSvg(view: CellView, options: ExportSvgOptions = {}): string {
  const paper = options.paper ?? false;
  const state = view.state();
  const layout = paper ? paperLayout(view.layout, state) : view.layout;
  const doc = view.svg.ownerDocument;
  const svg = doc.createElementNS(SVG_NS, 'svg') as SVGSVGElement;
  const title = options.title ?? (layout.kind === 'normal' ? 'normal cell' : 'reduction cell');
  const copy = createCellView(svg, layout, { paper, interactive: false, reducedMotion: true, title });
  copy.update(paper ? { genotype: null } : state);

  svg.setAttributeNS(XMLNS_NS, 'xmlns', SVG_NS);
  svg.setAttribute('width', String(layout.width));
  svg.setAttribute('height', String(layout.height));
  const bg = doc.createElementNS(SVG_NS, 'rect');
  bg.setAttribute('width', String(layout.width));
  bg.setAttribute('height', String(layout.height));
  bg.setAttribute('fill', options.background ?? '#ffffff');
  const titleEl = doc.createElementNS(SVG_NS, 'title');
  titleEl.textContent = title;
  svg.insertBefore(bg, svg.firstChild);
  svg.insertBefore(titleEl, bg);

  const Serializer = doc.defaultView?.XMLSerializer ?? globalThis.XMLSerializer;
  return `<?xml version="1.0" encoding="UTF-8"?>\n${new Serializer().serializeToString(svg)}\n`;
}

/** The discrete layout a paper export draws: the view's own, or one built from its genotype. */
function paperLayout(layout: CellLayout, state: CellViewState): CellLayout {
  if (layout.mode === 'discrete') return layout;
  if (!state.genotype) throw new Error('paper-style export needs a derived genotype (update the view with one)');
  return genotypeLayout(
    state.genotype,
    { kind: layout.kind, concat: layout.concat, ops: layout.ops },
    { width: layout.width, height: layout.height },
  );
}

/**
 * Rasterise an SVG string to a PNG blob at `scale` × its width/height (browser only: needs
 * Image, canvas and object URLs). Rejects outside a browser.
 */
export function svgToPngBlob(svgString: string, scale = 2): Promise<Blob> {
  if (typeof document === 'undefined' || typeof Image === 'undefined' || typeof URL.createObjectURL !== 'function') {
    return Promise.reject(new Error('svgToPngBlob needs a browser (Image, canvas, URL.createObjectURL)'));
  }
  const size = /<svg[^>]*\swidth="([\d.]+)"[^>]*\sheight="([\d.]+)"/.exec(svgString);
  const width = size ? Number(size[1]) : 800;
  const height = size ? Number(size[2]) : 400;
  const url = URL.createObjectURL(new Blob([svgString], { type: 'image/svg+xml;charset=utf-8' }));
  return new Promise<Blob>((resolve, reject) => {
    const img = new Image();
    img.onload = () => {
      const canvas = document.createElement('canvas');
      canvas.width = Math.round(width * scale);
      canvas.height = Math.round(height * scale);
      const ctx = canvas.getContext('2d');
      if (!ctx) return reject(new Error('no 2d canvas context'));
      ctx.fillStyle = '#ffffff';
      ctx.fillRect(0, 0, canvas.width, canvas.height);
      ctx.drawImage(img, 0, 0, canvas.width, canvas.height);
      canvas.toBlob((b) => (b ? resolve(b) : reject(new Error('canvas.toBlob failed'))), 'image/png');
    };
    img.onerror = () => reject(new Error('the SVG could not be loaded as an image'));
    img.src = url;
  }).finally(() => URL.revokeObjectURL(url));
}
