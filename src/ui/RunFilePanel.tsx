/**
 * "Save run" / "Open run" (issue 11 item 2): the whole run (weights, BN statistics, α, both
 * optimisers, the sampler, the step and the chart history) as one file, core/runFile.ts. A saved
 * run reopens here or in `darts search --resume` and continues exactly where it was.
 */
import { useRef, useState } from 'react';
import type { Controller } from './controller';
import { useStore } from './createStore';
import { downloadBlob } from './download';
import { run } from './store';

export function RunFilePanel({ controller }: { controller: Controller }) {
  const ready = useStore(run, (r) => r.ready);
  const [message, setMessage] = useState<{ text: string; kind: 'ok' | 'warn' } | null>(null);
  const [busy, setBusy] = useState(false);
  const picker = useRef<HTMLInputElement>(null);

  const save = async () => {
    setBusy(true);
    try {
      const { bytes, step } = await controller.saveRun();
      const name = `darts-run-step${step}.darts`;
      downloadBlob(name, new Blob([bytes], { type: 'application/octet-stream' }));
      setMessage({ text: `Saved ${name} (${(bytes.byteLength / 1e6).toFixed(1)} MB). Open it here later, or continue it with: npm run -s darts -- search --resume ${name}`, kind: 'ok' });
    } catch (e) {
      setMessage({ text: `The run could not be saved: ${e instanceof Error ? e.message : String(e)}`, kind: 'warn' });
    } finally {
      setBusy(false);
    }
  };

  const open = async (file: File | undefined) => {
    if (!file) return;
    const why = controller.openRun(await file.arrayBuffer());
    setMessage(why ? { text: `${file.name}: ${why} The current run goes on.`, kind: 'warn' } : { text: `Opening ${file.name}…`, kind: 'ok' });
    if (picker.current) picker.current.value = '';
  };

  return (
    <section className="panel" aria-labelledby="runfile-title" data-control="runfile">
      <h2 id="runfile-title">This run</h2>
      <div className="button-row">
        <button type="button" disabled={!ready || busy} onClick={() => void save()} title="Download the whole run: weights, α, optimisers, step, chart history">
          Save run
        </button>
        <button type="button" onClick={() => picker.current?.click()} title="Continue a run saved with Save run (or darts search --save)">
          Open run
        </button>
        <input
          ref={picker}
          type="file"
          accept=".darts,application/octet-stream"
          hidden
          aria-label="Run file"
          data-testid="open-run-file"
          onChange={(e) => void open(e.target.files?.[0])}
        />
      </div>
      {message && (
        <p className={`panel-note${message.kind === 'warn' ? ' upload-error' : ''}`} role={message.kind === 'warn' ? 'alert' : 'status'}>
          {message.text}
        </p>
      )}
    </section>
  );
}
