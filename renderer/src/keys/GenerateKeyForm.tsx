import { useId, useState } from 'react';
import type { FormEvent } from 'react';
import { useWorkbench } from '../store/context';

/** What the Keys view generates, by key family (issue 4: the `jwtdbg keygen ALG` set). */
const ALG_GROUPS = [
  { label: 'RSA', algs: ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512'] },
  { label: 'Elliptic curve', algs: ['ES256', 'ES384', 'ES512'] },
  { label: 'Edwards curve', algs: ['EdDSA'] },
  { label: 'HMAC secret', algs: ['HS256', 'HS384', 'HS512'] },
] as const;

const RSA_BITS = [2048, 3072, 4096];
const CURVE_OF: Record<string, string> = { ES256: 'EC P-256', ES384: 'EC P-384', ES512: 'EC P-521', EdDSA: 'Ed25519' };

function isRsa(alg: string): boolean {
  return alg.startsWith('RS') || alg.startsWith('PS');
}
function isHmac(alg: string): boolean {
  return alg.startsWith('HS');
}

/** Generates a key pinned to one algorithm; the host does the work off the UI thread, so the view stays live. */
export function GenerateKeyForm() {
  const generate = useWorkbench((s) => s.generateStoredKey);
  const busy = useWorkbench((s) => s.keysPending.includes('generate'));
  const [alg, setAlg] = useState('ES256');
  const [rsaBits, setRsaBits] = useState(2048);
  const [hmacBits, setHmacBits] = useState('');
  const [kid, setKid] = useState('');
  const [label, setLabel] = useState('');
  const [generating, setGenerating] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const id = useId();

  const defaultHmacBits = isHmac(alg) ? Number(alg.slice(2)) : 0;
  const hmacBitsValue = hmacBits === '' ? defaultHmacBits : Number(hmacBits);
  const hmacProblem =
    isHmac(alg) && (!Number.isInteger(hmacBitsValue) || hmacBitsValue < 128 || hmacBitsValue > 4096 || hmacBitsValue % 8 !== 0)
      ? 'A secret length is a multiple of 8 from 128 to 4096 bits.'
      : null;
  const describe = isRsa(alg) ? `RSA ${rsaBits}` : isHmac(alg) ? `HMAC secret of ${hmacBitsValue} bits` : (CURVE_OF[alg] ?? alg);

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (hmacProblem) return;
    const what = `${alg} key (${describe})`;
    setGenerating(what);
    setDone(null);
    const key = await generate({
      alg,
      ...(isRsa(alg) && { bits: rsaBits }),
      ...(isHmac(alg) && hmacBits !== '' && { bits: hmacBitsValue }),
      ...(kid.trim() !== '' && { kid: kid.trim() }),
      ...(label.trim() !== '' && { label: label.trim() }),
    });
    setGenerating(null);
    if (key) {
      setDone(`Generated ${key.description} key ${key.kid}.`);
      setKid('');
      setLabel('');
    }
  }

  return (
    <form className="keys-card keys-generate" aria-labelledby={`${id}-title`} onSubmit={(e) => void submit(e)} aria-busy={busy}>
      <h2 id={`${id}-title`}>Generate a key</h2>
      <div className="keys-fields keys-fields-row">
        <div className="field">
          <label htmlFor={`${id}-alg`}>Algorithm</label>
          <select id={`${id}-alg`} value={alg} onChange={(e) => setAlg(e.target.value)}>
            {ALG_GROUPS.map((group) => (
              <optgroup key={group.label} label={group.label}>
                {group.algs.map((a) => (
                  <option key={a} value={a}>
                    {a}
                  </option>
                ))}
              </optgroup>
            ))}
          </select>
        </div>
        {isRsa(alg) && (
          <div className="field">
            <label htmlFor={`${id}-bits`}>Key size</label>
            <select id={`${id}-bits`} value={rsaBits} onChange={(e) => setRsaBits(Number(e.target.value))}>
              {RSA_BITS.map((bits) => (
                <option key={bits} value={bits}>
                  {bits} bits
                </option>
              ))}
            </select>
          </div>
        )}
        {isHmac(alg) && (
          <div className="field">
            <label htmlFor={`${id}-hmac`}>Secret length (bits)</label>
            <input
              id={`${id}-hmac`}
              type="number"
              inputMode="numeric"
              min={128}
              max={4096}
              step={8}
              placeholder={String(defaultHmacBits)}
              value={hmacBits}
              onChange={(e) => setHmacBits(e.target.value)}
              aria-invalid={hmacProblem !== null}
            />
          </div>
        )}
        {!isRsa(alg) && !isHmac(alg) && <span className="keys-hint">Curve: {CURVE_OF[alg]}</span>}
      </div>
      <div className="keys-fields keys-fields-row">
        <div className="field">
          <label htmlFor={`${id}-kid`}>Key ID (kid)</label>
          <input id={`${id}-kid`} value={kid} placeholder="default: the RFC 7638 thumbprint" onChange={(e) => setKid(e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor={`${id}-label`}>Label</label>
          <input id={`${id}-label`} value={label} placeholder={`${describe} (${alg})`} onChange={(e) => setLabel(e.target.value)} />
        </div>
      </div>
      {hmacProblem && <p className="keys-hint">{hmacProblem}</p>}
      <div className="keys-actions">
        <button type="submit" className="button button-primary" disabled={busy || hmacProblem !== null}>
          {busy ? 'Generating…' : 'Generate'}
        </button>
        <span role="status" className="keys-status-line">
          {generating ? (
            <>
              <span className="keys-spinner" aria-hidden="true" /> Generating {generating}…
            </>
          ) : (
            done
          )}
        </span>
      </div>
    </form>
  );
}
