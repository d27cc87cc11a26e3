/**
 * The autosave (issue 11 item 1): the live run as a run file (core/runFile.ts) in IndexedDB,
 * through `idb`. The worker writes it every few seconds while searching and on pause; the page
 * reads it at start-up to offer "Resume run from step N". One slot: the newest save replaces
 * the last one. IndexedDB works the same in a worker and on the main thread.
 */
import { openDB, type IDBPDatabase } from 'idb';

const DB = 'darts-playground';
const STORE = 'autosave';
const KEY = 'run';
/** Bump when the stored record changes shape; older records are then reported, not loaded. */
export const AUTOSAVE_SCHEMA = 1;

export interface AutosaveRecord {
  schema: number;
  /** The run file's bytes. */
  bytes: ArrayBuffer;
  step: number;
  savedAt: string;
  /** The preset or "custom", for the offer's wording. */
  label: string;
}

let db: Promise<IDBPDatabase> | null = null;
function open(): Promise<IDBPDatabase> {
  db ??= openDB(DB, 1, {
    upgrade(d) {
      d.createObjectStore(STORE);
    },
  });
  return db;
}

/** Why IndexedDB refused, in words a user can act on. */
export function autosaveErrorText(e: unknown): string {
  const name = e instanceof DOMException || e instanceof Error ? e.name : '';
  if (name === 'QuotaExceededError') return 'the browser has no storage space left for this site (free some, or save the run as a file instead)';
  if (name === 'InvalidStateError' || name === 'SecurityError') return 'this browser does not allow storage here (a private window?); save the run as a file instead';
  return e instanceof Error ? e.message : String(e);
}

export async function writeAutosave(record: Omit<AutosaveRecord, 'schema'>): Promise<void> {
  await (await open()).put(STORE, { schema: AUTOSAVE_SCHEMA, ...record }, KEY);
}

/**
 * The saved run, or null when there is none. A record of another schema (an older version of the
 * playground) is returned with `stale: true`, so the page can say why it cannot resume it.
 */
export async function readAutosave(): Promise<(AutosaveRecord & { stale: boolean }) | null> {
  const r = (await (await open()).get(STORE, KEY)) as Partial<AutosaveRecord> | undefined;
  if (!r || typeof r !== 'object') return null;
  const ok = r.schema === AUTOSAVE_SCHEMA && r.bytes instanceof ArrayBuffer && typeof r.step === 'number' && typeof r.savedAt === 'string';
  return { schema: r.schema ?? 0, bytes: r.bytes ?? new ArrayBuffer(0), step: r.step ?? 0, savedAt: r.savedAt ?? '', label: r.label ?? 'run', stale: !ok };
}

export async function clearAutosave(): Promise<void> {
  await (await open()).delete(STORE, KEY);
}
