/**
 * The classroom panel (TF Playground's "use it in classroom", anchors §3.7): a lecturer ticks the
 * controls students should not see, reads the link, and copies it. The link carries the whole
 * current state (preset, dataset, settings, seed, view options; src/core/urlSchema.ts) plus
 * `hide=…`; a student who opens it sees only what is left (src/ui/urlSync.ts removes the hidden
 * controls with `display: none`, so they are neither focusable nor in the accessibility tree).
 *
 * Only controls that exist on this page are offered: each hideable element carries
 * `data-control="<name>"`, and the list is read from the page when the panel opens.
 */
import { useEffect, useId, useMemo, useRef, useState } from 'react';
import { CONTROL_GROUPS, HIDEABLE_NAMES, hideableLabel, normalizeHidden, URL_PARAMS } from '../core/urlSchema';
import { CommandButton } from './CommandButton';
import { emitUiCommand, onUiCommand, registerCommand } from './commands';
import type { Controller } from './controller';
import { data } from './dataStores';
import { currentLinkState, linkExtras, shareableLink } from './urlSync';
import './classroom.css';

registerCommand({
  id: 'classroom',
  label: 'Classroom link',
  keys: [{ key: 'l' }],
  description: 'Make a link for students that opens this setting with the controls you choose hidden',
  group: 'View',
  enabled: () => true,
  run: () => void emitUiCommand('classroom'),
});

const GROUP_NAMES = new Set(CONTROL_GROUPS.map((g) => g.name));

/** The hideable names whose elements are on the page now, in table order. */
function presentControls(): string[] {
  return HIDEABLE_NAMES.filter((n) => document.querySelector(`[data-control="${n}"]`) !== null);
}

function description(name: string): string {
  return URL_PARAMS.find((r) => r.name === name)?.description ?? CONTROL_GROUPS.find((g) => g.name === name)?.description ?? '';
}

function ClassroomDialog({ controller, onClose }: { controller: Controller; onClose: () => void }) {
  const ref = useRef<HTMLDialogElement>(null);
  const linkRef = useRef<HTMLInputElement>(null);
  const id = useId();
  // The state and the controls on the page when the panel opened (a modal: nothing else changes them).
  // A student's link opens on the playground itself, never inside the Compare runs dialog (compare=1).
  const [base] = useState(() => ({ ...currentLinkState(controller), compare: false }));
  const [present] = useState(presentControls);
  const [ticked, setTicked] = useState<string[]>(() => linkExtras.get().hidden);
  const [message, setMessage] = useState('');
  const link = useMemo(() => shareableLink({ ...base, hidden: normalizeHidden(ticked) }), [base, ticked]);
  const upload = data.get().spec.name === 'upload';

  useEffect(() => {
    const d = ref.current;
    if (d && !d.open) d.showModal?.();
    return () => d?.close?.();
  }, []);

  const toggle = (name: string, on: boolean) => {
    setMessage('');
    setTicked((t) => (on ? [...t, name] : t.filter((n) => n !== name)));
  };

  const copy = async () => {
    try {
      await navigator.clipboard.writeText(link);
      setMessage('Copied the link. Students who open it see the playground without the ticked controls.');
    } catch {
      // No clipboard permission (or an insecure origin): select the text for Ctrl+C.
      const input = linkRef.current;
      input?.focus();
      input?.select();
      let copied = false;
      try {
        copied = document.execCommand('copy');
      } catch {
        copied = false;
      }
      setMessage(copied ? 'Copied the link.' : 'The browser blocked the clipboard: the link is selected, press Ctrl+C (⌘C) to copy it.');
    }
  };

  const box = (name: string) => (
    <label key={name} className="check" title={description(name)}>
      <input type="checkbox" checked={ticked.includes(name)} onChange={(e) => toggle(name, e.target.checked)} />
      {hideableLabel(name)}
    </label>
  );
  const groups = present.filter((n) => GROUP_NAMES.has(n));
  const singles = present.filter((n) => !GROUP_NAMES.has(n));

  return (
    <dialog ref={ref} className="dialog classroom-dialog" aria-labelledby={`${id}-t`} onCancel={(e) => (e.preventDefault(), onClose())}>
      <h2 id={`${id}-t`}>Classroom link</h2>
      <p className="dialog-body">
        Tick what your students should not see. The link opens this setting (preset, dataset, hyperparameters, seed and
        view) without the ticked controls. Your own view stays as it is.
      </p>
      <fieldset className="form-section">
        <legend>Hide these panels and groups</legend>
        <div className="classroom-grid">{groups.map(box)}</div>
      </fieldset>
      <fieldset className="form-section">
        <legend>Hide these single controls</legend>
        <div className="classroom-grid">{singles.map(box)}</div>
      </fieldset>
      <div className="field">
        <label htmlFor={`${id}-link`}>Link for students</label>
        <input
          id={`${id}-link`}
          ref={linkRef}
          type="text"
          readOnly
          value={link}
          spellCheck={false}
          onFocus={(e) => e.currentTarget.select()}
          data-testid="classroom-link"
        />
      </div>
      {upload && (
        <p className="status-line warn">
          Your own files cannot travel in a link: students get the preset&apos;s dataset ({base.dataset.name}) instead.
        </p>
      )}
      <p className="status-line ok" role="status" aria-live="polite">
        {message}
      </p>
      <div className="dialog-actions">
        <a href={link} target="_blank" rel="noopener">
          Open in a new tab
        </a>
        <button type="button" onClick={onClose}>
          Close
        </button>
        <button type="button" className="primary" autoFocus onClick={() => void copy()}>
          Copy link
        </button>
      </div>
    </dialog>
  );
}

/** The header's "Classroom link" button (also key L, from the command registry) and its panel. */
export function ClassroomButton({ controller }: { controller: Controller }) {
  const [open, setOpen] = useState(false);
  const ctx = useMemo(() => ({ controller }), [controller]);
  useEffect(() => onUiCommand('classroom', () => setOpen(true)), []);
  return (
    <>
      <CommandButton id="classroom" ctx={ctx} className="help-button" />
      {open && <ClassroomDialog controller={controller} onClose={() => setOpen(false)} />}
    </>
  );
}
