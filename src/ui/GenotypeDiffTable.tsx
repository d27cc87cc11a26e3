/**
 * The two derived genotypes as one table, node by node (src/core/genotypeDiff.ts), with every
 * differing choice marked three ways: a tinted row, a "≠" mark and the words of the difference
 * ("op differs", …) in its own column, so the table reads the same without colour.
 */
import type { Genotype, GenotypePair } from '../core/genotype';
import { diffGenotypes, diffSummary, SLOT_KIND_TEXT } from '../core/genotypeDiff';
import { stateName } from '../core/searchSpace';

const pairText = (p: GenotypePair | null) => (p ? `${p[0]} ← ${stateName(p[1])}` : '—');

export function GenotypeDiffTable({ a, b }: { a: Genotype | null; b: Genotype | null }) {
  if (!a || !b) {
    return (
      <p className="compare-diff-none" data-testid="compare-diff-count" data-differ="">
        Choose two runs with at least one frame each to compare their genotypes.
      </p>
    );
  }
  const d = diffGenotypes(a, b);
  const concat = (['normal', 'reduce'] as const).filter((c) => !d.concatSame[c]);
  return (
    <div className="compare-diff">
      <p className="compare-diff-count" role="status" data-testid="compare-diff-count" data-differ={d.differing} data-total={d.total}>
        {diffSummary(d)}
        {concat.length > 0 && ` · the ${concat.map((c) => (c === 'normal' ? 'normal' : 'reduction')).join(' and ')} cell outputs concatenate other states`}
      </p>
      <table className="compare-diff-table" data-testid="compare-diff-table">
        <caption>Derived genotypes (top-2 inputs per node, spec §4.1): op ← input</caption>
        <thead>
          <tr>
            <th scope="col">Cell</th>
            <th scope="col">Node</th>
            <th scope="col">Run A</th>
            <th scope="col">Run B</th>
            <th scope="col">Difference</th>
          </tr>
        </thead>
        <tbody>
          {d.nodes.map((n) =>
            n.slots.map((s, i) => (
              <tr key={`${n.cell}-${n.node}-${i}`} className={s.kind === 'same' ? undefined : 'differs'} data-diff={s.kind}>
                {i === 0 && (
                  <>
                    <th scope="row" rowSpan={n.slots.length}>
                      {n.cell === 'normal' ? 'normal' : 'reduction'}
                    </th>
                    <td rowSpan={n.slots.length}>{n.node}</td>
                  </>
                )}
                <td className="mono">{pairText(s.a)}</td>
                <td className="mono">{pairText(s.b)}</td>
                <td>
                  {s.kind !== 'same' && <span aria-hidden="true">≠ </span>}
                  {SLOT_KIND_TEXT[s.kind]}
                </td>
              </tr>
            )),
          )}
        </tbody>
      </table>
    </div>
  );
}
