import { memo, useEffect, useMemo, useState } from 'react';
import type { ReactNode } from 'react';
import { indexJsonLocations, parseJsonPath, formatJsonPath } from '../../../shared/core/json';
import { describeExpiry, describeIssuedAt, describeNotBefore, formatNumericDate, isNumericDate } from '../../../shared/core/time';
import type { DecodedToken } from '../../../shared/core/token';
import type { Finding } from '../../../shared/lint/types';
import { CodeEditor } from '../monaco/CodeEditor';
import type { EditorProblem } from '../monaco/CodeEditor';
import { setHoverClock } from '../monaco/hovers';
import { HEADER_MODEL_URI, PAYLOAD_MODEL_URI } from '../monaco/schemas';
import { jwePartList, signatureView } from '../signature-view';
import { hexDump } from '../format';
import { PAYLOAD_HEX_PREVIEW_BYTES, binaryPayload } from '../store/compose';
import type { DraftError } from '../store';
import { useWorkbench, useWorkbenchStore } from '../store/context';
import { useHeldWhile } from './held';

/**
 * Header, Payload and Signature of the last token that decoded (the current one when the input is fine).
 * Header and Payload are editable JSON: an edit makes a new token (see the token slice).
 */
export function DecodedPanes() {
  // The panes keep the last good decode while the input is broken; the container says so (dimming every pane),
  // and each pane's badge reads it for itself: breaking and mending the input re-renders neither pane.
  const stale = useIsStale();
  const store = useWorkbenchStore();
  // Claim hovers describe times against the moment the verdict's claim checks were judged (the same now).
  useEffect(() => setHoverClock(() => store.getState().claimsNow), [store]);
  return (
    <div className="decoded" data-stale={stale || undefined}>
      <JsonPane section="header" title="Header" />
      <JsonPane section="payload" title="Payload" />
      <SignaturePane />
    </div>
  );
}

const useIsStale = () => useWorkbench((s) => s.decodeError !== null && s.lastGood !== null);

function StaleBadge() {
  return useIsStale() ? <span className="badge badge-stale">last valid decode</span> : null;
}

function Pane({ id, title, children, note }: { id: string; title: string; children: ReactNode; note?: ReactNode }) {
  return (
    <section className={`panel pane pane-${id}`} aria-labelledby={`${id}-title`}>
      <div className="panel-head">
        <h2 id={`${id}-title`}>{title}</h2>
        <StaleBadge />
      </div>
      {note}
      {children}
    </section>
  );
}

const JsonPane = memo(function JsonPane({ section, title }: { section: 'header' | 'payload'; title: string }) {
  const hasToken = useWorkbench((s) => s.lastGood !== null);
  const text = useWorkbench((s) => (section === 'header' ? s.headerText : s.payloadText));
  const editable = useWorkbench((s) => (section === 'header' ? s.headerEditable : s.payloadEditable));
  const edit = useWorkbench((s) => (section === 'header' ? s.editHeader : s.editPayload));
  const draftError = useWorkbench((s) => (s.draftError?.pane === section ? s.draftError : null));
  const findings = useWorkbench((s) => s.findings);
  const reveal = useWorkbench((s) => (s.reveal?.pane === section ? s.reveal : null));
  const note = useWorkbench((s) => (section === 'payload' ? payloadNote(s.lastGood) : s.lastGood?.kind === 'jwe' ? 'The JWE’s protected header (read-only).' : null));
  const isJson = useWorkbench((s) => section === 'header' || (s.lastGood !== null && s.lastGood.kind !== 'jwe' && s.lastGood.payloadIsJson));
  const bytes = useWorkbench((s) => (section === 'payload' && s.lastGood ? binaryPayload(s.lastGood) : null));
  // A JWE's payload is its ciphertext: the pane says so over the editor instead of showing it empty.
  const encrypted = useWorkbench((s) => (section === 'payload' && s.lastGood?.kind === 'jwe' ? s.lastGood : null));

  const problems = useMemo(() => paneProblems(section, text, findings, draftError), [section, text, findings, draftError]);
  // A payload that is not UTF-8 is shown as a hex dump over the editor, which keeps the text, language and
  // mode it had: a keystroke that breaks a large JSON payload's bytes and the next that mends them then
  // leave the editor's model alone, where rebuilding it twice (and re-colouring 100 KB of JSON) was most
  // of such a keystroke's cost.
  const editorState = useHeldWhile(bytes !== null || encrypted !== null, { text, language: isJson ? ('json' as const) : ('plaintext' as const), editable, problems });
  // Likewise the hex view stays in the page, hidden, once shown: breaking and mending the payload's bytes
  // keystroke after keystroke then only flips `hidden` instead of building and tearing down its DOM.
  const heldBytes = useHeldWhile(bytes === null, bytes !== null ? { bytes, preview: text } : null);

  return (
    <Pane
      id={section}
      title={title}
      note={
        <>
          {note && <p className="pane-note">{note}</p>}
          {draftError && (
            <p className="pane-note pane-error" role="alert">
              {draftError.message}
            </p>
          )}
        </>
      }
    >
      <div className={`editor-frame editor-${section}`} data-view={bytes !== null ? 'bytes' : encrypted ? 'encrypted' : undefined}>
        <CodeEditor
          value={editorState.text}
          onChange={edit}
          ariaLabel={title}
          language={editorState.language}
          // Fixed for the editor's life (the schema and hovers are bound to it); the language follows the payload.
          modelUri={section === 'header' ? HEADER_MODEL_URI : PAYLOAD_MODEL_URI}
          readOnly={!editorState.editable}
          problems={editorState.problems}
          reveal={reveal}
          placeholder={hasToken ? undefined : 'No token yet.'}
        />
        {heldBytes !== null && <BytesView title={title} preview={heldBytes.preview} bytes={heldBytes.bytes} hidden={bytes === null} />}
        {encrypted && <EncryptedPayloadView token={encrypted} />}
      </div>
      {section === 'payload' && <TimeClaims />}
    </Pane>
  );
});

function payloadNote(token: DecodedToken | null): string | null {
  if (!token) return null;
  if (token.kind === 'jwe') return null; // said over the editor (EncryptedPayloadView)
  if (token.payloadIsJson || token.payloadText === null) return null; // JSON; or bytes, noted in the hex view
  return 'Not JSON: shown as text (a JWS payload may be any bytes).';
}

/** One formatter: toLocaleString makes a new one per call, and this renders at keystrokes. */
const BYTE_COUNT = new Intl.NumberFormat('en');

/** A payload that is not UTF-8: the store's hex preview, and every byte on request. */
const BytesView = memo(function BytesView({ title, preview, bytes, hidden }: { title: string; preview: string; bytes: Uint8Array; hidden: boolean }) {
  const [whole, setWhole] = useState<Uint8Array | null>(null);
  const showingAll = whole !== null && whole === bytes;
  const text = useMemo(() => (showingAll ? hexDump(whole, whole.length) : preview), [showingAll, whole, preview]);
  return (
    <div className="bytes-view" hidden={hidden}>
      <p className="bytes-view-note">
        Not UTF-8 text: {BYTE_COUNT.format(bytes.length)} bytes, shown as hex (read-only).
        {!showingAll && bytes.length > PAYLOAD_HEX_PREVIEW_BYTES && (
          <button type="button" className="button-quiet" onClick={() => setWhole(bytes)}>
            Show all
          </button>
        )}
      </p>
      {/* Focusable so the dump scrolls from the keyboard. */}
      <pre tabIndex={0} aria-label={`${title} bytes (hex)`}>
        {text}
      </pre>
    </div>
  );
});

/** A JWE's Payload pane: what the payload is, read-only, where an editor would show nothing. */
function EncryptedPayloadView({ token }: { token: DecodedToken }) {
  const name = (value: unknown) => (typeof value === 'string' ? value : 'not given');
  return (
    <div className="bytes-view">
      <p className="bytes-view-note">Read-only: the payload of a JWE is encrypted.</p>
      {/* Focusable so the note is reachable from the keyboard, as the editor it stands in for is. */}
      <pre tabIndex={0} aria-label="Payload (encrypted)">
        {'Encrypted (JWE) — the payload is the ciphertext; decrypt to inspect.\n'}
        {`It needs the recipient’s key. Content encryption: ${name(token.header.enc)} (enc); key management: ${name(token.header.alg)} (alg).\n`}
        {'The JWE parts are listed in the Signature pane.'}
      </pre>
    </div>
  );
}

/** The edit's syntax error, and each lint finding underlined at the member it is about. */
function paneProblems(section: 'header' | 'payload', text: string, findings: readonly Finding[], draftError: DraftError | null): EditorProblem[] {
  const problems: EditorProblem[] = [];
  if (draftError) problems.push({ start: draftError.offset, end: draftError.offset + draftError.length, message: draftError.message, severity: 'error' });
  const mine = findings.filter((f) => f.path.startsWith(`${section}.`) || f.path.startsWith(`${section}[`));
  if (mine.length === 0 || draftError) return problems;
  const locations = indexJsonLocations(text, 4);
  for (const finding of mine) {
    const parsed = parseJsonPath(finding.path);
    if (!parsed) continue;
    const where = locations.get(formatJsonPath(parsed.segments));
    if (!where) continue;
    const start = where.nameStart ?? where.valueStart;
    problems.push({ start, end: where.valueEnd, message: `${finding.message} (${finding.rule}, ${finding.rfc})`, severity: finding.severity });
  }
  return problems;
}

const TIME_CLAIMS = [
  ['exp', 'Expires', describeExpiry],
  ['nbf', 'Not before', describeNotBefore],
  ['iat', 'Issued', describeIssuedAt],
] as const;

/**
 * exp / nbf / iat as dates and relative to the clock the settings choose. Memoised and reading the payload object
 * (which a decode that leaves the payload as it was hands over unchanged): a keystroke elsewhere re-renders none of it.
 */
const TimeClaims = memo(function TimeClaims() {
  const payload = useWorkbench((s) => (s.lastGood && s.lastGood.kind !== 'jwe' && s.lastGood.payloadIsJson ? s.lastGood.payload : null));
  // The moment the claim checks were judged at: it follows the clock (and an override), like the verdict.
  const now = useWorkbench((s) => s.claimsNow);
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) return null;
  const claims = payload as Record<string, unknown>;
  const rows = TIME_CLAIMS.flatMap(([claim, label, describe]) => {
    const value = claims[claim];
    if (!isNumericDate(value)) return [];
    const iso = formatNumericDate(value);
    if (iso === null) return [];
    return [{ claim, label, iso, relative: describe(value, now) }];
  });
  if (rows.length === 0) return null;
  return (
    <dl className="time-claims">
      {rows.map((row) => (
        <div key={row.claim}>
          <dt>
            {row.label} <code>{row.claim}</code>
          </dt>
          <dd>
            <time dateTime={row.iso}>{row.iso.replace('T', ' ')}</time> · {row.relative}
          </dd>
        </div>
      ))}
    </dl>
  );
});

/**
 * A JWS's signatures as JSON. A JWE has none: the pane (whose name stays "Signature") says so and lists
 * the JWE's parts over the editor, which keeps the text it had (as the Payload pane does for bytes).
 */
const SignaturePane = memo(function SignaturePane() {
  const token = useWorkbench((s) => s.lastGood);
  const jwe = token?.kind === 'jwe';
  const text = useHeldWhile(jwe, useMemo(() => (token && token.kind !== 'jwe' ? signatureView(token) : ''), [token]));
  const parts = useMemo(() => (token ? jwePartList(token) : []), [token]);
  return (
    <Pane id="signature" title="Signature" note={jwe && <p className="pane-note">Not signed: a JWE is encrypted. Its parts (RFC 7516):</p>}>
      <div className="editor-frame editor-signature" data-view={jwe ? 'encrypted' : undefined}>
        <CodeEditor value={text} ariaLabel="Signature" language="json" readOnly placeholder="No token yet." />
        {jwe && (
          // Focusable, as the bytes views are: the parts of a long JWE scroll, and a keyboard must reach them.
          <ul className="bytes-view jwe-parts" aria-label="JWE parts" tabIndex={0}>
            {parts.map((part) => (
              <li key={part.name}>
                <span className="jwe-part-name">{part.name}</span> <code>{part.value}</code>
              </li>
            ))}
          </ul>
        )}
      </div>
    </Pane>
  );
});
