/**
 * "Export slide PNG / SVG": the cells on screen, re-drawn in paper style (the derived genotype
 * in the quark0 look, spec §4.5), side by side on a 1920×1080 slide. The PNG is the same SVG
 * rasterised on a canvas at exactly 1920×1080, so the two files always show the same picture.
 */
import { exportSvg, svgToPngBlob } from '../viz/exportSvg';
import { slideSvg } from '../viz/slideSvg';
import type { CellKind } from '../viz/types';
import { CELL_TITLES, cellViews } from './CellView';
import { downloadBlob, downloadText } from './download';
import { live, run, settings } from './store';

export interface Slide {
  svg: string;
  /** File name without the extension. */
  basename: string;
}

/** The slide of what the cells show now; throws with a reason when there is nothing to draw yet. */
export function currentSlide(): Slide {
  const imported = settings.get().view === 'imported' && settings.get().imported !== null;
  const kinds: CellKind[] = ['normal', 'reduce'];
  const parts = kinds.map((k) => {
    const view = cellViews[k];
    if (!view) throw new Error(`the ${CELL_TITLES[k].toLowerCase()} is not drawn yet`);
    // A live view needs its derived genotype (set with every snapshot) for the paper look.
    if (view.layout.mode !== 'discrete' && !view.state().genotype) {
      throw new Error('no genotype yet: wait for the first snapshot');
    }
    return { svg: exportSvg(view, { paper: true }), title: CELL_TITLES[k] };
  });
  const step = live.get()?.step ?? 0;
  const seed = run.get().config?.seed;
  const caption = imported
    ? 'Imported genotype · DARTS Playground'
    : `Derived genotype after ${step} step${step === 1 ? '' : 's'}${seed !== undefined ? `, seed ${seed}` : ''} · DARTS Playground`;
  return {
    svg: slideSvg(parts, { caption }),
    basename: imported ? 'darts-cells-slide-imported' : `darts-cells-slide-step${step}`,
  };
}

/** Download the slide; resolves to the file name. */
export async function exportSlide(format: 'png' | 'svg'): Promise<string> {
  const slide = currentSlide();
  const name = `${slide.basename}.${format}`;
  if (format === 'svg') downloadText(name, slide.svg, 'image/svg+xml');
  else downloadBlob(name, await svgToPngBlob(slide.svg, 1)); // the slide is already 1920×1080
  return name;
}
