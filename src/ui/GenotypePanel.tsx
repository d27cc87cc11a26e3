/**
 * The live derived genotype (spec §4.1) as JSON and as the reference repr, and the buttons that
 * move it in and out of the playground: Export genotype, Copy as Python, Import genotype, Export SVG,
 * Export slide PNG / SVG. The buttons come from the command registry (commands.ts); their
 * commands, and the same keys, reach the handlers here through the UI bus.
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import { genotypeToJson, printGenotypeRepr, type Genotype } from '../core/genotype';
import { CELL_TITLES, cellViews } from './CellView';
import { CommandButton } from './CommandButton';
import { onUiCommand, type UiCommand } from './commands';
import type { Controller } from './controller';
import { useStore } from './createStore';
import { useDerivedJson } from './useDerivedJson';
import { downloadText } from './download';
import { cellsSvg, genotypeExport, nonReferenceOps, pythonSnippet, TRAIN_COMMAND } from './exportFiles';
import { ImportDialog } from './ImportDialog';
import { data } from './dataStores';
import { exportSlide } from './slideExport';
import { live, run, settings } from './store';
import { methodNote } from './methodNote';

export function GenotypePanel({ controller }: { controller: Controller }) {
  const json = useDerivedJson();
  const genotype: Genotype | null = json ? (JSON.parse(json) as Genotype) : null;
  const view = useStore(settings, (s) => s.view);
  const imported = useStore(settings, (s) => s.imported);
  const [message, setMessage] = useState<{ text: string; kind: 'ok' | 'warn' } | null>(null);
  const [importing, setImporting] = useState(false);
  const [busy, setBusy] = useState(false);
  const extra = genotype ? nonReferenceOps(genotype) : [];
  // A string, so the panel re-renders only when the sentence changes (not per snapshot).
  const note = useStore(live, (snap) => methodNote(run.get().config, genotype, snap?.deriveNormal, snap?.deriveReduce));

  const exportGenotype = async () => {
    setBusy(true);
    try {
      const r = await controller.exportState();
      const out = genotypeExport(r, data.get().card?.id ?? data.get().spec.name, __APP_VERSION__);
      downloadText(out.filename, out.json, 'application/json');
      setMessage({ text: `Saved ${out.filename} (genotype at step ${r.step}, with config, seed and softmax α).`, kind: 'ok' });
    } catch (e) {
      setMessage({ text: `Export failed: ${e instanceof Error ? e.message : String(e)}`, kind: 'warn' });
    } finally {
      setBusy(false);
    }
  };

  const copyPython = async () => {
    if (!genotype) return;
    const snap = live.get();
    const cfg = run.get().config;
    const where = `DARTS Playground, seed ${cfg?.seed ?? '?'}, step ${snap?.step ?? 0}`;
    const text = pythonSnippet(genotype, where);
    try {
      await navigator.clipboard.writeText(text);
      setMessage({
        text: `Copied MY_ARCH = Genotype(...). Add it to cnn/genotypes.py, then run: ${TRAIN_COMMAND}`,
        kind: extra.length ? 'warn' : 'ok',
      });
    } catch {
      setMessage({ text: 'The browser blocked the clipboard: select the repr below and copy it (Ctrl+C).', kind: 'warn' });
    }
  };

  const exportCells = () => {
    const parts = (['normal', 'reduce'] as const)
      .map((k) => ({ view: cellViews[k], title: CELL_TITLES[k] }))
      .filter((p): p is { view: NonNullable<typeof p.view>; title: string } => !!p.view);
    if (parts.length === 0) return;
    const step = live.get()?.step ?? 0;
    const what = view === 'imported' ? 'imported genotype' : `search at step ${step}`;
    const svg = cellsSvg(parts, `DARTS cells: ${what}`);
    const name = view === 'imported' ? 'darts-cells-imported.svg' : `darts-cells-step${step}.svg`;
    downloadText(name, svg, 'image/svg+xml');
    setMessage({ text: `Saved ${name} (normal and reduction cell).`, kind: 'ok' });
  };

  const exportSlideAs = async (format: 'png' | 'svg') => {
    try {
      const name = await exportSlide(format);
      setMessage({ text: `Saved ${name} (both derived cells in paper style, 1920×1080).`, kind: 'ok' });
    } catch (e) {
      setMessage({ text: `Slide export failed: ${e instanceof Error ? e.message : String(e)}`, kind: 'warn' });
    }
  };

  // Keys and buttons emit the registry's commands; the latest handlers answer them.
  const ctx = useMemo(() => ({ controller }), [controller]);
  const handlers = useRef<Partial<Record<UiCommand, () => void>>>({});
  handlers.current = {
    'export-genotype': () => void exportGenotype(),
    'copy-python': () => void copyPython(),
    'import-genotype': () => setImporting(true),
    'export-svg': exportCells,
    'export-slide-png': () => void exportSlideAs('png'),
    'export-slide-svg': () => void exportSlideAs('svg'),
  };
  useEffect(() => {
    const names = Object.keys(handlers.current) as UiCommand[];
    const offs = names.map((n) => onUiCommand(n, () => handlers.current[n]?.()));
    return () => offs.forEach((off) => off());
  }, []);

  return (
    <section className="panel genotype-panel" aria-labelledby="genotype-title">
      <h2 id="genotype-title">Derived genotype</h2>
      <p className="panel-note">
        Top-2 incoming edges per node, strongest non-<code>none</code> op on each (DARTS §2.4).
      </p>
      <div className="button-row" data-control="io">
        <CommandButton id="export-genotype" ctx={ctx} disabled={busy} />
        <CommandButton id="copy-python" ctx={ctx} />
        <CommandButton id="import-genotype" ctx={ctx} />
        <CommandButton id="export-svg" ctx={ctx} />
        <CommandButton id="export-slide-png" ctx={ctx} />
        <CommandButton id="export-slide-svg" ctx={ctx} />
      </div>
      <p className={`status-line ${message?.kind ?? ''}`} role="status" aria-live="polite">
        {message?.text ?? ''}
      </p>
      {note && (
        <p className="status-line" data-testid="method-note">
          {note}
        </p>
      )}
      {extra.length > 0 && (
        <p className="status-line warn">
          Uses {extra.join(', ')}, which the reference operations.py does not define: add them there before training.
        </p>
      )}
      {view === 'imported' && imported && (
        <div className="imported-box">
          <h3>Imported genotype (shown in the cells)</h3>
          <pre className="code" data-testid="imported-json">
            {genotypeToJson(imported)}
          </pre>
        </div>
      )}
      <h3>Reference repr</h3>
      <pre className="code wrap" data-testid="genotype-repr" tabIndex={0}>
        {genotype ? printGenotypeRepr(genotype) : '(waiting for the first snapshot)'}
      </pre>
      <h3>JSON</h3>
      <pre className="code" data-testid="genotype-json" tabIndex={0}>
        {json || '(waiting for the first snapshot)'}
      </pre>
      {importing && <ImportDialog onClose={() => setImporting(false)} />}
    </section>
  );
}
