/**
 * Where a command writes. stdout carries only the command's JSON result; everything for humans
 * (progress, warnings, usage, errors) goes to stderr. Tests pass an in-memory CommandIO.
 */
export interface CommandIO {
  /** Result output (stdout). */
  out(text: string): void;
  /** Human output (stderr). */
  err(text: string): void;
  /** True when stderr is a terminal: the progress bar redraws in place instead of printing lines. */
  readonly errIsTTY: boolean;
}

export const processIO: CommandIO = {
  out: (text) => void process.stdout.write(text),
  err: (text) => void process.stderr.write(text),
  get errIsTTY() {
    return Boolean(process.stderr.isTTY);
  },
};

/** An in-memory CommandIO for tests. */
export function memoryIO(): CommandIO & { stdout: string; stderr: string } {
  const io = {
    stdout: '',
    stderr: '',
    errIsTTY: false,
    out(text: string) {
      io.stdout += text;
    },
    err(text: string) {
      io.stderr += text;
    },
  };
  return io;
}

/**
 * JSON for people and machines: indented, but arrays of plain values stay on one line
 * (genotype pairs, α rows, shapes). Only structural whitespace changes: JSON.stringify never
 * puts a raw newline inside a string, so every newline matched here lies between tokens.
 */
export function formatJson(value: unknown): string {
  return JSON.stringify(value, null, 2).replace(/\[[^[\]{}]*\]/g, (arr) =>
    arr.replace(/^\[\n\s*/, '[').replace(/\n\s*\]$/, ']').replace(/,\n\s*/g, ', '),
  );
}
