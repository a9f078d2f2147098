import { memo, useState } from 'react';
import type { AttackVariant } from '../../../shared/core/attacks/types';
import { ATTACK_MENU } from '../store/attacks-slice';
import type { AttackInput } from '../store/attacks-slice';
import { useWorkbench } from '../store/context';
import type { ProbeRunState } from '../store/probe-slice';
import { RunNotice } from './RunNotice';

/**
 * The Attacks menu beside Examples and History: a native <select> of the attack kinds. Choosing one opens
 * the Attacks panel (below the Encoded pane) for the token on screen; the select returns to its title.
 * Beside it, "Probe a verifier…" opens the panel's probe section.
 */
export const AttacksMenu = memo(function AttacksMenu() {
  const chooseAttack = useWorkbench((s) => s.chooseAttack);
  const openProbe = useWorkbench((s) => s.openProbe);
  const hasToken = useWorkbench((s) => s.decoded !== null);
  return (
    <>
      <select
        aria-label="Attacks"
        value=""
        disabled={!hasToken}
        onChange={(e) => {
          const entry = ATTACK_MENU.find((x) => x.kind === e.target.value);
          if (entry) chooseAttack(entry.kind);
        }}
      >
        <option value="" disabled>
          Attacks…
        </option>
        {ATTACK_MENU.map((entry) => (
          <option key={entry.kind} value={entry.kind}>
            {entry.label}
          </option>
        ))}
      </select>
      <button type="button" className="button-quiet" disabled={!hasToken} onClick={openProbe}>
        Probe a verifier…
      </button>
    </>
  );
});

const INPUT_LABEL: Record<Exclude<AttackInput, null>, string> = {
  key: 'Public key the verifier holds (PEM, certificate, JWK or JWKS)',
  url: 'URL where you will serve it',
  secret: 'Secret to sign with',
};

/** The Attacks panel: the chosen attack's variants, and the probe of a verifier when it is open. */
export function AttacksPanel() {
  return (
    <>
      <ChosenAttack />
      <ProbeSection />
    </>
  );
}

/** The chosen attack: its input (if it needs one), then each forged variant with what it exploits. */
function ChosenAttack() {
  const attack = useWorkbench((s) => s.attack);
  const setAttackInput = useWorkbench((s) => s.setAttackInput);
  const generateAttack = useWorkbench((s) => s.generateAttack);
  const closeAttack = useWorkbench((s) => s.closeAttack);
  if (!attack) return null;
  const label = ATTACK_MENU.find((x) => x.kind === attack.kind)?.label ?? attack.kind;
  const { run } = attack;

  return (
    <section className="panel attacks" aria-labelledby="attacks-title">
      <div className="panel-head">
        <h2 id="attacks-title">Attack: {label}</h2>
        <button type="button" className="button-quiet" onClick={closeAttack}>
          Close
        </button>
      </div>
      <p className="muted attacks-note">Forged from the token on screen, in this window; nothing is sent anywhere.</p>
      {attack.input !== null && (
        <form
          className="attack-input"
          // The core checks the URL and says what is wrong with it, with a stable code.
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            void generateAttack();
          }}
        >
          <label>
            {INPUT_LABEL[attack.input]}
            {attack.input === 'key' ? (
              <textarea value={attack.inputText} rows={5} spellCheck={false} onChange={(e) => setAttackInput(e.target.value)} />
            ) : (
              <input
                type={attack.input === 'url' ? 'url' : 'text'}
                value={attack.inputText}
                spellCheck={false}
                placeholder={attack.input === 'url' ? 'https://attacker.example/jwks.json' : undefined}
                onChange={(e) => setAttackInput(e.target.value)}
              />
            )}
          </label>
          <button type="submit" className="button button-primary" disabled={run.status === 'generating'}>
            Generate
          </button>
        </form>
      )}
      <RunNotice pending={run.status === 'generating' ? 'Generating…' : null} failure={run.status === 'failed' ? run : null} />
      {run.status === 'done' && (
        <ol className="attack-variants" aria-label="Variants">
          {run.variants.map((variant, i) => (
            <VariantItem key={`${variant.variant}:${i}`} variant={variant} />
          ))}
        </ol>
      )}
    </section>
  );
}

function VariantItem({ variant }: { variant: AttackVariant }) {
  const setInput = useWorkbench((s) => s.setInput);
  const [copied, setCopied] = useState<string | null>(null);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(variant.token);
      setCopied('Copied');
    } catch {
      setCopied('The clipboard refused the copy');
    }
  };
  return (
    <li className="attack-variant" aria-label={`Variant ${variant.variant}`}>
      <div className="attack-variant-head">
        <code>{variant.variant}</code>
        <button type="button" className="button-quiet" onClick={() => void copy()}>
          Copy
        </button>
        <button type="button" className="button-quiet" onClick={() => setInput(variant.token)}>
          Open in debugger
        </button>
        <span role="status" aria-live="polite">
          {copied}
        </span>
      </div>
      <p className="attack-explanation">{variant.explanation}</p>
      <code className="attack-token">{variant.token}</code>
      {variant.jwks !== undefined && (
        <details>
          <summary>JWKS to serve</summary>
          <pre>{JSON.stringify(variant.jwks, null, 2)}</pre>
        </details>
      )}
      {variant.pem !== undefined && (
        <details>
          <summary>Certificate to serve</summary>
          <pre>{variant.pem}</pre>
        </details>
      )}
    </li>
  );
}

/**
 * "Probe a verifier": the host sends the token on screen, then each attack variant of it, to the URL typed
 * here — only when "Run probe" is pressed — and the table fills in as the answers come.
 */
function ProbeSection() {
  const open = useWorkbench((s) => s.probeOpen);
  const form = useWorkbench((s) => s.probeForm);
  const run = useWorkbench((s) => s.probeRun);
  const setField = useWorkbench((s) => s.setProbeField);
  const runProbe = useWorkbench((s) => s.runProbe);
  const cancelProbe = useWorkbench((s) => s.cancelProbe);
  const closeProbe = useWorkbench((s) => s.closeProbe);
  if (!open) return null;
  const busy = run.phase === 'starting' || run.phase === 'running' || run.phase === 'cancelling';

  return (
    <section className="panel attacks probe" aria-labelledby="probe-title">
      <div className="panel-head">
        <h2 id="probe-title">Probe a verifier</h2>
        <button type="button" className="button-quiet" onClick={closeProbe}>
          Close
        </button>
      </div>
      <p className="muted attacks-note">
        Nothing is sent until you press Run probe. Then the app sends GET requests to the verifier URL only: first the token on
        screen (it must be accepted), then every attack variant made from it, one at a time. Probe only verifiers you run or may
        test.
      </p>
      <form
        className="attack-input probe-form"
        // The host checks every field and says what is wrong, with the field's name.
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          if (!busy) void runProbe();
        }}
      >
        <label>
          Verifier URL
          <input
            type="url"
            value={form.url}
            spellCheck={false}
            placeholder="http://127.0.0.1:8080/api/me"
            onChange={(e) => setField('url', e.target.value)}
          />
        </label>
        <div className="probe-form-row">
          <label>
            Header
            <input type="text" value={form.header} spellCheck={false} onChange={(e) => setField('header', e.target.value)} />
          </label>
          <label>
            Scheme
            <input
              type="text"
              value={form.scheme}
              spellCheck={false}
              aria-describedby="probe-scheme-note"
              onChange={(e) => setField('scheme', e.target.value)}
            />
          </label>
          <span id="probe-scheme-note" className="muted">
            Empty sends the bare token.
          </span>
        </div>
        <label>
          Verifier&apos;s public key (optional: adds the key-confusion variants)
          <textarea value={form.key} rows={4} spellCheck={false} onChange={(e) => setField('key', e.target.value)} />
        </label>
        <div className="probe-actions">
          <button type="submit" className="button button-primary" disabled={busy}>
            Run probe
          </button>
          {busy && (
            <button type="button" className="button" onClick={() => void cancelProbe()} disabled={run.phase === 'cancelling'}>
              Cancel
            </button>
          )}
        </div>
      </form>
      <ProbeProgress run={run} />
      <RunNotice failure={run.error} />
      {run.results.length > 0 && <ProbeTable run={run} />}
      {run.skipped.length > 0 && (
        <ul className="muted probe-skipped" aria-label="Skipped kinds">
          {run.skipped.map((s) => (
            <li key={s.kind}>
              Skipped <code>{s.kind}</code>: {s.reason}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

/** One line on where the run is, and the verdict once it is over. */
function ProbeProgress({ run }: { run: ProbeRunState }) {
  const total = run.results.length;
  const accepted = run.results.filter((r) => r.accepted).length;
  const attacks = (n: number) => `${n} attack${n === 1 ? '' : 's'}`;
  let text: string | null = null;
  let verdict: 'ok' | 'bad' | null = null;
  switch (run.phase) {
    case 'starting':
      text = 'Sending the original token…';
      break;
    case 'running':
      text =
        run.original === null
          ? 'Sending the original token…'
          : `Original token accepted (HTTP ${run.original}); ${attacks(total)} sent${accepted > 0 ? `, ${accepted} accepted` : ''}…`;
      break;
    case 'cancelling':
      text = 'Cancelling…';
      break;
    case 'cancelled':
      text = `Cancelled after ${attacks(total)}: ${accepted} accepted.`;
      break;
    case 'done':
      verdict = accepted > 0 ? 'bad' : 'ok';
      text =
        accepted > 0
          ? `${accepted} of ${attacks(total)} accepted — your verifier is vulnerable`
          : `All ${attacks(total)} rejected (the original token: HTTP ${run.original ?? '?'})`;
      break;
    default:
      break;
  }
  if (text === null) return null;
  return (
    <p className={`probe-summary${verdict ? ` probe-summary-${verdict}` : ''}`} role="status" aria-label="Probe summary">
      {text}
    </p>
  );
}

function ProbeTable({ run }: { run: ProbeRunState }) {
  return (
    <table className="probe-results" aria-label="Probe results">
      <thead>
        <tr>
          <th scope="col">Kind</th>
          <th scope="col">Variant</th>
          <th scope="col">HTTP status</th>
          <th scope="col">Accepted</th>
        </tr>
      </thead>
      <tbody>
        {run.results.map((r, i) => (
          <tr key={`${r.kind}:${r.variant}:${i}`} className={r.accepted ? 'probe-accepted' : undefined} data-accepted={r.accepted ? 'true' : 'false'}>
            <td>
              <code>{r.kind}</code>
            </td>
            <td>
              <code>{r.variant}</code>
            </td>
            <td>{r.status ?? `— (${r.error ?? 'no answer'})`}</td>
            <td>{r.accepted ? 'ACCEPTED — verifier failure' : r.status === null ? 'no answer' : 'rejected'}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
