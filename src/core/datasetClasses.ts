/**
 * How many classes a dataset named in a link or on the command line has, where the name alone
 * says it: the built-in image sets (MNIST, Fashion-MNIST) 10, every teaching task 4
 * (src/data/tasks.ts; its test checks that each task has this many). Synthetic data and user
 * uploads take their count from the config or the files: null.
 */
export const BUILTIN_IMAGE_CLASSES = 10;
export const TEACHING_TASK_CLASSES = 4;

/** @param name a dataset name ('mnist', 'task') or a task id ('task-long-range') */
export function knownClassCount(name: string): number | null {
  if (name === 'mnist' || name === 'fashion-mnist') return BUILTIN_IMAGE_CLASSES;
  if (name === 'task' || name.startsWith('task-')) return TEACHING_TASK_CLASSES;
  return null;
}
