/**
 * Problems found in files the user dropped (CIFAR-10 batches, image folders, ZIPs). Every problem
 * names the file and says, in plain words, what is wrong and what to do. Loaders collect problems
 * and go on with the good files; they throw `UserDataError` only when nothing usable remains, so a
 * partial or failed load never touches the dataset of a run already in progress.
 */

/** One file and what is wrong with it. `file` is the name/path as the user sees it. */
export interface UserFileProblem {
  file: string;
  problem: string;
}

/** `file: problem`, the one-line form shown in the UI. */
export function formatProblem(p: UserFileProblem): string {
  return `${p.file}: ${p.problem}`;
}

/** Thrown when the dropped files give no usable dataset; `problems` lists every file at fault. */
export class UserDataError extends Error {
  readonly problems: UserFileProblem[];
  constructor(summary: string, problems: UserFileProblem[]) {
    const lines = problems.map((p) => `  ${formatProblem(p)}`);
    super(lines.length > 0 ? `${summary}\n${lines.join('\n')}` : summary);
    this.name = 'UserDataError';
    this.problems = problems;
  }
}

/**
 * A decoder may throw this to give the user a specific reason (e.g. "12,000 × 9,000 pixels is
 * too large"); any other error thrown by a decoder is reported as a corrupt or truncated image.
 */
export class ImageDecodeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ImageDecodeError';
  }
}

/** 30730001 → "30,730,001" (fixed, locale-independent grouping so messages and tests agree). */
export function groupDigits(n: number): string {
  const s = String(Math.trunc(Math.abs(n)));
  const grouped = s.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return n < 0 ? `-${grouped}` : grouped;
}

/** The last path component: "cifar-10-batches-bin/data_batch_1.bin" → "data_batch_1.bin". */
export function baseName(path: string): string {
  const parts = path.split(/[\\/]/);
  return parts[parts.length - 1];
}

/** True for macOS/Windows clutter and dotfiles that are never data. */
export function isIgnoredPath(path: string): boolean {
  const parts = path.split(/[\\/]/).filter((p) => p.length > 0);
  if (parts.some((p) => p === '__MACOSX' || (p.startsWith('.') && p !== '.' && p !== '..'))) return true;
  const base = (parts[parts.length - 1] ?? '').toLowerCase();
  return base === 'thumbs.db' || base === 'desktop.ini';
}
