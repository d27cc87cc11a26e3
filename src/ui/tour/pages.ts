/**
 * The guided tour, written as data. Each page talks about one live element of the playground
 * (`target`, a CSS selector), which the tour outlines and scrolls into view while the page is
 * shown. Prose uses `$…$` for inline maths and `$$…$$` for display maths (typeset with KaTeX, see
 * ../tex.ts). Every formula is checked against ../shared/docs/darts-spec.md and the DARTS paper
 * (Liu, Simonyan & Yang, ICLR 2019); equation numbers are the paper's.
 *
 * Keep pages short: a lecturer projects them and talks over them.
 */

export type TourWidgetId = 'relaxation';

export interface TourPage {
  /** Stable id (tests, deep links). */
  id: string;
  title: string;
  /** Short paragraphs; `$…$` inline and `$$…$$` display maths. */
  body: string[];
  /** CSS selector of the live UI element this page talks about. */
  target: string;
  /** An interactive widget shown after the text. */
  widget?: TourWidgetId;
  /** An optional link, e.g. to a preset. */
  link?: { href: string; label: string };
}

export const TOUR_PAGES: readonly TourPage[] = [
  {
    id: 'why-nas',
    title: 'Why search for an architecture?',
    target: 'section[aria-labelledby="settings-title"]',
    body: [
      'A convolutional network is a long list of discrete design decisions: how many layers (here: cells), ' +
        'how many nodes inside a cell, which earlier node each node reads, and which operation sits on each ' +
        'connection (3×3 or 5×5 separable convolution, dilated convolution, pooling, identity).',
      'Even the small DARTS space is huge. A 4-node cell keeps 2 inputs per node, each with one of 7 operations: ' +
        '$\\prod_{m=0}^{3} \\binom{m+2}{2}\\, 7^{2} \\approx 1.0 \\times 10^{9}$ cells, about $10^{18}$ for a normal ' +
        'plus a reduction cell.',
      'Earlier methods trained thousands of candidates from scratch (2000 GPU-days of reinforcement learning for ' +
        'NASNet, 3150 of evolution for AmoebaNet, as quoted in the DARTS paper). DARTS trains one network that ' +
        'contains every candidate, in about a GPU-day.',
      'The highlighted settings hold these choices: cells (layers), nodes per cell, and the candidate operations.',
    ],
  },
  {
    id: 'discrete',
    title: 'Discrete choices have no gradient',
    target: '.cell-card:has([data-testid="cell-normal"])',
    body: [
      'Picking one operation per edge is a choice among categories. The loss, as a function of that choice, ' +
        'exists only at a few isolated points: there is no slope that leads from “max pooling” towards ' +
        '“separable convolution”.',
      'So earlier searches treated the choice as a black box: propose an architecture, train it, read its ' +
        'accuracy, and update a controller by reinforcement learning or evolution. Every data point costs a ' +
        'training run.',
      'DARTS keeps every candidate on every edge at once and mixes their outputs with weights that depend ' +
        'smoothly on real numbers $\\alpha$. Then $\\partial \\mathcal{L} / \\partial \\alpha$ exists, and gradient ' +
        'descent can do the search. In the highlighted cell, each edge is drawn as one curve per candidate.',
    ],
  },
  {
    id: 'relaxation',
    title: 'The continuous relaxation',
    target: '[data-testid="chart-alpha"]',
    widget: 'relaxation',
    body: [
      'On the edge from node $i$ to node $j$, every candidate $o \\in \\mathcal{O}$ is applied to the input $x$, ' +
        'and the outputs are blended by a softmax over the edge’s architecture parameters ' +
        '$\\alpha^{(i,j)} \\in \\mathbb{R}^{|\\mathcal{O}|}$ (paper eq. 2):',
      '$$\\bar{o}^{(i,j)}(x) = \\sum_{o \\in \\mathcal{O}} \\frac{\\exp\\big(\\alpha_o^{(i,j)}\\big)}{\\sum_{o\' \\in \\mathcal{O}} \\exp\\big(\\alpha_{o\'}^{(i,j)}\\big)}\\, o(x)$$',
      'The weights are positive and sum to 1. Adding one constant to all $\\alpha$ of an edge changes nothing, ' +
        'so each row of $\\nabla_\\alpha \\mathcal{L}$ sums to 0 (spec §2). $\\alpha$ starts at ' +
        '$10^{-3} \\cdot \\mathcal{N}(0, 1)$, so every op starts near $1/|\\mathcal{O}|$.',
      'Drag the sliders: three ops act on a 1-D signal and are blended by softmax(α). The highlighted chart ' +
        'shows softmax(α) of the selected edge of the live search.',
    ],
  },
  {
    id: 'cell-dag',
    title: 'A cell is a small DAG',
    target: '[data-testid="cell-normal"]',
    body: [
      'A cell has two input nodes, $c_{k-2}$ and $c_{k-1}$ (the outputs of the two previous cells), and $N$ ' +
        'ordered intermediate nodes. Each intermediate node sums what its mixed edges make of all its ' +
        'predecessors (paper eq. 1, with every operation replaced by its mixture):',
      '$$x^{(j)} = \\sum_{i < j} \\bar{o}^{(i,j)}\\big(x^{(i)}\\big)$$',
      'Intermediate node $m$ (counting from 0) has $m + 2$ incoming edges, so a cell has ' +
        '$\\sum_{m=0}^{N-1} (m + 2) = N(N+3)/2$ mixed edges: 14 for $N = 4$. The output $c_k$ concatenates the ' +
        'intermediate nodes along the channels (spec §1.5).',
      'In the highlighted drawing, a curve’s thickness is its softmax(α). Click an edge (or focus it and press ' +
        'Enter) to open the edge inspector with its live numbers.',
    ],
  },
  {
    id: 'cell-types',
    title: 'Normal and reduction cells',
    target: 'section.cells',
    body: [
      'The network stacks $L$ cells. The cells at depth $\\lfloor L/3 \\rfloor$ and $\\lfloor 2L/3 \\rfloor$ are ' +
        'reduction cells: the edges leaving their two inputs have stride 2, which halves height and width, and ' +
        'the channel count doubles. All other cells are normal cells, with stride 1 (spec §1.5–1.6).',
      'All normal cells share one $\\alpha_{\\text{normal}}$ and all reduction cells share one ' +
        '$\\alpha_{\\text{reduce}}$, each of shape $|E| \\times |\\mathcal{O}|$ ($14 \\times 8$ in the paper, 224 ' +
        'numbers in total), whatever $L$ is. That is why only two cells are drawn: the search designs two cell ' +
        'types, and the final network repeats them.',
    ],
  },
  {
    id: 'bilevel',
    title: 'Bi-level optimisation',
    target: '.controls',
    body: [
      'Two sets of parameters are learned: the network weights $w$ and the architecture $\\alpha$. DARTS judges ' +
        '$\\alpha$ by the validation loss of weights trained on the training data (paper eq. 3–4):',
      '$$\\min_{\\alpha}\\ \\mathcal{L}_{\\text{val}}\\big(w^{*}(\\alpha), \\alpha\\big) \\quad \\text{s.t.} \\quad w^{*}(\\alpha) = \\arg\\min_{w}\\ \\mathcal{L}_{\\text{train}}(w, \\alpha)$$',
      'Solving the inner problem for every $\\alpha$ is far too costly, so the two are alternated, one batch ' +
        'each (spec §3.3): an Adam step on $\\alpha$ with a validation batch, then an SGD-momentum step on $w$ ' +
        'with a training batch and the updated $\\alpha$.',
      'First order (the default) takes the gradient at the current weights, ' +
        '$\\nabla_\\alpha \\mathcal{L}_{\\text{val}}(w, \\alpha)$: the paper’s $\\xi = 0$ (spec §3.4). The ' +
        'highlighted buttons do one step each: Step α, Step w, and Step both (one iteration). Slow motion walks ' +
        'through an iteration phase by phase.',
    ],
  },
  {
    id: 'second-order',
    title: 'Second order: one look-ahead step',
    target: '[role="radiogroup"][aria-label="DARTS order"]',
    body: [
      'Second order stands in for $w^{*}(\\alpha)$ with one virtual SGD step, ' +
        '$w\' = w - \\xi \\nabla_w \\mathcal{L}_{\\text{train}}(w, \\alpha)$, and differentiates through it ' +
        '(paper eq. 5–7):',
      '$$\\nabla_\\alpha \\mathcal{L}_{\\text{val}}\\big(w^{*}(\\alpha), \\alpha\\big) \\approx \\nabla_\\alpha \\mathcal{L}_{\\text{val}}(w\', \\alpha) - \\xi\\, \\nabla^{2}_{\\alpha, w} \\mathcal{L}_{\\text{train}}(w, \\alpha)\\, \\nabla_{w\'} \\mathcal{L}_{\\text{val}}(w\', \\alpha)$$',
      'The matrix–vector product is a central difference (eq. 8), with ' +
        '$w^{\\pm} = w \\pm \\epsilon\\, \\nabla_{w\'} \\mathcal{L}_{\\text{val}}(w\', \\alpha)$ and ' +
        '$\\epsilon = 0.01 / \\lVert \\nabla_{w\'} \\mathcal{L}_{\\text{val}}(w\', \\alpha) \\rVert_2$:',
      '$$\\nabla^{2}_{\\alpha, w} \\mathcal{L}_{\\text{train}}(w, \\alpha)\\, \\nabla_{w\'} \\mathcal{L}_{\\text{val}}(w\', \\alpha) \\approx \\frac{\\nabla_\\alpha \\mathcal{L}_{\\text{train}}(w^{+}, \\alpha) - \\nabla_\\alpha \\mathcal{L}_{\\text{train}}(w^{-}, \\alpha)}{2\\epsilon}$$',
      'The reference code takes $\\xi = \\eta$, the current weight learning rate, and makes the virtual step the ' +
        'full momentum-SGD update, $w\' = w - \\eta(\\mu b + g + \\lambda w)$, without clipping (spec §3.5). It ' +
        'costs 5 forward–backward passes per iteration instead of 2; the paper reports 2.76 % against 3.00 % ' +
        'CIFAR-10 test error for first order.',
    ],
  },
  {
    id: 'derive',
    title: 'Deriving the genotype',
    target: '.genotype-panel',
    body: [
      'At the end, each cell is made discrete (spec §4.1). With $p = \\operatorname{softmax}(\\alpha^{(i,j)})$, ' +
        'edge $(i, j)$ gets the strength $s^{(i,j)} = \\max_{o \\neq \\texttt{none}} p_o$. Every node keeps its 2 ' +
        'strongest incoming edges, each with its strongest operation $\\arg\\max_{o \\neq \\texttt{none}} p_o$. ' +
        'The ranking uses softmax(α), not raw α, because it compares different edges.',
      'The result is the genotype shown here: 2 (operation, input) pairs per node, the format the reference ' +
        'train.py reads. Tick “Show derived genotype” to see the kept edges on the live cells.',
      'Why can none have the largest weight and still never appear? The rule excludes it: a node keeps 2 ' +
        'inputs, and none would mean no input. Its weight can still grow, because on one edge',
      '$$\\frac{\\partial \\mathcal{L}}{\\partial \\alpha_o} = p_o \\Big( g_o - \\sum_{o\'} p_{o\'}\\, g_{o\'} \\Big), \\qquad g_o = \\Big\\langle \\frac{\\partial \\mathcal{L}}{\\partial \\bar{o}}, o(x) \\Big\\rangle$$',
      'and $g_{\\texttt{none}} = 0$: whenever shrinking the edge’s output would lower the loss, ' +
        '$\\alpha_{\\texttt{none}}$ rises (spec §2). It works as a volume knob for the edge, not as a choice of ' +
        'operation.',
    ],
  },
  {
    id: 'failure',
    title: 'Known failure mode: skip-connect collapse',
    target: '#preset-select',
    link: { href: '?preset=skip-collapse', label: 'Open the “Skip-connect collapse” preset' },
    body: [
      'Searched long enough, the normal cell fills with skip_connect, a parameter-free identity (spec §7). On ' +
        'NAS-Bench-201, DARTS converges to all-skip cells with 54.30 % CIFAR-10 test accuracy. The published ' +
        'first-order cell (DARTS_V1) already has 3 skips out of 8.',
      'Explanations: the identity lowers the loss fastest early on and has an unfair advantage in an exclusive ' +
        'softmax (FairDARTS); the supernet’s weights overfit (DARTS+). A related trap, the discretisation gap: ' +
        'softmax rows often stay near uniform, so the final argmax picks among near-ties.',
      'Watch the number of skip_connect in the derived normal cell and $\\alpha_{\\texttt{skip\\_connect}}$ over ' +
        'time. Remedies from the literature: stop once the normal cell has 2 skips (DARTS+), cap it at 2 ' +
        '(P-DARTS), or add an auxiliary skip outside the softmax (DARTS−). The highlighted preset list has a ' +
        'setting that collapses.',
    ],
  },
  {
    id: 'collapse-diagnostics',
    title: 'Failure modes: watching a search collapse',
    target: '[data-testid="chart-eigen"]',
    link: { href: '?preset=skip-collapse', label: 'Open the “Skip-connect collapse” preset' },
    body: [
      'Two charts watch for collapse (spec §7). The first counts the edges of the derived cells that are ' +
        'skip_connect or parameter-free (skip, max or avg pool). DARTS+ (Liang et al., 2019) stops the search ' +
        'as soon as the normal cell has $\\ge 2$ skip_connect; here the warning waits for the first finished ' +
        'epoch, because at step 0 the derived cell is a coin toss.',
      'The second is the sharpness of the validation loss in $\\alpha$: the dominant eigenvalue ' +
        '$\\lambda_{\\max}$ of $\\nabla^2_{\\alpha} \\mathcal{L}_{val}$. RobustDARTS (Zela et al., ICLR 2020) found ' +
        'that it grows as the derived architecture degrades. TF.js has no second derivatives here, so the worker ' +
        'uses power iteration with a finite-difference Hessian-vector product on a fixed validation batch:',
      '$$H u \\approx \\frac{\\nabla_{\\alpha} \\mathcal{L}_{val}(w, \\alpha + r u) - \\nabla_{\\alpha} ' +
        '\\mathcal{L}_{val}(w, \\alpha - r u)}{2r}, \\quad \\lambda \\approx u^{\\top} H u, \\quad r = 10^{-3}$$',
      'DARTS-ES smooths $\\lambda_{\\max}$ with a local average $\\bar\\lambda_i$ over 5 values and stops when ' +
        '$\\bar\\lambda_i / \\bar\\lambda_{i-4} > 1.3$, not before epoch 10 (they measure once per epoch; here: ' +
        'from the 10th measurement). The architecture of the earlier measurement is the one to keep.',
      'Read $\\lambda_{\\max}$ with care: each softmax row is shift invariant, which gives 28 exact zero ' +
        'eigenvalues, and ReLU and max-pool kinks make the gradient only piecewise smooth, so on the small ' +
        'batches of a lecture the estimate is noisy and can even change sign.',
    ],
  },
  {
    id: 'successors',
    title: 'The successors of DARTS, as options of the same search',
    target: '[data-control="method"]',
    link: { href: '?preset=pc-darts', label: 'Open the “PC-DARTS” preset' },
    body: [
      'Each successor changes one piece of the DARTS step (spec §6); pick it under Settings → Search method, ' +
        'or with `--method` in the CLI. PC-DARTS: only $1/K$ of the channels pass the ops, and a per-edge $\\beta$ ' +
        'normalises the edges into a node: $x_j = \\sum_{i<j} \\mathrm{softmax}(\\beta)_i\\, \\bar o_{i,j}(x_i)$.',
      'DARTS-: $\\bar o(x) = \\sum_o \\mathrm{softmax}(\\alpha)_o\\, o(x) + \\beta\\, x$ with $\\beta$ fading from 1 to 0, ' +
        'so skip_connect loses its head start. FairDARTS: $\\sigma(\\alpha_o)$ instead of the softmax, plus the ' +
        'zero-one loss $-w\\,\\overline{(\\sigma(\\alpha) - \\tfrac12)^2}$ that pushes each weight to 0 or 1.',
      'GDAS samples one op per edge, $k = \\arg\\max_o (\\alpha_o + g_o)$ with Gumbel noise $g$, computes only that op, ' +
        'and passes the gradient straight through $\\mathrm{softmax}((\\log\\mathrm{softmax}(\\alpha) + g)/\\tau)$, ' +
        '$\\tau$ annealed from 10 to 0.1. SDARTS-RS trains the weights under $\\mathrm{softmax}(\\alpha) + U(-\\epsilon, \\epsilon)$.',
      'To see which one collapses, pin a run under Compare runs, switch the method, reset, and compare the cells, ' +
        'the curves and the derived genotypes side by side.',
    ],
  },
];

export function tourPageIndex(id: string): number {
  return TOUR_PAGES.findIndex((p) => p.id === id);
}
