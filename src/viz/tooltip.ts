/**
 * A plain HTML tooltip beside the SVG. Text only: every string goes in through `textContent`,
 * never `innerHTML`, because op names can come from an imported (untrusted) genotype file.
 * The parent should be positioned (e.g. `position: relative`); the tooltip is absolute in it.
 */

export interface Tooltip {
  readonly element: HTMLDivElement;
  /** Show a title and a table (first row = header) at (x, y) in the parent's coordinates. */
  show(title: string, header: readonly string[], rows: readonly (readonly string[])[], x: number, y: number): void;
  /** Follow the pointer without rebuilding the content. */
  move(x: number, y: number): void;
  hide(): void;
  readonly visible: boolean;
  destroy(): void;
}

export function createTooltip(parent: HTMLElement, id: string): Tooltip {
  const doc = parent.ownerDocument;
  const el = doc.createElement('div');
  el.id = id;
  el.className = 'darts-tooltip';
  el.setAttribute('role', 'tooltip');
  Object.assign(el.style, {
    position: 'absolute',
    display: 'none',
    pointerEvents: 'none',
    zIndex: '10',
    background: 'rgba(255,255,255,0.96)',
    border: '1px solid #888',
    borderRadius: '4px',
    padding: '4px 6px',
    font: '12px/1.3 system-ui, sans-serif',
    color: '#111',
    whiteSpace: 'nowrap',
  } satisfies Partial<CSSStyleDeclaration>);
  parent.appendChild(el);
  let visible = false;

  const cell = (tag: 'td' | 'th', text: string, right: boolean) => {
    const c = doc.createElement(tag);
    c.textContent = text;
    c.style.padding = '0 4px';
    c.style.textAlign = right ? 'right' : 'left';
    return c;
  };

  return {
    element: el,
    get visible() {
      return visible;
    },
    show(title, header, rows, x, y) {
      const head = doc.createElement('div');
      head.textContent = title;
      head.style.fontWeight = '600';
      const table = doc.createElement('table');
      table.style.borderCollapse = 'collapse';
      const tr = doc.createElement('tr');
      header.forEach((h, i) => tr.appendChild(cell('th', h, i > 0)));
      table.appendChild(tr);
      for (const row of rows) {
        const r = doc.createElement('tr');
        row.forEach((t, i) => r.appendChild(cell('td', t, i > 0)));
        table.appendChild(r);
      }
      el.replaceChildren(head, table);
      this.move(x, y);
      el.style.display = 'block';
      visible = true;
    },
    move(x, y) {
      el.style.left = `${Math.round(x)}px`;
      el.style.top = `${Math.round(y)}px`;
    },
    hide() {
      el.style.display = 'none';
      visible = false;
    },
    destroy() {
      el.remove();
      visible = false;
    },
  };
}
