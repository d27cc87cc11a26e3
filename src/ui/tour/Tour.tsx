/**
 * The guided tour: a non-modal side sheet that walks through TOUR_PAGES. While a page is shown,
 * its target element carries `data-tour-highlight="true"` (outlined by teaching.css) and is
 * scrolled into view; the sheet docks on the side away from it. Back/Next, page dots, ←/→ and
 * Escape navigate. Loaded lazily (with KaTeX) the first time the tour opens.
 */
import { useEffect, useRef, useState } from 'react';
import { useStore } from '../createStore';
import { MathText } from '../Tex';
import { TOUR_PAGES, type TourWidgetId } from './pages';
import { RelaxationWidget } from './RelaxationWidget';
import { closeTour, goToPage, tour } from './tourStore';

export const HIGHLIGHT_ATTR = 'data-tour-highlight';

const WIDGETS: Record<TourWidgetId, () => React.JSX.Element> = {
  relaxation: RelaxationWidget,
};

function prefersReducedMotion(): boolean {
  return typeof window.matchMedia === 'function' && window.matchMedia('(prefers-reduced-motion: reduce)').matches;
}

/**
 * Mark the page's target while it is shown. The target may mount late (a chart, a panel that is
 * still building) or be re-created, so the mark is re-checked a few times a second.
 */
function useHighlight(selector: string): { found: boolean; side: 'left' | 'right' } {
  const [found, setFound] = useState(true);
  const [side, setSide] = useState<'left' | 'right'>('right');
  useEffect(() => {
    let el: Element | null = null;
    let scrolled = false;
    const check = () => {
      if (el && el.isConnected && el.getAttribute(HIGHLIGHT_ATTR) === 'true') return;
      el?.removeAttribute(HIGHLIGHT_ATTR);
      el = document.querySelector(selector);
      setFound(el !== null);
      if (!el) return;
      el.setAttribute(HIGHLIGHT_ATTR, 'true');
      if (!scrolled) {
        scrolled = true;
        el.scrollIntoView?.({ block: 'nearest', inline: 'nearest', behavior: prefersReducedMotion() ? 'auto' : 'smooth' });
      }
      const r = el.getBoundingClientRect();
      setSide(r.left + r.width / 2 > window.innerWidth / 2 ? 'left' : 'right');
    };
    check();
    const timer = window.setInterval(check, 300);
    return () => {
      window.clearInterval(timer);
      el?.removeAttribute(HIGHLIGHT_ATTR);
    };
  }, [selector]);
  return { found, side };
}

export function Tour() {
  const index = useStore(tour, (t) => t.page);
  const page = TOUR_PAGES[index];
  const last = TOUR_PAGES.length - 1;
  const { found, side } = useHighlight(page.target);
  const heading = useRef<HTMLHeadingElement>(null);
  const body = useRef<HTMLDivElement>(null);

  // Focus the title on open (screen readers announce the page) and give focus back on close.
  useEffect(() => {
    const before = document.activeElement as HTMLElement | null;
    heading.current?.focus();
    return () => {
      if (before && before.isConnected) before.focus();
    };
  }, []);

  useEffect(() => {
    body.current?.scrollTo?.({ top: 0 });
  }, [index]);

  // ←/→ page, Escape closes. Captured at the window so the tour, the top layer, wins over the
  // other shortcuts; arrows inside a form control (the relaxation sliders) stay with the control.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.ctrlKey || e.metaKey || e.altKey) return;
      if (e.key === 'Escape') {
        e.preventDefault();
        e.stopPropagation();
        closeTour();
        return;
      }
      if (e.key !== 'ArrowRight' && e.key !== 'ArrowLeft') return;
      const t = e.target as HTMLElement | null;
      if (t?.closest?.('input, select, textarea, [contenteditable]')) return;
      e.preventDefault();
      e.stopPropagation();
      const p = tour.get().page;
      goToPage(e.key === 'ArrowRight' ? p + 1 : p - 1);
    };
    window.addEventListener('keydown', onKey, true);
    return () => window.removeEventListener('keydown', onKey, true);
  }, []);

  const Widget = page.widget ? WIDGETS[page.widget] : null;

  return (
    <aside
      className="tour-sheet"
      role="dialog"
      aria-modal="false"
      aria-labelledby="tour-title"
      data-side={side}
      data-page={page.id}
    >
      <header className="tour-head">
        <span className="tour-counter" data-testid="tour-counter">
          Tour · {index + 1} / {TOUR_PAGES.length}
        </span>
        <button type="button" className="icon-button" aria-label="Close the tour" title="Close (Esc)" onClick={closeTour}>
          ×
        </button>
      </header>
      <div className="tour-body" ref={body}>
        <h2 id="tour-title" ref={heading} tabIndex={-1}>
          {page.title}
        </h2>
        {page.body.map((text, i) => (
          <MathText key={`${page.id}-${i}`} text={text} />
        ))}
        {Widget && <Widget />}
        {page.link && (
          <p>
            <a className="tour-link" href={page.link.href}>
              {page.link.label}
            </a>
          </p>
        )}
        {!found && (
          <p className="tour-missing" role="note">
            The part of the page this step points to is hidden right now.
          </p>
        )}
      </div>
      <nav className="tour-nav" aria-label="Tour pages">
        <button type="button" onClick={() => goToPage(index - 1)} disabled={index === 0} title="Back (←)">
          <span aria-hidden="true">← </span>Back
        </button>
        <ol className="tour-dots">
          {TOUR_PAGES.map((p, i) => (
            <li key={p.id}>
              <button
                type="button"
                className="tour-dot"
                aria-label={`Page ${i + 1}: ${p.title}`}
                aria-current={i === index ? 'step' : undefined}
                title={p.title}
                onClick={() => goToPage(i)}
              />
            </li>
          ))}
        </ol>
        {index < last ? (
          <button type="button" className="primary" onClick={() => goToPage(index + 1)} title="Next (→)">
            Next<span aria-hidden="true"> →</span>
          </button>
        ) : (
          <button type="button" className="primary" onClick={closeTour}>
            Finish
          </button>
        )}
      </nav>
    </aside>
  );
}

export default Tour;
