import { useState } from 'react';
import { ISSUER_SIGNING_ALGS } from '../../../shared/contract/issuer';
import type { IssuerRunning, IssuerSigningAlg } from '../../../shared/contract/issuer';
import { DEFAULT_SETTINGS_VIEW } from './defaults';
import { SettingsFields, draftOf, patchOf } from './SettingsFields';
import type { SettingsDraft } from './SettingsFields';
import { useWorkbench } from '../store/context';

/** Start form (port, issuer URL, signing key, settings) while stopped; stop button and live settings while running. */
export function IssuerControls() {
  const status = useWorkbench((s) => s.issuerStatus);
  const pending = useWorkbench((s) => s.issuerPending);
  const storedKeys = useWorkbench((s) => s.keys);
  const startIssuer = useWorkbench((s) => s.startIssuer);
  const stopIssuer = useWorkbench((s) => s.stopIssuer);
  const saveSettings = useWorkbench((s) => s.saveIssuerSettings);
  const [port, setPort] = useState('');
  const [issuerUrl, setIssuerUrl] = useState('');
  const [alg, setAlg] = useState<IssuerSigningAlg>('ES256');
  const [keyId, setKeyId] = useState('');
  const [draft, setDraft] = useState<SettingsDraft>(draftOf(DEFAULT_SETTINGS_VIEW));
  const [problem, setProblem] = useState<string | null>(null);
  const running = status?.running ? status : null;

  // While running, the form shows the issuer's own settings: taken over while rendering (React's way for
  // state that follows a prop, no extra effect pass), and only when they change, not on every poll of the status.
  const runningSettings = running?.settings;
  const [shownSettings, setShownSettings] = useState<typeof runningSettings>(undefined);
  if (runningSettings !== shownSettings) {
    setShownSettings(runningSettings);
    if (runningSettings) setDraft(draftOf(runningSettings));
  }

  const signingKeys = storedKeys.filter((k) => k.hasPrivate && k.algorithms.some((a) => (ISSUER_SIGNING_ALGS as readonly string[]).includes(a)));

  const start = async () => {
    const patch = patchOf(draft);
    if (!patch.ok) return setProblem(patch.message);
    const portNumber = port.trim() === '' ? 0 : Number(port);
    if (!Number.isInteger(portNumber) || portNumber < 0 || portNumber > 65535) return setProblem('Port must be a whole number from 0 to 65535 (empty: any free port)');
    setProblem(null);
    await startIssuer({
      port: portNumber,
      ...(issuerUrl.trim() !== '' && { issuer: issuerUrl.trim() }),
      ...(keyId !== '' ? { keyId } : { alg }),
      settings: patch.patch,
    });
  };

  const save = async () => {
    const patch = patchOf(draft);
    if (!patch.ok) return setProblem(patch.message);
    setProblem(null);
    await saveSettings(patch.patch);
  };

  return (
    <section className="iss-panel" aria-labelledby="iss-controls-title">
      <h3 id="iss-controls-title">{running ? 'Running issuer' : 'Start the issuer'}</h3>
      {running ? (
        <RunningSummary status={running} onStop={() => void stopIssuer()} stopping={pending.includes('stop')} />
      ) : (
        <div className="iss-fields">
          <label className="iss-field">
            <span>Port</span>
            <input inputMode="numeric" placeholder="any free port" value={port} onChange={(e) => setPort(e.target.value)} />
          </label>
          <label className="iss-field">
            <span>Issuer URL</span>
            <input placeholder="http://127.0.0.1:PORT" value={issuerUrl} onChange={(e) => setIssuerUrl(e.target.value)} />
            <small className="iss-muted">used byte for byte in tokens and discovery</small>
          </label>
          <label className="iss-field">
            <span>Signing key</span>
            <select value={keyId} onChange={(e) => setKeyId(e.target.value)}>
              <option value="">A new key ({alg})</option>
              {signingKeys.map((k) => (
                <option key={k.id} value={k.id}>
                  Stored: {k.label || k.kid} ({k.description})
                </option>
              ))}
            </select>
          </label>
          {keyId === '' && (
            <label className="iss-field">
              <span>Algorithm</span>
              <select value={alg} onChange={(e) => setAlg(e.target.value as IssuerSigningAlg)}>
                {ISSUER_SIGNING_ALGS.map((a) => (
                  <option key={a} value={a}>
                    {a}
                    {a.startsWith('HS') ? ' (shared secret: every verifier can mint)' : ''}
                  </option>
                ))}
              </select>
            </label>
          )}
        </div>
      )}
      <SettingsFields draft={draft} onChange={setDraft} />
      {problem && (
        <p role="alert" className="iss-bad">
          {problem}
        </p>
      )}
      <div className="iss-actions">
        {running ? (
          <button type="button" className="button" onClick={() => void save()} disabled={pending.includes('settings')}>
            Save settings
          </button>
        ) : (
          <button type="button" className="button button-primary" onClick={() => void start()} disabled={pending.includes('start')}>
            {pending.includes('start') ? 'Starting…' : 'Start issuer'}
          </button>
        )}
      </div>
    </section>
  );
}

function RunningSummary({ status, onStop, stopping }: { status: IssuerRunning; onStop(): void; stopping: boolean }) {
  const [copied, setCopied] = useState(false);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(status.discoveryUrl);
      setCopied(true);
    } catch {
      setCopied(false);
    }
  };
  return (
    <div className="iss-running">
      <p>
        Issuer <code data-testid="issuer-url">{status.issuer}</code>{' '}
        <button type="button" className="button" onClick={onStop} disabled={stopping}>
          {stopping ? 'Stopping…' : 'Stop issuer'}
        </button>
      </p>
      <p>
        Discovery URL <code data-testid="discovery-url">{status.discoveryUrl}</code>{' '}
        <button type="button" className="button" onClick={() => void copy()}>
          {copied ? 'Copied' : 'Copy'}
        </button>
      </p>
      <p className="iss-muted">
        Signing keys: {status.keySource === 'key-store' ? 'in the key store (they survive a restart)' : 'in memory only (unlock the key store to keep them)'}.
        Clients: <code>workbench</code> (public) and <code>resource-server</code> (confidential). The password grant is kept for
        simulation only: RFC 9700 §2.4 deprecates it.
      </p>
    </div>
  );
}
