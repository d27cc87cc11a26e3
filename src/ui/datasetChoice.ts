/**
 * Which datasets the UI offers and how a config adapts to one: the class count and the channels
 * follow the data; the input size stays the config's (images are resized in the worker).
 */
import type { SearchConfig } from '../core/config';
import { TEACHING_TASKS } from '../data/tasks';
import type { DatasetCard, DatasetSpec } from '../worker/protocol';

export interface DatasetOption {
  value: string;
  label: string;
  spec: DatasetSpec;
}

/** The value of a spec in the dataset select. */
export function specValue(spec: DatasetSpec): string {
  return spec.name === 'task' ? `task:${spec.id}` : spec.name;
}

export function datasetOptions(upload: DatasetCard | null): DatasetOption[] {
  const opts: DatasetOption[] = [
    { value: 'mnist', label: 'MNIST digits (28×28, 10 classes)', spec: { name: 'mnist' } },
    { value: 'fashion-mnist', label: 'Fashion-MNIST (28×28, 10 classes)', spec: { name: 'fashion-mnist' } },
    { value: 'synthetic', label: 'Synthetic patterns (stripes, checkers, blobs, rings)', spec: { name: 'synthetic' } },
    ...TEACHING_TASKS.map((t) => ({ value: `task:${t.id}`, label: `Teaching task: ${t.name}`, spec: { name: 'task', id: t.id } as DatasetSpec })),
  ];
  if (upload) opts.push({ value: 'upload', label: `Your files: ${upload.name} (${upload.classNames.length} classes)`, spec: { name: 'upload' } });
  return opts;
}

/** `config` adapted to a dataset: classes (and channels for the grayscale sets). */
export function configForDataset(config: SearchConfig, spec: DatasetSpec, upload: DatasetCard | null): SearchConfig {
  switch (spec.name) {
    case 'mnist':
    case 'fashion-mnist':
      return { ...config, numClasses: 10, inChannels: 1 };
    case 'task': {
      const t = TEACHING_TASKS.find((x) => x.id === spec.id);
      return t ? { ...config, numClasses: t.classNames.length } : config;
    }
    case 'upload':
      return upload ? { ...config, numClasses: upload.classNames.length, inChannels: upload.channels === 1 ? 1 : 3 } : config;
    case 'synthetic':
      return config;
  }
}
