"""Writes the train_search.py log fixtures of trainSearchLog.test.ts (standard library only).
(.txt, not .log: the repository ignores *.log.)

    python3 src/core/__fixtures__/make_train_search_logs.py

The logs imitate quark0/darts cnn/train_search.py (spec section 3.6) line for line: logging lines
with the reference's time stamp, then the print() of softmax(alphas_normal) and
softmax(alphas_reduce) in two PyTorch styles:
  - modern (1.x): tensor([[...]], device='cuda:0', grad_fn=<SoftmaxBackward>), fixed-point rows
    on one line, or scientific notation wrapped over two lines once the weights spread out;
  - PyTorch 0.3: "Variable containing:", rows, "[torch.cuda.FloatTensor of size 14x8 (GPU 0)]",
    once with a common factor line ("1.00000e-02 *") and once split into "Columns" blocks.
The genotype is derived from the unrounded softmax by the reference _parse rule (spec section 4.1),
as train_search.py does, so near-ties in the printed 4 decimals are realistic.
"""
import math
import random

PRIMITIVES = ['none', 'max_pool_3x3', 'avg_pool_3x3', 'skip_connect',
              'sep_conv_3x3', 'sep_conv_5x5', 'dil_conv_3x3', 'dil_conv_5x5']
STEPS = 4
EDGES = 14


def softmax(row):
    m = max(row)
    e = [math.exp(v - m) for v in row]
    s = sum(e)
    return [v / s for v in e]


def parse(W):
    gene, n, start = [], 2, 0
    none = PRIMITIVES.index('none')
    for i in range(STEPS):
        end = start + n
        Wn = W[start:end]
        edges = sorted(range(i + 2), key=lambda x: -max(Wn[x][k] for k in range(len(Wn[x])) if k != none))[:2]
        for j in edges:
            k_best = None
            for k in range(len(Wn[j])):
                if k != none and (k_best is None or Wn[j][k] > Wn[j][k_best]):
                    k_best = k
            gene.append((PRIMITIVES[k_best], j))
        start, n = end, n + 1
    return gene


def genotype_repr(gn, gr):
    pairs = lambda g: '[' + ', '.join("('%s', %d)" % p for p in g) + ']'
    return 'Genotype(normal=%s, normal_concat=range(2, 6), reduce=%s, reduce_concat=range(2, 6))' % (pairs(gn), pairs(gr))


def modern(W, sci):
    fmt = (lambda v: '%.4e' % v) if sci else (lambda v: '%.4f' % v)
    per_line = 6 if sci else 8
    rows = []
    for r, row in enumerate(W):
        vals = [fmt(v) for v in row]
        chunks = [', '.join(vals[i:i + per_line]) for i in range(0, len(vals), per_line)]
        lead = 'tensor([[' if r == 0 else '        ['
        rows.append(lead + (',\n         ').join(chunks) + ']')
    return ',\n'.join(rows) + "], device='cuda:0', grad_fn=<SoftmaxBackward>)"


def old(W, style):
    out = ['Variable containing:']
    if style == 'scaled':
        out.append('1.00000e-02 *')
        out += ['  ' + '  '.join('%.4f' % (100 * v) for v in row) for row in W]
    elif style == 'columns':
        for a, b in ((0, 5), (6, 7)):
            out.append('')
            out.append('Columns %d to %d ' % (a, b))
            out += [' ' + '  '.join('%.4f' % v for v in row[a:b + 1]) for row in W]
    else:
        out += [' ' + '  '.join('%.4f' % v for v in row) for row in W]
    out.append('[torch.cuda.FloatTensor of size 14x8 (GPU 0)]')
    out.append('')
    return '\n'.join(out)


def write(path, args, param_size, epochs, styles, seed):
    rnd = random.Random(seed)
    an = [[1e-3 * rnd.gauss(0, 1) for _ in PRIMITIVES] for _ in range(EDGES)]
    ar = [[1e-3 * rnd.gauss(0, 1) for _ in PRIMITIVES] for _ in range(EDGES)]
    # Drifts per epoch: α moves towards some ops, as in a real search.
    dn = [[rnd.gauss(0, 0.9) for _ in PRIMITIVES] for _ in range(EDGES)]
    dr = [[rnd.gauss(0, 0.9) for _ in PRIMITIVES] for _ in range(EDGES)]
    t = [10 * 3600 + 11 * 60 + 9]

    def stamp():
        t[0] += rnd.randint(1, 40)
        h, m, s = t[0] // 3600, t[0] // 60 % 60, t[0] % 60
        return '12/05 %02d:%02d:%02d %s' % ((h - 1) % 12 + 1, m, s, 'AM' if h < 12 else 'PM')

    L = []
    log = lambda msg: L.append('%s %s' % (stamp(), msg))
    log('gpu device = 0')
    log('args = %s' % args)
    log('param size = %fMB' % param_size)
    acc = 20.0
    for e in range(epochs):
        lr = 0.001 + (0.025 - 0.001) * (1 + math.cos(math.pi * e / 50)) / 2
        log('epoch %d lr %e' % (e, lr))
        Wn = [softmax(r) for r in an]
        Wr = [softmax(r) for r in ar]
        log('genotype = %s' % genotype_repr(parse(Wn), parse(Wr)))
        style = styles[e % len(styles)]
        for W in (Wn, Wr):
            L.append(old(W, style[4:]) if style.startswith('old') else modern(W, style == 'sci'))
        loss = 2.3 - 0.25 * e
        for step in (0, 50, 100):
            log('train %03d %e %f %f' % (step, loss - 0.001 * step, acc + step * 0.05, acc + 40))
        acc += 9.5
        log('train_acc %f' % (acc - 2))
        log('valid %03d %e %f %f' % (0, loss + 0.1, acc - 5, acc + 30))
        log('valid_acc %f' % (acc - 4))
        an = [[a + 0.35 * d for a, d in zip(ra, rd)] for ra, rd in zip(an, dn)]
        ar = [[a + 0.35 * d for a, d in zip(ra, rd)] for ra, rd in zip(ar, dr)]
    with open(path, 'w') as f:
        f.write('\n'.join(L) + '\n')


REF_ARGS = ("Namespace(arch_learning_rate=0.0003, arch_weight_decay=0.001, batch_size=64, cutout=False, "
            "cutout_length=16, data='../data', drop_path_prob=0.3, epochs=50, gpu=0, grad_clip=5, init_channels=16, "
            "layers=8, learning_rate=0.025, learning_rate_min=0.001, model_path='saved_models', momentum=0.9, "
            "report_freq=50, save='search-EXP-20181205-101109', seed=2, train_portion=0.5, unrolled=False, weight_decay=0.0003)")
OLD_ARGS = ("Namespace(arch_learning_rate=0.0003, arch_weight_decay=0.001, batch_size=32, cutout=False, "
            "cutout_length=16, data='../data', drop_path_prob=0.3, epochs=4, gpu=0, grad_clip=5, init_channels=8, "
            "layers=5, learning_rate=0.025, learning_rate_min=0.001, model_path='saved_models', momentum=0.9, "
            "report_freq=50, save='search-EXP-20181205-101109', seed=2, train_portion=0.5, unrolled=True, weight_decay=0.0003)")

if __name__ == '__main__':
    import os
    here = os.path.dirname(os.path.abspath(__file__))
    write(os.path.join(here, 'train_search_modern.txt'), REF_ARGS, 1.930618, 5, ['fixed', 'fixed', 'sci'], 1)
    write(os.path.join(here, 'train_search_torch03.txt'), OLD_ARGS, 0.394210, 4, ['old-plain', 'old-scaled', 'old-columns'], 2)
