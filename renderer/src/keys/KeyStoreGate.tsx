import { useId, useState } from 'react';
import type { FormEvent } from 'react';
import type { KeySetupChoice, KeysStatus } from '../../../shared/contract/keys';
import { useWorkbench } from '../store/context';

const CHOICE_LABELS: Record<KeySetupChoice, string> = {
  'safe-storage': 'Protect with the OS keychain',
  passphrase: 'Protect with a passphrase',
  'unencrypted-test-store': 'Unencrypted test store (private keys in plain text)',
};

/** First screen of the Keys view until the store is open: set it up, or unlock it with its passphrase. */
export function KeyStoreGate({ status }: { status: KeysStatus }) {
  if (status.state === 'locked') return <UnlockForm />;
  if (status.state === 'needs-setup') return <SetupForm choices={status.setupChoices} />;
  return null;
}

function UnlockForm() {
  const unlock = useWorkbench((s) => s.unlockKeyStore);
  const reset = useWorkbench((s) => s.resetKeyStore);
  const busy = useWorkbench((s) => s.keysPending.includes('unlock'));
  const resetting = useWorkbench((s) => s.keysPending.includes('reset'));
  const [passphrase, setPassphrase] = useState('');
  const [confirmReset, setConfirmReset] = useState(false);
  const id = useId();
  async function submit(event: FormEvent) {
    event.preventDefault();
    if (await unlock(passphrase)) setPassphrase('');
  }
  return (
    <form className="keys-gate" aria-labelledby={`${id}-title`} onSubmit={(e) => void submit(e)}>
      <h2 id={`${id}-title`}>Unlock the key store</h2>
      <p>The stored keys are encrypted with a passphrase. Enter it to use them.</p>
      <div className="field">
        <label htmlFor={`${id}-pass`}>Passphrase</label>
        <input id={`${id}-pass`} type="password" autoComplete="current-password" value={passphrase} onChange={(e) => setPassphrase(e.target.value)} required />
      </div>
      <button type="submit" className="button button-primary" disabled={busy || passphrase === ''} aria-busy={busy}>
        {busy ? 'Unlocking…' : 'Unlock'}
      </button>
      {confirmReset ? (
        <div className="keys-warning" role="group" aria-label="Start over with a new key store">
          <p>
            The current store is moved aside (not deleted), and its keys cannot be used here without its passphrase.
          </p>
          <button type="button" className="button button-danger" disabled={resetting} onClick={() => void reset()}>
            Move it aside and start over
          </button>{' '}
          <button type="button" className="button" onClick={() => setConfirmReset(false)}>
            Keep it
          </button>
        </div>
      ) : (
        <button type="button" className="keys-link" onClick={() => setConfirmReset(true)}>
          Forgot the passphrase?
        </button>
      )}
    </form>
  );
}

export const MIN_PASSPHRASE_LENGTH = 8;

function SetupForm({ choices }: { choices: KeySetupChoice[] }) {
  const setup = useWorkbench((s) => s.setupKeyStore);
  const busy = useWorkbench((s) => s.keysPending.includes('setup'));
  const [choice, setChoice] = useState<KeySetupChoice>(choices[0] ?? 'passphrase');
  const [passphrase, setPassphrase] = useState('');
  const [repeat, setRepeat] = useState('');
  const [understood, setUnderstood] = useState(false);
  const id = useId();

  const problem =
    choice === 'passphrase'
      ? passphrase.length < MIN_PASSPHRASE_LENGTH
        ? `The passphrase must be at least ${MIN_PASSPHRASE_LENGTH} characters long.`
        : passphrase !== repeat
          ? 'The two passphrases differ.'
          : null
      : choice === 'unencrypted-test-store' && !understood
        ? 'Confirm that this store is for test keys only.'
        : null;

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (problem) return;
    await setup(choice, choice === 'passphrase' ? passphrase : undefined);
  }

  return (
    <form className="keys-gate" aria-labelledby={`${id}-title`} onSubmit={(e) => void submit(e)}>
      <h2 id={`${id}-title`}>Set up the key store</h2>
      <p>Keys are kept by the app, in its data folder. Choose how their private parts are protected at rest.</p>
      <fieldset>
        <legend>Protection</legend>
        {choices.map((option) => (
          <label key={option} className="keys-choice">
            <input type="radio" name={`${id}-choice`} value={option} checked={choice === option} onChange={() => setChoice(option)} />
            {CHOICE_LABELS[option]}
          </label>
        ))}
      </fieldset>
      {choice === 'passphrase' && (
        <div className="keys-fields">
          <div className="field">
            <label htmlFor={`${id}-pass`}>New passphrase</label>
            <input id={`${id}-pass`} type="password" autoComplete="new-password" value={passphrase} onChange={(e) => setPassphrase(e.target.value)} />
          </div>
          <div className="field">
            <label htmlFor={`${id}-repeat`}>Repeat the passphrase</label>
            <input id={`${id}-repeat`} type="password" autoComplete="new-password" value={repeat} onChange={(e) => setRepeat(e.target.value)} />
          </div>
          <p className="keys-hint">It cannot be recovered: a forgotten passphrase means a new, empty store.</p>
        </div>
      )}
      {choice === 'unencrypted-test-store' && (
        <div className="keys-warning" role="note">
          <p>Private keys will be written to disk <strong>unencrypted</strong>. Use this only for throw-away test keys.</p>
          <label className="keys-choice">
            <input type="checkbox" checked={understood} onChange={(e) => setUnderstood(e.target.checked)} />I understand: test keys only
          </label>
        </div>
      )}
      {problem && (passphrase !== '' || repeat !== '' || choice === 'unencrypted-test-store') && <p className="keys-hint">{problem}</p>}
      <button type="submit" className="button button-primary" disabled={busy || problem !== null} aria-busy={busy}>
        {busy ? 'Setting up…' : 'Create the key store'}
      </button>
    </form>
  );
}
