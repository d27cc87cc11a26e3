/**
 * "Compare runs" state (issue 12 item 4): the runs kept for comparison, which two are compared,
 * at which step, and what the chart plots. Run A defaults to the run on screen (`CURRENT`: the
 * live run, or the replay being played); run B to the newest pinned or loaded run.
 *
 * Runs come from three places:
 * - "Pin this run" freezes a copy of what is on screen (its α frames, entropies and config), so
 *   the user can change the method or the seed, reset, search again and compare;
 * - a built-in replay (public/replays/<preset>.json, the loader of src/ui/replay.ts);
 * - a file the user opens: anything `decodeRunText` turns into a core `Replay`.
 */
import type { Replay } from '../core/replay';
import { parseReplayJson } from '../core/replay';
import { looksLikeTrainSearchLog, parseTrainSearchLogAsReplay } from '../core/trainSearchLog';
import { createStore } from './createStore';
import { runFromHistory, runFromReplay, pinRun, type CompareRun, type TrajectoryMode } from './compare';
import { replayState, replayUrl } from './replay';
import { live, run } from './store';

/** The id of "whatever the app shows now" in the run pickers. */
export const CURRENT = 'current';
/** Pinned and loaded runs kept at most (each holds every α frame of its run). */
export const MAX_KEPT_RUNS = 6;

export interface CompareState {
  open: boolean;
  /** Pinned and loaded runs, oldest first. */
  runs: CompareRun[];
  /** Run ids (or CURRENT) in the two slots. */
  a: string;
  b: string | null;
  /** The shared step, or null for each run's latest frame. */
  step: number | null;
  mode: TrajectoryMode;
  /** The last load problem or confirmation, for a status line. */
  message: { text: string; kind: 'ok' | 'warn' } | null;
}

export const compare = createStore<CompareState>({
  open: false,
  runs: [],
  a: CURRENT,
  b: null,
  step: null,
  mode: { kind: 'entropy' },
  message: null,
});

let nextId = 1;

/** What the current view is called in the pickers: the live run or the replay it plays. */
export function currentName(): string {
  const r = replayState.get();
  return r.status !== 'off' && r.preset ? `On screen: replay of ${r.preset}` : 'On screen: this run';
}

/** The run on screen, as a run (a fresh copy of the live store's history), or null before any frame. */
export function currentRun(): CompareRun | null {
  const config = run.get().config;
  const h = live.history;
  if (!config || h.frames.length === 0) return null;
  const source = replayState.get().status !== 'off' ? 'replay' : 'live';
  return runFromHistory(h, config, CURRENT, source, currentName());
}

/** A kept run by id (CURRENT gives a fresh copy of the run on screen). */
export function runById(id: string | null): CompareRun | null {
  if (id === null) return null;
  if (id === CURRENT) return currentRun();
  return compare.get().runs.find((r) => r.id === id) ?? null;
}

/** Keep `r` and show it as run B (dropping the oldest kept run beyond MAX_KEPT_RUNS). */
function keep(r: CompareRun, text: string): void {
  compare.set((s) => {
    const runs = [...s.runs, r].slice(-MAX_KEPT_RUNS);
    const a = s.a === CURRENT || runs.some((x) => x.id === s.a) ? s.a : CURRENT;
    return { ...s, runs, a, b: r.id, message: { text, kind: 'ok' } };
  });
}

/** "Pin this run": freeze a copy of the run on screen. Returns it, or null when nothing is on screen yet. */
export function pinCurrent(): CompareRun | null {
  const cur = currentRun();
  if (!cur) {
    compare.set((s) => ({ ...s, message: { text: 'Nothing to pin yet: the run has no frames.', kind: 'warn' } }));
    return null;
  }
  const id = `pin-${nextId++}`;
  const last = cur.frames[cur.frames.length - 1].step;
  const what = cur.source === 'replay' ? cur.name.replace(/^On screen: /, '') : 'live run';
  const pinned = pinRun(cur, id, `Pinned ${id.slice(4)}: ${what}, seed ${cur.config.seed}, step ${last}`);
  keep(pinned, `Pinned ${what} at step ${last}.`);
  return pinned;
}

/** Keep a decoded replay as a run (a built-in one, an opened file, a converted log). */
export function addReplay(replay: Replay, name: string, source: 'replay' | 'file' = 'replay'): CompareRun {
  const r = runFromReplay(replay, `run-${nextId++}`, source, name);
  keep(r, `Loaded ${name}.`);
  return r;
}

/**
 * Turn an opened file's text into a replay. Today that is a replay file (src/core/replay.ts);
 * other formats that decode to the same `Replay` (a train_search.py log, src/core/trainSearchLog.ts)
 * go in front of it here.
 * @throws Error naming the problem
 */
export function decodeRunText(text: string): Replay {
  // A train_search.py console log (a real GPU search) compares like a recorded replay.
  if (looksLikeTrainSearchLog(text)) return parseTrainSearchLogAsReplay(text).replay;
  return parseReplayJson(text);
}

/** Fetch and keep a preset's built-in replay as run B. */
export async function loadBuiltinReplay(preset: string, fetchImpl: typeof fetch = (...a) => fetch(...a)): Promise<CompareRun | null> {
  try {
    const res = await fetchImpl(replayUrl(preset));
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
    return addReplay(parseReplayJson(await res.text()), `Replay: ${preset}`);
  } catch (e) {
    compare.set((s) => ({ ...s, message: { text: `Could not load the ${preset} replay: ${(e as Error).message}`, kind: 'warn' } }));
    return null;
  }
}

/** Keep an opened file's run as run B; a problem goes to the status line. */
export function loadRunFile(text: string, fileName: string): CompareRun | null {
  try {
    return addReplay(decodeRunText(text), `File: ${fileName}`, 'file');
  } catch (e) {
    compare.set((s) => ({ ...s, message: { text: `${fileName}: ${(e as Error).message}`, kind: 'warn' } }));
    return null;
  }
}

export function openCompare(open = true): void {
  compare.set((s) => ({ ...s, open }));
}
