/**
 * React wrappers around KaTeX. This is the one place that imports the KaTeX stylesheet (its fonts
 * are bundled by Vite and served from our origin, so formulas also render offline).
 */
import { memo } from 'react';
import 'katex/dist/katex.min.css';
import { splitMath } from './tex';
import { renderTex } from './texRender';

/** One formula, inline or display. */
export const Tex = memo(function Tex({ tex, display = false, className }: { tex: string; display?: boolean; className?: string }) {
  const Tag = display ? 'div' : 'span';
  return <Tag className={className ?? (display ? 'tex-display' : 'tex')} dangerouslySetInnerHTML={{ __html: renderTex(tex, display) }} />;
});

/** A paragraph of prose with `$…$` / `$$…$$` formulas (see tex.ts). */
export const MathText = memo(function MathText({ text }: { text: string }) {
  const segments = splitMath(text);
  const hasDisplay = segments.some((s) => s.kind === 'math' && s.display);
  const Tag = hasDisplay ? 'div' : 'p';
  return (
    <Tag className="math-text">
      {segments.map((s, i) =>
        s.kind === 'text' ? <span key={i}>{s.text}</span> : <Tex key={i} tex={s.tex} display={s.display} />,
      )}
    </Tag>
  );
});
