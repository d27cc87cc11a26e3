/**
 * Node twin of builtinLoader.ts (CLI and tests): reads public/data/<id>.bin, built by
 * scripts/build-data.mjs (`npm run data`), gunzips it with node:zlib and parses it.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { isGzip, parseImageSet } from './binaryFormat';
import { BUILTIN_IDS, BUILTIN_NAMES, isBuiltinId } from './builtinLoader';
import type { RawImageSet } from './types';

/** Path of a built-in dataset's file under `root`. */
export function builtinPath(id: string, root = process.cwd()): string {
  return join(root, 'public', 'data', `${id}.bin`);
}

/** Load a built-in dataset from `<root>/public/data/<id>.bin`. */
export function loadBuiltinNode(id: string, root = process.cwd()): RawImageSet {
  if (!isBuiltinId(id)) throw new Error(`unknown built-in dataset '${id}'; the built-in datasets are ${BUILTIN_IDS.join(', ')}`);
  const name = BUILTIN_NAMES[id];
  const path = builtinPath(id, root);
  if (!existsSync(path)) {
    throw new Error(`the ${name} data file ${path} does not exist: build it with \`npm run data\` (in ${root})`);
  }
  let bytes: Uint8Array = readFileSync(path);
  if (isGzip(bytes)) {
    try {
      bytes = gunzipSync(bytes);
    } catch (e) {
      throw new Error(`the ${name} data file ${path} is corrupt (${(e as Error).message}): rebuild it with \`npm run data -- --force\``);
    }
  }
  try {
    return parseImageSet(bytes, `The ${name} data file ${path}`);
  } catch (e) {
    throw new Error(`${(e as Error).message} Rebuild it with \`npm run data -- --force\`.`);
  }
}
