/**
 * The help overlay: every command of the registry with its keys, grouped, in a modal dialog.
 * Opened by `?` and by the header's Help button (both emit 'help' on the UI bus). A native modal
 * <dialog> traps focus and closes on Escape; on close, focus goes back where it was.
 */
import { useEffect, useId, useRef, useState, type KeyboardEvent } from 'react';
import { useModalDialog } from './hooks';
import { commands, keyLabel, onUiCommand, type Command, type CommandGroup } from './commands';
import { useStore } from './createStore';
import './helpOverlay.css';

const GROUPS: readonly CommandGroup[] = ['Search', 'Genotype and export', 'View', 'Help'];

function Keys({ cmd }: { cmd: Command }) {
  if (cmd.keys.length === 0) return <span className="help-nokey">–</span>;
  return (
    <>
      {cmd.keys.map((k, i) => (
        <span key={i}>
          {i > 0 && ' or '}
          <kbd>{keyLabel(k)}</kbd>
        </span>
      ))}
    </>
  );
}

const FOCUSABLE = 'button:not([disabled]), [href], input:not([disabled]), select:not([disabled]), textarea, [tabindex]:not([tabindex="-1"])';

/**
 * Keep Tab inside the dialog. A native modal <dialog> makes the page inert, but Chromium still
 * lets Tab leave it for the browser's own toolbar; from the last control we wrap to the first.
 */
function trapTab(e: KeyboardEvent<HTMLDialogElement>): void {
  if (e.key !== 'Tab') return;
  const items = [...e.currentTarget.querySelectorAll<HTMLElement>(FOCUSABLE)];
  if (items.length === 0) return;
  const first = items[0];
  const last = items[items.length - 1];
  const active = document.activeElement;
  if (e.shiftKey ? active === first || !e.currentTarget.contains(active) : active === last) {
    e.preventDefault();
    (e.shiftKey ? last : first).focus();
  }
}

function HelpDialog({ onClose }: { onClose: () => void }) {
  const ref = useModalDialog();
  const id = useId();
  const list = useStore(commands, (c) => c);


  return (
    <dialog
      ref={ref}
      className="dialog help-dialog"
      aria-labelledby={`${id}-t`}
      data-testid="help-overlay"
      onCancel={(e) => {
        e.preventDefault();
        onClose();
      }}
      onKeyDown={trapTab}
    >
      <h2 id={`${id}-t`}>Keyboard shortcuts</h2>
      <p className="dialog-body">
        Keys work anywhere except while typing in a field. Space on a focused button presses that button.
      </p>
      <div className="help-groups">
        {GROUPS.map((g) => {
          const rows = list.filter((c) => c.group === g);
          if (rows.length === 0) return null;
          return (
            <table key={g} className="help-table">
              <caption>{g}</caption>
              <thead>
                <tr>
                  <th scope="col">Key</th>
                  <th scope="col">Command</th>
                  <th scope="col">What it does</th>
                </tr>
              </thead>
              <tbody>
                {rows.map((c) => (
                  <tr key={c.id} data-command={c.id}>
                    <td className="help-keys">
                      <Keys cmd={c} />
                    </td>
                    <th scope="row">{c.label}</th>
                    <td>{c.description}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          );
        })}
      </div>
      <div className="dialog-actions">
        <button type="button" className="primary" autoFocus onClick={onClose}>
          Close
        </button>
      </div>
    </dialog>
  );
}

/** Mount once (App.tsx): listens for 'help' on the bus and shows the dialog. */
export function HelpOverlay() {
  const [open, setOpen] = useState(false);
  useEffect(() => onUiCommand('help', () => setOpen(true)), []);
  return open ? <HelpDialog onClose={() => setOpen(false)} /> : null;
}
