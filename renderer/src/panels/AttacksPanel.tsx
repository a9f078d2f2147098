import { memo, useState } from 'react';
import type { AttackVariant } from '../../../shared/core/attacks/types';
import { ATTACK_MENU } from '../store/attacks-slice';
import type { AttackInput } from '../store/attacks-slice';
import { useWorkbench } from '../store/context';

/**
 * The Attacks menu beside Examples and History: a native <select> of the attack kinds. Choosing one opens
 * the Attacks panel (below the Encoded pane) for the token on screen; the select returns to its title.
 */
export const AttacksMenu = memo(function AttacksMenu() {
  const chooseAttack = useWorkbench((s) => s.chooseAttack);
  const hasToken = useWorkbench((s) => s.decoded !== null);
  return (
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
  );
});

const INPUT_LABEL: Record<Exclude<AttackInput, null>, string> = {
  key: 'Public key the verifier holds (PEM, certificate, JWK or JWKS)',
  url: 'URL where you will serve it',
  secret: 'Secret to sign with',
};

/** The chosen attack: its input (if it needs one), then each forged variant with what it exploits. */
export function AttacksPanel() {
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
          <button type="submit" disabled={run.status === 'generating'}>
            Generate
          </button>
        </form>
      )}
      {run.status === 'generating' && (
        <p className="muted" role="status">
          Generating…
        </p>
      )}
      {run.status === 'failed' && (
        <p className="attack-error" role="alert">
          <code>{run.code}</code>: {run.message}
        </p>
      )}
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
