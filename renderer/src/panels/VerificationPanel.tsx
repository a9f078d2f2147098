import type { HostVerifyResult } from '../../../shared/contract';
import type { ClaimCheck, KeyPolicyWarning } from '../../../shared/core/verify-types';
import { jwksKeyName } from '../../../shared/core/key-kind';
import { embeddedKeys, type EmbeddedKey } from '../../../shared/core/token-key';
import type { DecodedToken } from '../../../shared/core/token';
import { isBlankInput } from '../store';
import type { ExchangeValues, KeySource, Verification } from '../store';
import { useWorkbench } from '../store/context';
import { keyOriginText, verdictOf } from '../verdict';
import { ExpectedClaims } from './ExpectedClaims';
import { useHeldWhile } from './held';
import { KEY_SOURCES, KEY_SOURCE_ORDER } from './key-sources';

/**
 * Verifies the token in the Encoded pane exactly as it stands with the key entered here; the host does
 * the crypto. Entering a key never changes a pasted token (no silent re-signing); only a token the user
 * made by editing the Header or Payload is re-signed, and the Encoded pane says so.
 *
 * The overall verdict comes first, then the claim checks (judged at "now", re-judged as the clock moves),
 * then the key and what is expected of the token.
 */
export function VerificationPanel() {
  return (
    <section className="panel verification" aria-labelledby="verification-title">
      <div className="panel-head">
        <h2 id="verification-title">Verification</h2>
      </div>
      <VerificationStatus />
      <KeyForm />
      <ExpectedClaims />
      <ExchangeFields />
    </section>
  );
}

/**
 * The form re-renders only when its shape changes: it selects flags, not the token, so a keystroke that
 * leaves them alone re-renders none of it (the key editor included).
 */
function KeyForm() {
  const keySource = useWorkbench((s) => s.keySource);
  const setKeySource = useWorkbench((s) => s.setKeySource);
  const unsecured = useWorkbench((s) => s.decoded?.kind === 'unsecured');
  const hasOwnKeys = useWorkbench((s) => s.decoded !== null && embeddedKeys(s.decoded).length > 0);
  // The token the panes show: a keystroke that breaks the input for a moment does not make the button flicker.
  const findKeys = useWorkbench((s) => s.lastGood !== null && s.lastGood.kind !== 'jwe' && (hasHttpIssuer(s.lastGood) || s.keySource === 'jwks'));
  const { Editor } = KEY_SOURCES[keySource];
  // "Token's own key" is offered only for a token that names one (or while it is the choice).
  const sources = KEY_SOURCE_ORDER.filter((value) => value !== 'token-key' || hasOwnKeys || keySource === 'token-key');
  return (
    <div className="key-form">
      {hasOwnKeys && <OwnKeyWarningOfToken />}
      <div className="field-row">
        <div className="field">
          <label htmlFor="key-source">Key type</label>
          <select id="key-source" value={keySource} onChange={(e) => setKeySource(e.target.value as KeySource)}>
            {sources.map((value) => (
              <option key={value} value={value}>
                {KEY_SOURCES[value].label}
              </option>
            ))}
          </select>
        </div>
        {findKeys && <FindKeys />}
      </div>
      <DiscoveryNote />
      {/* An unsecured token has nothing to verify; the key still re-signs an edit, so the box stays. */}
      {unsecured && <p className="field-note">No key verifies an alg none token; a key here is only used to sign an edit.</p>}
      <Editor />
    </div>
  );
}

/** The token's iss is an http(s) URL: an issuer whose keys discovery may find. */
function hasHttpIssuer(token: DecodedToken): boolean {
  const payload = token.payload;
  const iss = typeof payload === 'object' && payload !== null && !Array.isArray(payload) ? (payload as { iss?: unknown }).iss : undefined;
  return typeof iss === 'string' && /^https?:\/\//i.test(iss.trim());
}

/** Only on this button does the app fetch the issuer's metadata and keys (through the host). */
function FindKeys() {
  const discoverKeys = useWorkbench((s) => s.discoverKeys);
  const pending = useWorkbench((s) => s.keyDiscovery.status === 'pending');
  return (
    <button type="button" className="button find-keys" disabled={pending} onClick={() => void discoverKeys()}>
      Find keys
    </button>
  );
}

function DiscoveryNote() {
  // The outcome while it is about the token on screen (selected as such, so other keystrokes re-render nothing).
  const discovery = useWorkbench((s) => {
    const found = s.keyDiscovery;
    return found.status === 'idle' || (found.status !== 'pending' && found.token !== (s.decoded?.token ?? null)) ? null : found;
  });
  if (discovery === null) return null;
  return (
    <p className={`field-note discovery-note${discovery.status === 'failed' ? ' discovery-failed' : ''}`} role="status" aria-label="Key discovery">
      {discovery.status === 'pending'
        ? 'Finding the issuer\'s keys…'
        : discovery.status === 'done'
          ? `Found ${discovery.keys} key${discovery.keys === 1 ? '' : 's'} at ${discovery.jwksUri} via ${discovery.metadataUrl}`
          : `Could not find keys: ${discovery.error.message} (${discovery.error.code})`}
    </p>
  );
}

/**
 * The keys a token names about itself, shown but never used unless "Token's own key" is chosen: whoever made
 * the token chose them (RFC 8725 §3.10, the embedded-jwk attack).
 */
function OwnKeyWarningOfToken() {
  const decoded = useWorkbench((s) => s.decoded);
  return decoded ? <OwnKeyWarning keys={embeddedKeys(decoded)} /> : null;
}

function OwnKeyWarning({ keys }: { keys: readonly EmbeddedKey[] }) {
  const kinds = keys.map((k) => k.kind).join(', ');
  return (
    <div className="self-asserted-warning" role="note" aria-label="Token's own key">
      <p>
        <strong>This token names its own key ({kinds}): a verifier must not trust it — anyone can sign with their own key.</strong>{' '}
        It is not used unless you choose the key type “Token&apos;s own key (self-asserted)”.
      </p>
      <ul>
        {keys.map((k) => (
          <li key={k.kind}>
            <code>{k.kind}</code>{' '}
            {'url' in k ? (
              <>
                <code className="signature-value">{k.url}</code> (not fetched unless chosen)
              </>
            ) : k.kind === 'jwk' ? (
              <code className="signature-value">{k.input.value}</code>
            ) : (
              'a certificate chain in the header'
            )}
          </li>
        ))}
      </ul>
    </div>
  );
}

const EXCHANGE_FIELDS: { field: keyof ExchangeValues; id: string; label: string; checks: string }[] = [
  { field: 'accessToken', id: 'exchange-access-token', label: 'Access token', checks: 'at_hash' },
  { field: 'code', id: 'exchange-code', label: 'Authorization code', checks: 'c_hash' },
  { field: 'state', id: 'exchange-state', label: 'State', checks: 's_hash' },
  { field: 'nonce', id: 'exchange-nonce', label: 'Nonce', checks: 'nonce, azp' },
  { field: 'kbNonce', id: 'exchange-kb-nonce', label: 'Key-binding nonce', checks: 'SD-JWT KB-JWT nonce' },
];

/**
 * Values of one exchange to check the token against (`jwtdbg verify --access-token / --code / --state / --nonce
 * / --kb-nonce`): OIDC token-pair hashes and nonce, the SD-JWT key binding. Filled ones only are sent; never
 * remembered.
 */
function ExchangeFields() {
  const exchange = useWorkbench((s) => s.exchange);
  const setExchangeValue = useWorkbench((s) => s.setExchangeValue);
  return (
    <fieldset className="expectations exchange">
      <legend>Checked against this exchange (not remembered)</legend>
      {EXCHANGE_FIELDS.map(({ field, id, label, checks }) => (
        <div className="field" key={field}>
          <label htmlFor={id}>{label}</label>
          <input
            id={id}
            type="text"
            className="mono"
            value={exchange[field]}
            placeholder={`checks ${checks}`}
            onChange={(e) => setExchangeValue(field, e.target.value)}
            spellCheck={false}
            autoCapitalize="off"
            autoComplete="off"
            autoCorrect="off"
          />
        </div>
      ))}
    </fieldset>
  );
}

/**
 * The claim checks to show: the store's (judged at now, following the clock), then those only the host
 * judges (token pair, SD-JWT) from the verdict of this token.
 */
function shownClaimChecks(local: readonly ClaimCheck[], verification: Verification): readonly ClaimCheck[] {
  if (verification.status !== 'done') return local;
  const names = new Set(local.map((c) => c.claim));
  const extra = verification.result.claims.filter((c) => !names.has(c.claim));
  return extra.length ? [...local, ...extra] : local;
}

function VerificationStatus() {
  const blank = useWorkbench((s) => isBlankInput(s.input));
  const decoded = useWorkbench((s) => s.decoded);
  const decodeError = useWorkbench((s) => s.decodeError);
  const verification = useWorkbench((s) => s.verification);
  const localClaims = useWorkbench((s) => s.claimChecks);
  const claims = shownClaimChecks(localClaims, verification);
  const verdict = verdictOf({ blank, decoded, decodeError, verification, claims });
  const result = verification.status === 'done' && decoded !== null && decoded.kind === 'jws' ? verification.result : null;
  const source = verification.status === 'done' ? (verification.source ?? verification.result.key?.source ?? null) : null;
  // Claims of a token that decodes, is signed, and whose payload is a claims set.
  const shownClaims = decoded !== null && decoded.kind === 'jws' ? claims : [];
  // The list stays in the page, hidden, while there are none: a keystroke that breaks the token and the next that
  // mends it flip `hidden` and update the rows rather than tear the list down and build it again.
  const heldClaims = useHeldWhile(shownClaims.length === 0, shownClaims);
  return (
    <div className="verification-status">
      <div className={`verdict-box verdict-box-${verdict.tone}`} role="status" aria-label="Verdict" aria-live="polite" aria-atomic="true">
        <p className={`verdict verdict-${verdict.tone}`}>
          <strong>{verdict.headline}</strong>
        </p>
        {verdict.detail && <p className="verdict-message">{verdict.detail}</p>}
      </div>
      {result && <ResultFacts result={result} source={source} />}
      {heldClaims.length > 0 && <ClaimChecks claims={heldClaims} hidden={shownClaims.length === 0} />}
      {result && result.warnings.length > 0 && <KeyWarnings warnings={result.warnings} />}
    </div>
  );
}

function ResultFacts({ result, source }: { result: HostVerifyResult; source: string | null }) {
  return (
    <dl className="facts">
      {result.alg && (
        <>
          <dt>Algorithm</dt>
          <dd>
            <code>{result.alg}</code>
          </dd>
        </>
      )}
      {result.reason && (
        <>
          <dt>Reason</dt>
          <dd>
            <code>{result.reason}</code>
          </dd>
        </>
      )}
      {result.valid && result.key && (
        <>
          <dt>Key</dt>
          <dd>
            {result.key.kty}
            {result.key.kid !== null && (
              <>
                {' '}
                · kid <code>{result.key.kid}</code>
              </>
            )}
            {result.key.index !== null && <> · {jwksKeyName(result.key.index)}</>}
          </dd>
          {source && (
            <>
              <dt>Key source</dt>
              <dd className={source.startsWith('self-asserted:') ? 'key-source-self-asserted' : undefined}>
                <code>{source}</code>
                {source.startsWith('self-asserted:') ? ' — named by the token itself' : ` — ${keyOriginText(source)}`}
              </dd>
            </>
          )}
          {result.key.thumbprint && (
            <>
              <dt>Thumbprint</dt>
              <dd>
                <code className="signature-value">{result.key.thumbprint}</code>
              </dd>
            </>
          )}
        </>
      )}
    </dl>
  );
}

const CLAIM_MARK = { passed: '✓', failed: '✗', unchecked: '–' } as const;
const CLAIM_WORD = { passed: 'Passed: ', failed: 'Failed: ', unchecked: 'Not checked: ' } as const;

/** ✓ passed, ✗ failed, – reported but not judged (aud / iss with nothing expected): never ✓ for that. */
function ClaimChecks({ claims, hidden }: { claims: readonly ClaimCheck[]; hidden: boolean }) {
  return (
    <ul className="claim-checks" aria-label="Claim checks" hidden={hidden}>
      {claims.map((c) => {
        const state = !c.checked ? 'unchecked' : c.ok ? 'passed' : 'failed';
        return (
          <li key={c.claim} className={state === 'passed' ? 'claim-ok' : state === 'failed' ? 'claim-fail' : 'claim-unchecked'}>
            <span className="claim-mark" aria-hidden="true">
              {CLAIM_MARK[state]}
            </span>
            <span className="visually-hidden">{CLAIM_WORD[state]}</span>
            <code>{c.claim}</code> {c.message}
          </li>
        );
      })}
    </ul>
  );
}

const SEVERITY_LABEL = { error: 'Error', warning: 'Warning' } as const;

/** Key-policy problems, each with the same severity it has in Claim warnings (one severity per rule). */
function KeyWarnings({ warnings }: { warnings: readonly KeyPolicyWarning[] }) {
  return (
    <ul className="key-warnings" aria-label="Key warnings">
      {warnings.map((w) => (
        <li key={w.rule}>
          <span className={`severity severity-${w.severity}`}>{SEVERITY_LABEL[w.severity]}</span> {w.message} <code>{w.rule}</code>
        </li>
      ))}
    </ul>
  );
}
