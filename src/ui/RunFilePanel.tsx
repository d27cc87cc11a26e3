/**
 * "Save run" / "Open run" (issue 11 item 2): the whole run (weights, BN statistics, α, both
 * optimisers, the sampler, the step and the chart history) as one file, core/runFile.ts. A saved
 * run reopens here or in `darts search --resume` and continues exactly where it was.
 */
import { useRef, useState } from 'react';
import type { Controller } from './controller';
import { useStore } from './createStore';
import { downloadBlob } from './download';
import { parseReplayOrLog, pyTorchExportToRun, runToPyTorchExport } from './interop';
import { playReplayFile } from './replay';
import { run } from './store';

export function RunFilePanel({ controller }: { controller: Controller }) {
  const ready = useStore(run, (r) => r.ready);
  const [message, setMessage] = useState<{ text: string; kind: 'ok' | 'warn' } | null>(null);
  const [busy, setBusy] = useState(false);
  const picker = useRef<HTMLInputElement>(null);
  const weightsPicker = useRef<HTMLInputElement>(null);
  const replayPicker = useRef<HTMLInputElement>(null);

  /**
   * Save the run in the worker and download what `toFile` makes of its bytes (the run file itself,
   * or the PyTorch export); `failure` names what could not be done.
   */
  const saveAndDownload = async (failure: string, toFile: (bytes: ArrayBuffer, step: number) => { name: string; data: BlobPart; text: string } | { error: string }) => {
    setBusy(true);
    try {
      const { bytes, step } = await controller.saveRun();
      const f = toFile(bytes, step);
      if ('error' in f) return setMessage({ text: f.error, kind: 'warn' });
      downloadBlob(f.name, new Blob([f.data], { type: 'application/octet-stream' }));
      setMessage({ text: f.text, kind: 'ok' });
    } catch (e) {
      setMessage({ text: `${failure}: ${e instanceof Error ? e.message : String(e)}`, kind: 'warn' });
    } finally {
      setBusy(false);
    }
  };

  const save = () =>
    saveAndDownload('The run could not be saved', (bytes, step) => {
      const name = `darts-run-step${step}.darts`;
      return { name, data: bytes as BlobPart, text: `Saved ${name} (${(bytes.byteLength / 1e6).toFixed(1)} MB). Open it here later, or continue it with: npm run -s darts -- search --resume ${name}` };
    });

  const open = async (file: File | undefined) => {
    if (!file) return;
    const why = controller.openRun(await file.arrayBuffer());
    setMessage(why ? { text: `${file.name}: ${why} The current run goes on.`, kind: 'warn' } : { text: `Opening ${file.name}…`, kind: 'ok' });
    if (picker.current) picker.current.value = '';
  };

  // Interop with quark0/darts (issue 12 item 3; README "Interop with the reference code").
  const exportForPyTorch = () =>
    saveAndDownload('The weights could not be exported', (bytes, step) => {
      const r = runToPyTorchExport(bytes);
      if (!r.ok) return { error: `Not exported: ${r.error}` };
      const name = `darts-weights-step${step}.bin`;
      return { name, data: r.value as BlobPart, text: `Saved ${name}. Make a PyTorch checkpoint of it with: python3 scripts/darts_state_dict.py to-torch ${name} weights.pt --alphas alphas.pt ${r.notes.join(' ')}`.trim() };
    });

  const importWeights = async (file: File | undefined) => {
    if (!file) return;
    const r = pyTorchExportToRun(await file.arrayBuffer());
    const why = r.ok ? controller.openRun(r.value) : r.error;
    setMessage(why ? { text: `${file.name}: ${why} The current run goes on.`, kind: 'warn' } : { text: `Opening ${file.name}… ${r.ok ? r.notes.join(' ') : ''}`.trim(), kind: 'ok' });
    if (weightsPicker.current) weightsPicker.current.value = '';
  };

  const openReplay = async (file: File | undefined) => {
    if (!file) return;
    const r = parseReplayOrLog(await file.text(), file.name);
    let why = r.ok ? null : r.error;
    if (r.ok) {
      controller.pause();
      why = playReplayFile(r.value);
    }
    setMessage(why ? { text: `${file.name}: ${why}`, kind: 'warn' } : { text: `Playing ${file.name} (${r.ok ? r.value.frames.length : 0} frames). ${r.ok ? r.notes.join('; ') : ''}`.trim(), kind: 'ok' });
    if (replayPicker.current) replayPicker.current.value = '';
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
      <div className="button-row">
        <button type="button" disabled={!ready || busy} onClick={() => void exportForPyTorch()} title="Download weights, BN statistics and α under quark0/darts model_search.Network's state_dict names (then scripts/darts_state_dict.py to-torch)">
          Export for PyTorch
        </button>
        <button type="button" onClick={() => weightsPicker.current?.click()} title="Open weights exported here or by scripts/darts_state_dict.py from-torch; the optimisers start fresh">
          Import PyTorch weights
        </button>
        <input
          ref={weightsPicker}
          type="file"
          accept=".bin,.dstd,application/octet-stream"
          hidden
          aria-label="PyTorch weights export"
          data-testid="import-pytorch-weights"
          onChange={(e) => void importWeights(e.target.files?.[0])}
        />
        <button type="button" onClick={() => replayPicker.current?.click()} title="Play a replay file, or the console log of quark0/darts train_search.py, in the cells and charts">
          Open replay or log
        </button>
        <input
          ref={replayPicker}
          type="file"
          accept=".json,.log,.txt,application/json,text/plain"
          hidden
          aria-label="Replay or train_search log"
          data-testid="open-replay-file"
          onChange={(e) => void openReplay(e.target.files?.[0])}
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
