/**
 * Stores for the dataset of the run and for "Train this cell" (low frequency; see store.ts for
 * the high-frequency live snapshot). The controller writes them from worker replies.
 */
import type { DatasetCard, DatasetSpec, EvalOutcome, EvalRequest } from '../worker/protocol';
import { createStore } from './createStore';

export interface DataState {
  /** The dataset the UI asked for (the run uses it once `card` matches). */
  spec: DatasetSpec;
  card: DatasetCard | null;
  /** Loading progress, null when idle. */
  progress: { phase: string; loaded: number; total: number; detail?: string } | null;
  /** The user's parsed files, once a load succeeded (kept across runs). */
  upload: DatasetCard | null;
  /** Per-file problems of the last user-data load, and its overall error if nothing was usable. */
  uploadProblems: { file: string; problem: string }[];
  uploadError: string | null;
  uploading: boolean;
}

export const data = createStore<DataState>({
  spec: { name: 'synthetic' },
  card: null,
  progress: null,
  upload: null,
  uploadProblems: [],
  uploadError: null,
  uploading: false,
});

/** One trained cell: the chosen one (candidate 0) or a random one. */
export type EvalCandidateResult = EvalOutcome & { candidate: number; label: string };

export interface EvalState {
  requestId: number | null;
  request: EvalRequest | null;
  running: boolean;
  progress: { candidate: number; candidates: number; step: number; totalSteps: number; epoch: number } | null;
  /** Loss / accuracy of every reported batch of the current candidate (for the live chart). */
  curve: { step: number; loss: number; acc: number }[];
  results: EvalCandidateResult[];
  error: string | null;
  cancelled: boolean;
  startedAt: number | null;
  finishedMs: number | null;
}

export const evaluation = createStore<EvalState>({
  requestId: null,
  request: null,
  running: false,
  progress: null,
  curve: [],
  results: [],
  error: null,
  cancelled: false,
  startedAt: null,
  finishedMs: null,
});
