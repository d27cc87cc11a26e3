/**
 * Import a genotype from a file or a paste, as JSON or as the reference repr. The text is only
 * ever parsed and shown as text (React escapes it; nothing goes through innerHTML). A valid
 * genotype is drawn as a discrete cell; a malformed one gets a message naming the problem and
 * leaves the run untouched.
 */
import { useEffect, useId, useRef, useState } from 'react';
import { parseGenotypeAny } from '../core/genotype';
import { settings } from './store';

/** A DARTS genotype is well under 1 KB; anything this big is the wrong file. */
export const IMPORT_LIMIT_BYTES = 64 * 1024;

const kb = (n: number) => `${(n / 1024).toFixed(n < 10 * 1024 ? 1 : 0)} KB`;

export function ImportDialog({ onClose }: { onClose: () => void }) {
  const ref = useRef<HTMLDialogElement>(null);
  const id = useId();
  const [text, setText] = useState('');
  const [errors, setErrors] = useState<string[]>([]);

  useEffect(() => {
    const d = ref.current;
    if (d && !d.open) d.showModal?.();
    return () => d?.close?.();
  }, []);

  const load = (t: string, from: string) => {
    const bytes = new Blob([t]).size;
    if (bytes > IMPORT_LIMIT_BYTES) {
      setErrors([
        `${from} is ${kb(bytes)}; the import limit is ${kb(IMPORT_LIMIT_BYTES)}. A genotype is well under 1 KB: is this the right file?`,
      ]);
      return;
    }
    const r = parseGenotypeAny(t);
    if (!r.ok) {
      setErrors(r.errors.map((e) => `${from}: ${e}`));
      return;
    }
    settings.set((s) => ({ ...s, imported: r.genotype, view: 'imported' }));
    onClose();
  };

  const onFile = async (file: File | undefined) => {
    if (!file) return;
    if (file.size > IMPORT_LIMIT_BYTES) {
      setErrors([
        `The file "${file.name}" is ${kb(file.size)}; the import limit is ${kb(IMPORT_LIMIT_BYTES)}. A genotype is well under 1 KB: is this the right file?`,
      ]);
      return;
    }
    try {
      load(await file.text(), `The file "${file.name}"`);
    } catch (e) {
      setErrors([`The file "${file.name}" could not be read: ${e instanceof Error ? e.message : String(e)}`]);
    }
  };

  return (
    <dialog
      ref={ref}
      className="dialog import-dialog"
      aria-labelledby={`${id}-t`}
      onCancel={(e) => {
        e.preventDefault();
        onClose();
      }}
    >
      <h2 id={`${id}-t`}>Import a genotype</h2>
      <p className="dialog-body">
        JSON (<code>{'{"normal": [["sep_conv_3x3", 0], …], …}'}</code>, e.g. an export of this app) or the reference
        repr (<code>Genotype(normal=[('sep_conv_3x3', 0), …], …)</code>). It is drawn as a discrete cell; the search keeps
        its state.
      </p>
      <div className="field">
        <label htmlFor={`${id}-file`}>Genotype file</label>
        <input id={`${id}-file`} type="file" accept=".json,.txt,.py,application/json,text/plain" onChange={(e) => void onFile(e.target.files?.[0])} />
      </div>
      <div className="field">
        <label htmlFor={`${id}-text`}>Or paste it here</label>
        <textarea
          id={`${id}-text`}
          rows={7}
          spellCheck={false}
          value={text}
          placeholder="Genotype(normal=[('sep_conv_3x3', 1), ...], normal_concat=range(2, 6), reduce=[...], reduce_concat=range(2, 6))"
          onChange={(e) => {
            setText(e.target.value);
            setErrors([]);
          }}
        />
      </div>
      {errors.length > 0 && (
        <div className="import-errors" role="alert">
          <strong>Not imported:</strong>
          <ul>
            {errors.map((e, i) => (
              <li key={i}>{e}</li>
            ))}
          </ul>
        </div>
      )}
      <div className="dialog-actions">
        <button type="button" onClick={onClose}>
          Cancel
        </button>
        <button type="button" className="primary" disabled={text.trim() === ''} onClick={() => load(text, 'The pasted text')}>
          Load pasted text
        </button>
      </div>
    </dialog>
  );
}
