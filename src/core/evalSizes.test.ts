import { describe, expect, it } from 'vitest';
import { estimateEvalBytes, EVAL_BYTES_LIMIT, evalSizeById, EVAL_SIZES } from './evalSizes';

describe('evaluation sizes', () => {
  it('the estimate covers the measured peaks and keeps Quick and Standard under the limit', () => {
    const at16 = (id: string) => {
      const s = evalSizeById(id)!;
      return estimateEvalBytes({ ...s, height: 16, width: 16 });
    };
    expect(at16('quick')).toBeGreaterThan(538e6);
    expect(at16('standard')).toBeGreaterThan(1.08e9);
    expect(at16('standard')).toBeLessThan(EVAL_BYTES_LIMIT);
    // The paper's shape needs tens of GB: the browser refuses it instead of crashing the backend.
    expect(at16('reference')).toBeGreaterThan(EVAL_BYTES_LIMIT);
  });
  it('ids are unique and Quick comes first', () => {
    expect(new Set(EVAL_SIZES.map((s) => s.id)).size).toBe(EVAL_SIZES.length);
    expect(EVAL_SIZES[0].id).toBe('quick');
  });
});
