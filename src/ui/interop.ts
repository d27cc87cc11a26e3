/**
 * The app's side of the interop with quark0/darts (issue 12 item 3), for RunFilePanel.tsx. All
 * conversions are pure core code run on the main thread (no tfjs here: the worker's run file
 * bytes are converted after "Save run"'s request, or before "Open run"'s):
 *
 * - "Export for PyTorch": run file bytes → the state_dict export (core/stateDict.ts);
 * - "Import PyTorch weights": an export (playground or `scripts/darts_state_dict.py from-torch`)
 *   → run file bytes, which then go through the ordinary "Open run" path;
 * - "Open replay or log": a replay file (core/replay.ts) or a train_search.py log
 *   (core/trainSearchLog.ts) → a Replay for ui/replay.ts `playReplayFile`.
 */
import { parseReplayJson, ReplayFormatError, type Replay } from '../core/replay';
import { decodeRunFile, encodeRunFile, RunFileError } from '../core/runFile';
import { exportStateDict, importStateDict, StateDictError } from '../core/stateDict';
import { looksLikeTrainSearchLog, MAX_LOG_BYTES, parseTrainSearchLogAsReplay, TrainSearchLogError } from '../core/trainSearchLog';

export type Converted<T> = { ok: true; value: T; notes: string[] } | { ok: false; error: string };

const why = (e: unknown): string => {
  if (e instanceof RunFileError || e instanceof StateDictError || e instanceof ReplayFormatError || e instanceof TrainSearchLogError) return e.message;
  throw e; // a bug, not a bad file: let the error banner show it
};

/** The saved run's bytes → the PyTorch export (refused for PC-DARTS, with the reason). */
export function runToPyTorchExport(runBytes: ArrayBuffer): Converted<Uint8Array> {
  try {
    const run = decodeRunFile(new Uint8Array(runBytes));
    const bytes = exportStateDict(run.state, { dataset: run.dataset });
    const notes: string[] = [];
    if (run.state.config.ops.length !== 8 || run.state.config.inChannels !== 3) notes.push('This network differs from the unmodified reference Network; the export header lists what to change.');
    return { ok: true, value: bytes, notes };
  } catch (e) {
    return { ok: false, error: why(e) };
  }
}

/** A PyTorch export → run file bytes for "Open run" (weights, BN statistics, α; optimisers fresh). */
export function pyTorchExportToRun(bytes: ArrayBuffer): Converted<ArrayBuffer> {
  try {
    const r = importStateDict(new Uint8Array(bytes));
    const run = encodeRunFile({ state: r.state, dataset: r.dataset, savedAt: new Date().toISOString() });
    return { ok: true, value: run.buffer.slice(run.byteOffset, run.byteOffset + run.byteLength) as ArrayBuffer, notes: r.notes };
  } catch (e) {
    return { ok: false, error: why(e) };
  }
}

/** A replay file or a train_search.py log (told apart by content, not by the file name). */
export function parseReplayOrLog(text: string, fileName?: string): Converted<Replay> {
  if (text.length > MAX_LOG_BYTES) return { ok: false, error: `${(text.length / 1e6).toFixed(0)} MB is far more than a replay or a search log.` };
  try {
    // JSON is a replay; anything else is read as a log (whose errors then say what a log needs).
    if (!text.trimStart().startsWith('{') || looksLikeTrainSearchLog(text)) {
      const { replay, log } = parseTrainSearchLogAsReplay(text, fileName ? { fileName } : {});
      return { ok: true, value: replay, notes: log.warnings };
    }
    return { ok: true, value: parseReplayJson(text), notes: [] };
  } catch (e) {
    return { ok: false, error: why(e) };
  }
}
