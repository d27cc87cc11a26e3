/**
 * The footer's one-line reminder of the main keys, read from the command registry (the commands
 * that carry a `hint`), so it always agrees with the keyboard handler and the help overlay.
 */
import { Fragment } from 'react';
import { commands, keyLabel } from './commands';
import { useStore } from './createStore';

export function ShortcutHint() {
  const list = useStore(commands, (c) => c);
  const shown = list.filter((c) => c.hint && c.keys.length > 0);
  return (
    <>
      {shown.map((c, i) => (
        <Fragment key={c.id}>
          {i > 0 && ' · '}
          <kbd>{keyLabel(c.keys[0])}</kbd> {c.hint}
        </Fragment>
      ))}
    </>
  );
}
