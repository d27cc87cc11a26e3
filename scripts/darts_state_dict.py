#!/usr/bin/env python3
"""Move DARTS Playground weights to and from the reference PyTorch code (quark0/darts).

The playground writes a "DSTD" export ("Export for PyTorch" in the app, or
`npm run -s darts -- export-weights run.darts export.bin`). It holds every state_dict entry of
cnn/model_search.py's Network under its reference name, with the torch shape and the data in
torch layout, plus the raw alphas_normal / alphas_reduce (which the reference keeps out of
state_dict). This script converts it, both ways:

  python3 scripts/darts_state_dict.py to-torch export.bin weights.pt [--alphas alphas.pt]
                                     [--no-num-batches-tracked]
  python3 scripts/darts_state_dict.py from-torch weights.pt [alphas.pt] export.bin
  python3 scripts/darts_state_dict.py info export.bin

Then, in quark0/darts/cnn (the Network arguments are printed by to-torch):

  model = Network(16, 10, 8, criterion)              # C, num_classes, layers (, steps, multiplier)
  model.load_state_dict(torch.load('weights.pt'))
  a = torch.load('alphas.pt')
  model.alphas_normal.data.copy_(a['alphas_normal'])
  model.alphas_reduce.data.copy_(a['alphas_reduce'])

and back: `torch.save(model.state_dict(), 'weights.pt')` (what train_search.py saves), optionally
`torch.save({'alphas_normal': model.alphas_normal, 'alphas_reduce': model.alphas_reduce},
'alphas.pt')`, then from-torch, then `npm run -s darts -- import-weights export.bin run.darts`
(or "Import PyTorch weights" in the app).

--no-num-batches-tracked: PyTorch 0.3 (the version the reference was written for) has no
BatchNorm num_batches_tracked buffer and rejects it as an unexpected key; newer PyTorch has it.

File format (little-endian; src/core/stateDict.ts is the definition):
  bytes 0-3  b"DSTD"; 4-7 u32 version (1); 8-11 u32 n = header length;
  12..12+n   UTF-8 JSON header; zero padding to a multiple of 4; then float32 data.
  Header "entries": {name, role: parameter|buffer|alpha, dtype: float32, shape, offset, length}
  (offset and length in floats from the start of the data), or {name, role: buffer,
  dtype: int64, shape: [], value} for num_batches_tracked.

Only the standard library is needed to read and write the format (read_export, write_export,
export_from_items); torch is imported only by to-torch and from-torch.
"""
import argparse
import array
import json
import struct
import sys

MAGIC = b'DSTD'
VERSION = 1
KIND = 'darts-state-dict'
PRIMITIVES = ['none', 'max_pool_3x3', 'avg_pool_3x3', 'skip_connect',
              'sep_conv_3x3', 'sep_conv_5x5', 'dil_conv_3x3', 'dil_conv_5x5']


class ExportError(Exception):
    """The file is not a usable export; the message says why."""


def _floats_from_bytes(raw):
    a = array.array('f')
    a.frombytes(raw)
    if sys.byteorder == 'big':
        a.byteswap()
    return a


def _floats_to_bytes(values):
    a = array.array('f', values)
    if sys.byteorder == 'big':
        a.byteswap()
    return a.tobytes()


def read_export(path):
    """Returns (header dict, {name: (role, shape, array('f') or int)}) in file order."""
    with open(path, 'rb') as f:
        data = f.read()
    if len(data) < 12 or data[:4] != MAGIC:
        raise ExportError('%s does not start with "DSTD"; it is not a DARTS Playground export' % path)
    version, n = struct.unpack_from('<II', data, 4)
    if version != VERSION:
        raise ExportError('%s has format version %d; this script reads version %d' % (path, version, VERSION))
    if 12 + n > len(data):
        raise ExportError('%s is truncated inside its header' % path)
    header = json.loads(data[12:12 + n].decode('utf-8'))
    if header.get('kind') != KIND:
        raise ExportError('%s: header kind is %r, expected %r' % (path, header.get('kind'), KIND))
    start = 12 + (n + 3) // 4 * 4
    floats = (len(data) - start) // 4
    tensors = {}
    for e in header['entries']:
        name, shape = e['name'], list(e['shape'])
        if e['dtype'] == 'int64':
            tensors[name] = (e['role'], shape, int(e['value']))
            continue
        if e['dtype'] != 'float32':
            raise ExportError('%s: entry %s has dtype %r' % (path, name, e['dtype']))
        count = 1
        for d in shape:
            count *= d
        if count != e['length'] or e['offset'] + e['length'] > floats:
            raise ExportError('%s: entry %s does not fit its shape %s or the file (truncated?)' % (path, name, shape))
        a = start + 4 * e['offset']
        tensors[name] = (e['role'], shape, _floats_from_bytes(data[a:a + 4 * e['length']]))
    return header, tensors


def write_export(path, header, tensors):
    """Writes `tensors` ({name: (role, shape, floats or int)}, in order) with `header` (entries are filled in)."""
    entries, blobs, offset = [], [], 0
    for name, (role, shape, values) in tensors.items():
        if isinstance(values, int):
            entries.append({'name': name, 'role': 'buffer', 'dtype': 'int64', 'shape': list(shape), 'value': values})
            continue
        raw = _floats_to_bytes(values)
        entries.append({'name': name, 'role': role, 'dtype': 'float32', 'shape': list(shape),
                        'offset': offset, 'length': len(raw) // 4})
        blobs.append(raw)
        offset += len(raw) // 4
    header = dict(header, kind=KIND, version=VERSION, entries=entries)
    js = json.dumps(header).encode('utf-8')
    with open(path, 'wb') as f:
        f.write(MAGIC + struct.pack('<II', VERSION, len(js)) + js + b'\0' * ((4 - len(js) % 4) % 4))
        for b in blobs:
            f.write(b)


def export_from_items(items, alphas=None, primitives=None):
    """A header and tensors from state_dict items [(name, shape, flat floats or int)] and optional
    alphas {'alphas_normal': (shape, floats), 'alphas_reduce': ...}. Pure Python (no torch)."""
    tensors = {}
    for name, shape, values in items:
        if name.startswith('module.'):  # saved from nn.DataParallel
            name = name[len('module.'):]
        role = 'buffer' if name.rsplit('.', 1)[-1] in ('running_mean', 'running_var', 'num_batches_tracked') else 'parameter'
        tensors[name] = (role, list(shape), values if isinstance(values, int) else list(values))
    for key in ('alphas_normal', 'alphas_reduce'):
        if alphas and key in alphas:
            shape, values = alphas[key]
            tensors[key] = ('alpha', list(shape), list(values))
    if 'stem.0.weight' not in tensors or 'classifier.weight' not in tensors:
        raise ExportError('this state_dict has no stem.0.weight / classifier.weight: is it a model_search.Network?')
    stem = tensors['stem.0.weight'][1]
    layers = 1 + max(int(k.split('.')[1]) for k in tensors if k.startswith('cells.'))
    header = {
        'source': 'torch',
        'network': {'class': 'model_search.Network',
                    'args': {'C': stem[0] // 3, 'num_classes': tensors['classifier.weight'][1][0], 'layers': layers}},
        'primitives': primitives or PRIMITIVES,
        'notes': [],
    }
    return header, tensors


# ------------------------------------------------------------------ torch side

def to_torch(export_path, weights_path, alphas_path=None, num_batches_tracked=True):
    import collections
    import torch
    header, tensors = read_export(export_path)
    sd = collections.OrderedDict()
    for name, (role, shape, values) in tensors.items():
        if role == 'alpha':
            continue
        if isinstance(values, int):
            if num_batches_tracked:
                sd[name] = torch.tensor(values, dtype=torch.long)
            continue
        sd[name] = torch.tensor(values.tolist(), dtype=torch.float32).reshape(shape)
    torch.save(sd, weights_path)
    args = header.get('network', {}).get('args', {})
    print('wrote %s: %d tensors' % (weights_path, len(sd)))
    print('load it with: model = Network(%s, %s, %s, criterion, steps=%s, multiplier=%s, stem_multiplier=%s)'
          % (args.get('C'), args.get('num_classes'), args.get('layers'), args.get('steps', 4),
             args.get('multiplier', 4), args.get('stem_multiplier', 3)))
    print('              model.load_state_dict(torch.load(%r))' % weights_path)
    for note in header.get('notes', []):
        print('note: ' + note)
    if alphas_path:
        out = {}
        for key in ('alphas_normal', 'alphas_reduce'):
            if key not in tensors:
                raise ExportError('%s holds no %s' % (export_path, key))
            _, shape, values = tensors[key]
            out[key] = torch.tensor(values.tolist(), dtype=torch.float32).reshape(shape)
        torch.save(out, alphas_path)
        print('wrote %s: model.alphas_normal.data.copy_(a["alphas_normal"]), the same for alphas_reduce' % alphas_path)


def _load_alphas(path):
    import torch
    a = torch.load(path, map_location='cpu')
    if isinstance(a, (list, tuple)) and len(a) == 2:  # model.arch_parameters()
        a = {'alphas_normal': a[0], 'alphas_reduce': a[1]}
    if not isinstance(a, dict) or 'alphas_normal' not in a or 'alphas_reduce' not in a:
        raise ExportError('%s must hold {"alphas_normal": ..., "alphas_reduce": ...} or model.arch_parameters()' % path)
    return {k: (list(a[k].shape), a[k].detach().cpu().float().flatten().tolist()) for k in ('alphas_normal', 'alphas_reduce')}


def from_torch(weights_path, alphas_path, export_path):
    import torch
    sd = torch.load(weights_path, map_location='cpu')
    if isinstance(sd, dict) and 'state_dict' in sd and isinstance(sd['state_dict'], dict):
        sd = sd['state_dict']
    items = []
    for name, t in sd.items():
        if not torch.is_tensor(t):
            raise ExportError('%s: entry %s is not a tensor' % (weights_path, name))
        if t.dtype in (torch.int64, torch.int32) and t.numel() == 1:
            items.append((name, [], int(t.item())))
        else:
            items.append((name, list(t.shape), t.detach().cpu().float().flatten().tolist()))
    alphas = _load_alphas(alphas_path) if alphas_path else None
    header, tensors = export_from_items(items, alphas)
    write_export(export_path, header, tensors)
    print('wrote %s: %d entries%s' % (export_path, len(tensors), '' if alphas else ' (no alphas)'))


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    sub = p.add_subparsers(dest='cmd', required=True)
    t = sub.add_parser('to-torch', help='export.bin -> weights.pt [--alphas alphas.pt]')
    t.add_argument('export')
    t.add_argument('weights')
    t.add_argument('--alphas')
    t.add_argument('--no-num-batches-tracked', action='store_true', help='for PyTorch 0.3')
    f = sub.add_parser('from-torch', help='weights.pt [alphas.pt] -> export.bin')
    f.add_argument('paths', nargs='+', metavar='PATH', help='weights.pt [alphas.pt] export.bin')
    i = sub.add_parser('info', help='print the header of an export (no torch needed)')
    i.add_argument('export')
    a = p.parse_args(argv)
    try:
        if a.cmd == 'to-torch':
            to_torch(a.export, a.weights, a.alphas, not a.no_num_batches_tracked)
        elif a.cmd == 'from-torch':
            if len(a.paths) not in (2, 3):
                p.error('from-torch takes weights.pt [alphas.pt] export.bin')
            from_torch(a.paths[0], a.paths[1] if len(a.paths) == 3 else None, a.paths[-1])
        else:
            header, tensors = read_export(a.export)
            header = {k: v for k, v in header.items() if k != 'entries'}
            header['tensors'] = len(tensors)
            print(json.dumps(header, indent=1))
    except ExportError as e:
        print('error: %s' % e, file=sys.stderr)
        return 2
    return 0


if __name__ == '__main__':
    sys.exit(main())
