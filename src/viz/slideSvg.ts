/**
 * A slide: the normal and the reduction cell side by side on a 1920×1080 (16:9, full-HD)
 * canvas, each under its title, with a one-line caption at the bottom. The cells are the
 * standalone SVGs of `exportSvg` (usually paper style, i.e. the quark0 graphviz look of the
 * derived genotype, spec §4.5); each is nested as an <svg> with its own viewBox, so it scales to
 * its column and keeps its aspect ratio. White background: black paper-style edges must stay
 * readable on any slide theme.
 */

const SVG_NS = 'http://www.w3.org/2000/svg';

export const SLIDE_WIDTH = 1920;
export const SLIDE_HEIGHT = 1080;

export interface SlidePart {
  /** A standalone cell SVG (from `exportSvg`). */
  svg: string;
  /** Shown above the cell, e.g. 'Normal cell'. */
  title: string;
}

export interface SlideOptions {
  /** Small grey line at the bottom (what the picture shows: step, seed, source). */
  caption?: string;
  /** Background fill; default white. */
  background?: string;
  /** Document used to parse and build (default: the global one; tests pass jsdom's). */
  doc?: Document;
}

const FONT = 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif';
const MARGIN = 48;
const GAP = 40;
const TITLE_SIZE = 44;
const TITLE_BAND = 84;
const CAPTION_SIZE = 22;
const CAPTION_BAND = 44;

/** The box each part gets: equal columns between the title band and the caption band. */
export function slideColumns(n: number): { x: number; y: number; width: number; height: number }[] {
  const width = (SLIDE_WIDTH - 2 * MARGIN - GAP * Math.max(0, n - 1)) / Math.max(1, n);
  const y = MARGIN + TITLE_BAND;
  const height = SLIDE_HEIGHT - y - CAPTION_BAND - MARGIN;
  return Array.from({ length: n }, (_, i) => ({ x: MARGIN + i * (width + GAP), y, width, height }));
}

/** Compose the slide; returns a standalone SVG document (with the XML declaration). */
export function slideSvg(parts: readonly SlidePart[], options: SlideOptions = {}): string {
  const doc = options.doc ?? document;
  const win = doc.defaultView;
  const Parser = win?.DOMParser ?? globalThis.DOMParser;
  const Serializer = win?.XMLSerializer ?? globalThis.XMLSerializer;
  const out = doc.implementation.createDocument(SVG_NS, 'svg', null);
  const root = out.documentElement;
  const el = (name: string, attrs: Record<string, string | number>, text?: string) => {
    const e = out.createElementNS(SVG_NS, name);
    for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
    if (text !== undefined) e.textContent = text;
    return e;
  };

  // width before height: svgToPngBlob reads the size from the root tag in that order.
  root.setAttribute('width', String(SLIDE_WIDTH));
  root.setAttribute('height', String(SLIDE_HEIGHT));
  root.setAttribute('viewBox', `0 0 ${SLIDE_WIDTH} ${SLIDE_HEIGHT}`);
  root.setAttribute('data-slide', 'darts-cells');
  root.appendChild(el('title', {}, parts.map((p) => p.title).join(' and ')));
  root.appendChild(el('rect', { width: SLIDE_WIDTH, height: SLIDE_HEIGHT, fill: options.background ?? '#ffffff' }));

  const boxes = slideColumns(parts.length);
  parts.forEach((part, i) => {
    const box = boxes[i];
    root.appendChild(
      el(
        'text',
        {
          x: box.x + box.width / 2,
          y: MARGIN + TITLE_SIZE,
          'text-anchor': 'middle',
          'font-family': FONT,
          'font-size': TITLE_SIZE,
          'font-weight': 600,
          fill: '#000000',
          class: 'slide-title',
        },
        part.title,
      ),
    );
    const inner = new Parser().parseFromString(part.svg, 'image/svg+xml').documentElement;
    if (inner.nodeName !== 'svg') throw new Error(`slide part "${part.title}" is not an SVG document`);
    const node = out.importNode(inner, true) as Element;
    if (!node.getAttribute('viewBox')) {
      node.setAttribute('viewBox', `0 0 ${node.getAttribute('width') ?? 800} ${node.getAttribute('height') ?? 400}`);
    }
    // Fit the column, centred, aspect ratio kept (the default preserveAspectRatio, said out loud).
    node.setAttribute('x', String(box.x));
    node.setAttribute('y', String(box.y));
    node.setAttribute('width', String(box.width));
    node.setAttribute('height', String(box.height));
    node.setAttribute('preserveAspectRatio', 'xMidYMid meet');
    root.appendChild(node);
  });

  if (options.caption) {
    root.appendChild(
      el(
        'text',
        {
          x: SLIDE_WIDTH / 2,
          y: SLIDE_HEIGHT - MARGIN,
          'text-anchor': 'middle',
          'font-family': FONT,
          'font-size': CAPTION_SIZE,
          fill: '#555555',
          class: 'slide-caption',
        },
        options.caption,
      ),
    );
  }
  return `<?xml version="1.0" encoding="UTF-8"?>\n${new Serializer().serializeToString(root)}\n`;
}
