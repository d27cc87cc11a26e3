/**
 * Where op labels go. Each label sits on its own curve, at the middle if that spot is free,
 * otherwise at the nearest free spot further along (t = 0.5, 0.42, 0.58, …), so that labels of
 * neighbouring edges and the node boxes do not overlap. Greedy and deterministic; only the few
 * visible labels (≤ 2 per node) are placed, whenever the derived set changes.
 */
import { cubicAt, round2, type Box, type Cubic, type Point } from './bezier';

export interface LabelRequest {
  id: string;
  text: string;
  bezier: Cubic;
}

const CANDIDATES = [0.5, 0.42, 0.58, 0.34, 0.66, 0.26, 0.74, 0.18, 0.82];
/** Average glyph advance as a fraction of the font size (op names are lower-case ASCII). */
const ADVANCE = 0.58;

export function placeLabels(labels: readonly LabelRequest[], obstacles: readonly Box[], fontSize: number): Map<string, Point> {
  const placed: Box[] = [];
  const out = new Map<string, Point>();
  const overlaps = (a: Box, b: Box) => Math.abs(a.x - b.x) * 2 < a.w + b.w && Math.abs(a.y - b.y) * 2 < a.h + b.h;
  for (const label of labels) {
    const w = label.text.length * fontSize * ADVANCE + 4;
    const h = fontSize * 1.25;
    let best: Box | null = null;
    for (const t of CANDIDATES) {
      const p = cubicAt(label.bezier, t);
      const box = { x: p.x, y: p.y, w, h };
      if (!placed.some((q) => overlaps(box, q)) && !obstacles.some((q) => overlaps(box, q))) {
        best = box;
        break;
      }
    }
    if (!best) {
      const p = cubicAt(label.bezier, 0.5);
      best = { x: p.x, y: p.y, w, h };
    }
    placed.push(best);
    out.set(label.id, { x: round2(best.x), y: round2(best.y) });
  }
  return out;
}
