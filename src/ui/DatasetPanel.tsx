/**
 * The dataset of the run: a select (built-in real data, synthetic patterns, teaching tasks, the
 * user's files), the loading progress, and the dataset card (samples per class, counts, source,
 * license). User files are parsed in the worker and never leave the browser.
 */
import { useEffect, useRef, useState } from 'react';
import type { Controller } from './controller';
import { useStore } from './createStore';
import { configForDataset, datasetOptions, specValue } from './datasetChoice';
import { data } from './dataStores';
import { ConfirmDialog } from './ConfirmDialog';
import { live, run } from './store';
import type { DatasetCard, DatasetSpec } from '../worker/protocol';

/** Draw one uint8 HWC image (1 or 3 channels) into a canvas, pixelated. */
function SampleImage({ card, pixels, label }: { card: DatasetCard; pixels: Uint8Array; label: string }) {
  const ref = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const ctx = ref.current?.getContext('2d');
    if (!ctx) return;
    const { width: w, height: h, channels: c } = card;
    const img = ctx.createImageData(w, h);
    for (let p = 0; p < w * h; p++) {
      for (let k = 0; k < 3; k++) img.data[4 * p + k] = pixels[p * c + (c === 1 ? 0 : k)];
      img.data[4 * p + 3] = 255;
    }
    ctx.putImageData(img, 0, 0);
  }, [card, pixels]);
  return <canvas ref={ref} width={card.width} height={card.height} className="sample" role="img" aria-label={label} />;
}

function progressText(p: { phase: string; loaded: number; total: number; detail?: string }): string {
  if (p.phase === 'download') return `Downloading ${(p.loaded / 1e6).toFixed(1)} / ${(p.total / 1e6).toFixed(1)} MB`;
  return `${p.phase[0].toUpperCase()}${p.phase.slice(1)} ${p.loaded} / ${p.total}${p.detail ? ` (${p.detail})` : ''}`;
}

export function DatasetCardView({ card }: { card: DatasetCard }) {
  const byClass = card.classNames.map((name, label) => ({ name, label, samples: card.samples.filter((s) => s.label === label) }));
  return (
    <div className="dataset-card" data-dataset={card.id}>
      <p className="panel-note">
        <strong>{card.name}</strong>: {card.trainCount.toLocaleString('en-US')} training images (split 50/50 into weight and α halves, spec §3.2),{' '}
        {card.testCount.toLocaleString('en-US')} held-out test images; {card.height}×{card.width}×{card.channels}, {card.classNames.length} classes. Loaded
        in {(card.loadMs / 1000).toFixed(1)} s.
      </p>
      <div className="sample-grid" role="list" aria-label={`Sample images of ${card.name} per class`}>
        {byClass.map((c) => (
          <div className="sample-class" role="listitem" key={c.label}>
            <div className="sample-row">
              {c.samples.map((s, i) => (
                <SampleImage key={i} card={card} pixels={s.pixels} label={`${c.name}, sample ${i + 1}`} />
              ))}
            </div>
            <span className="sample-name">{c.name}</span>
          </div>
        ))}
      </div>
      {card.note && <p className="panel-note">{card.note}</p>}
      <p className="panel-note license">
        Source: {card.source}. License: {card.license}
      </p>
    </div>
  );
}

/** Read dropped / picked files into transferable buffers, keeping folder paths. */
async function readFiles(files: File[]): Promise<{ name: string; bytes: ArrayBuffer }[]> {
  return Promise.all(files.map(async (f) => ({ name: (f as File & { webkitRelativePath?: string }).webkitRelativePath || f.name, bytes: await f.arrayBuffer() })));
}

function UploadBox({ controller }: { controller: Controller }) {
  const uploading = useStore(data, (d) => d.uploading);
  const problems = useStore(data, (d) => d.uploadProblems);
  const error = useStore(data, (d) => d.uploadError);
  const upload = useStore(data, (d) => d.upload);
  const config = useStore(run, (r) => r.config);

  const load = async (list: FileList | null) => {
    if (!list || list.length === 0 || !config) return;
    const files = Array.from(list);
    const cifar = files.every((f) => f.name.toLowerCase().endsWith('.bin'));
    const target = { height: config.height, width: config.width, channels: config.inChannels };
    await controller.loadUserFiles(cifar ? 'cifar10' : 'images', await readFiles(files), target);
  };

  return (
    <details className="upload-box" data-control="upload">
      <summary>Use your own data (stays in this browser)</summary>
      <p className="panel-note">
        CIFAR-10 binary batches (<code>data_batch_1.bin</code> … <code>test_batch.bin</code>), or a ZIP or folder with one subfolder per class. Images
        are resized to the search input ({config ? `${config.height}×${config.width}×${config.inChannels}` : '…'}). Nothing is uploaded.
      </p>
      <div
        className="drop-zone"
        onDragOver={(e) => e.preventDefault()}
        onDrop={(e) => {
          e.preventDefault();
          void load(e.dataTransfer.files);
        }}
      >
        <label>
          Files (.bin or .zip)
          <input type="file" multiple accept=".bin,.zip,image/*" disabled={uploading} onChange={(e) => void load(e.target.files)} data-testid="upload-files" />
        </label>
        <label>
          A folder of class folders
          <input
            type="file"
            disabled={uploading}
            onChange={(e) => void load(e.target.files)}
            {...({ webkitdirectory: '', directory: '' } as Record<string, string>)}
          />
        </label>
      </div>
      {uploading && <p role="status">Reading your files…</p>}
      {error && (
        <p className="upload-error" role="alert">
          {error}
        </p>
      )}
      {problems.length > 0 && (
        <details open={!upload}>
          <summary>
            {problems.length} file{problems.length === 1 ? '' : 's'} skipped
          </summary>
          <ul className="problems">
            {problems.slice(0, 50).map((p, i) => (
              <li key={i}>
                <code>{p.file}</code>: {p.problem}
              </li>
            ))}
          </ul>
        </details>
      )}
      {upload && !uploading && (
        <p className="panel-note" role="status">
          Loaded {upload.name}: {upload.trainCount} training and {upload.testCount} test images in {upload.classNames.length} classes. Pick “Your files” above
          to search on them.
        </p>
      )}
    </details>
  );
}

export function DatasetPanel({ controller }: { controller: Controller }) {
  const spec = useStore(data, (d) => d.spec);
  const card = useStore(data, (d) => d.card);
  const progress = useStore(data, (d) => d.progress);
  const upload = useStore(data, (d) => d.upload);
  const ready = useStore(run, (r) => r.ready);
  const [pending, setPending] = useState<DatasetSpec | null>(null);
  const options = datasetOptions(upload);

  const apply = (next: DatasetSpec) => {
    setPending(null);
    controller.setDataset(next, configForDataset(controller.currentConfig, next, upload));
  };
  const augment = spec.name !== 'synthetic' && spec.augment === true;
  const request = (next: DatasetSpec) => {
    // A new dataset is a new run: ask first when there is progress to lose.
    if ((live.latest()?.step ?? 0) > 0) setPending(next);
    else apply(next);
  };
  const choose = (value: string) => {
    const picked = options.find((o) => o.value === value)?.spec;
    if (!picked) return;
    request(picked.name === 'synthetic' ? picked : { ...picked, augment });
  };

  return (
    <section className="panel dataset-panel" aria-labelledby="dataset-title">
      <h2 id="dataset-title">Data</h2>
      <div className="field" data-control="dataset">
        <label htmlFor="dataset-select">Dataset</label>
        <select id="dataset-select" value={specValue(spec)} disabled={!ready && !card} onChange={(e) => choose(e.target.value)}>
          {options.map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ))}
        </select>
      </div>
      <label className="toggle" data-control="augment" title="Random crop with zero padding on every training batch, plus a horizontal flip where it keeps the label (not for digits); spec §3.2">
        <input
          type="checkbox"
          checked={augment}
          disabled={spec.name === 'synthetic'}
          onChange={(e) => {
            if (spec.name !== 'synthetic') request({ ...spec, augment: e.target.checked });
          }}
        />
        Augment training batches (random crop{card?.flipSafe ? ', flip' : ''})
      </label>
      {progress && (
        <div className="data-progress">
          <progress max={progress.total || 1} value={progress.loaded} aria-label="Dataset loading progress" />
          <span>{progressText(progress)}</span>
        </div>
      )}
      {card && <DatasetCardView card={card} />}
      <UploadBox controller={controller} />
      {pending && (
        <ConfirmDialog
          title="Switch the dataset?"
          confirmLabel="Switch and restart"
          cancelLabel="Keep the current run"
          onConfirm={() => apply(pending)}
          onCancel={() => setPending(null)}
        >
          A new dataset starts a new search from step 0. Export the genotype first if you want to keep it.
        </ConfirmDialog>
      )}
    </section>
  );
}
