import { describe, expect, it } from 'vitest';
import { dataProgressText } from './format';

describe('dataProgressText', () => {
  it('says how much of a download has arrived', () => {
    expect(dataProgressText('mnist', { phase: 'download', loaded: 600_000, total: 1_600_000 })).toBe('Downloading mnist: 0.6 of 1.6 MB (37 %)…');
  });
  it('leaves out the total and the percent when the size is unknown', () => {
    expect(dataProgressText('mnist', { phase: 'download', loaded: 250_000, total: 0 })).toBe('Downloading mnist: 0.3 MB…');
  });
  it('names the generating and unpacking phases, capped at 100 %', () => {
    expect(dataProgressText('task-long-range', { phase: 'generate', loaded: 1, total: 1 })).toBe('Generating the task-long-range images (100 %)…');
    expect(dataProgressText('fashion-mnist', { phase: 'decode', loaded: 12, total: 10 })).toBe('Unpacking fashion-mnist (100 %)…');
  });
});
