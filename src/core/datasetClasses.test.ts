import { describe, expect, it } from 'vitest';
import { knownClassCount } from './datasetClasses';

describe('knownClassCount', () => {
  it('knows the built-in sets and the teaching tasks, not synthetic data or uploads', () => {
    expect(knownClassCount('mnist')).toBe(10);
    expect(knownClassCount('fashion-mnist')).toBe(10);
    expect(knownClassCount('task')).toBe(4);
    expect(knownClassCount('task-long-range')).toBe(4);
    expect(knownClassCount('synthetic')).toBeNull();
    expect(knownClassCount('upload')).toBeNull();
  });
});
