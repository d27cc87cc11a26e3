/** The input size a user dataset is converted to (the config's input height, width and channels). */
export interface TargetShape {
  height: number;
  width: number;
  channels: number;
}

/** Throws a RangeError for a shape the converters cannot produce (a programming error, not a user one). */
export function checkTarget(t: TargetShape): void {
  const ok = (v: number) => Number.isInteger(v) && v >= 1 && v <= 4096;
  if (!ok(t.height) || !ok(t.width) || !(t.channels === 1 || t.channels === 3)) {
    throw new RangeError(`target must be height, width in 1..4096 and 1 or 3 channels, got ${t.height}×${t.width}×${t.channels}`);
  }
}
