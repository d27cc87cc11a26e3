/**
 * The one curve shape of the cell drawings: a cubic Bézier along the chord between two node
 * centres, optionally bowed sideways so it clears the nodes it passes, then clipped to the two
 * node rectangles so arrowheads land on the borders (what graphviz splines look like).
 */

export interface Point {
  x: number;
  y: number;
}

/** Control polygon of a cubic Bézier. */
export type Cubic = readonly [Point, Point, Point, Point];

/** Axis-aligned box by centre and size (a layout node). */
export interface Box {
  x: number;
  y: number;
  w: number;
  h: number;
}

/**
 * Curve from `a` to `b` whose control points sit at ⅓ and ⅔ of the chord, pushed along the
 * chord's right-hand normal by `bow` (the apex moves ¾·bow). The whole curve is also shifted
 * along that normal by `spreadEnds` at its ends and `spreadMid` at its control points: that is
 * how the curves of one bundle fan out in the middle and pinch at the nodes.
 */
export function chordCubic(a: Point, b: Point, bow = 0, spreadEnds = 0, spreadMid = 0): Cubic {
  const dx = b.x - a.x, dy = b.y - a.y;
  const len = Math.hypot(dx, dy) || 1;
  const nx = -dy / len, ny = dx / len;
  const m = bow + spreadMid;
  return [
    { x: a.x + nx * spreadEnds, y: a.y + ny * spreadEnds },
    { x: a.x + dx / 3 + nx * m, y: a.y + dy / 3 + ny * m },
    { x: a.x + (2 * dx) / 3 + nx * m, y: a.y + (2 * dy) / 3 + ny * m },
    { x: b.x + nx * spreadEnds, y: b.y + ny * spreadEnds },
  ];
}

/** Point at parameter t ∈ [0, 1]. */
export function cubicAt(c: Cubic, t: number): Point {
  const u = 1 - t;
  const k0 = u * u * u, k1 = 3 * u * u * t, k2 = 3 * u * t * t, k3 = t * t * t;
  return {
    x: k0 * c[0].x + k1 * c[1].x + k2 * c[2].x + k3 * c[3].x,
    y: k0 * c[0].y + k1 * c[1].y + k2 * c[2].y + k3 * c[3].y,
  };
}

/** The piece of `c` between parameters t0 < t1, itself a cubic (de Casteljau, blossoming). */
export function cubicSlice(c: Cubic, t0: number, t1: number): Cubic {
  // Blossom B(u, v, w); the slice's control points are B(t0,t0,t0), B(t0,t0,t1), B(t0,t1,t1), B(t1,t1,t1).
  const blossom = (u: number, v: number, w: number): Point => {
    const lerp = (p: Point, q: Point, t: number) => ({ x: p.x + (q.x - p.x) * t, y: p.y + (q.y - p.y) * t });
    const a = [lerp(c[0], c[1], u), lerp(c[1], c[2], u), lerp(c[2], c[3], u)];
    const b = [lerp(a[0], a[1], v), lerp(a[1], a[2], v)];
    return lerp(b[0], b[1], w);
  };
  return [blossom(t0, t0, t0), blossom(t0, t0, t1), blossom(t0, t1, t1), blossom(t1, t1, t1)];
}

const inside = (p: Point, b: Box) => Math.abs(p.x - b.x) <= b.w / 2 && Math.abs(p.y - b.y) <= b.h / 2;

/**
 * Cut off the parts of `c` inside the source box (at its start) and the target box (at its end).
 * Coarse scan, then bisection: robust for the gently bowed curves used here.
 */
export function clipToBoxes(c: Cubic, from: Box, to: Box): Cubic {
  const edge = (box: Box, start: number, dir: 1 | -1) => {
    let lo = start, hi = start;
    for (let k = 1; k <= 64; k++) {
      hi = start + (dir * k) / 64;
      if (!inside(cubicAt(c, hi), box)) break;
      lo = hi;
    }
    for (let k = 0; k < 30; k++) {
      const mid = (lo + hi) / 2;
      if (inside(cubicAt(c, mid), box)) lo = mid;
      else hi = mid;
    }
    return hi;
  };
  const t0 = inside(c[0], from) ? edge(from, 0, 1) : 0;
  const t1 = inside(c[3], to) ? edge(to, 1, -1) : 1;
  return t1 > t0 ? cubicSlice(c, t0, t1) : c;
}

/** SVG path data. Coordinates are rounded to 0.01 so the markup is short and deterministic. */
export function cubicPath(c: Cubic): string {
  const f = (p: Point) => `${round2(p.x)},${round2(p.y)}`;
  return `M${f(c[0])}C${f(c[1])} ${f(c[2])} ${f(c[3])}`;
}

export function round2(v: number): number {
  // `+ 0` turns -0 into 0 so "-0" never appears in the markup.
  return Math.round(v * 100) / 100 + 0;
}
