import { useWorkbench } from '../store/context';
import { DecodeStatus } from './DecodeStatus';

/** The paste box. Decoding happens in the store on every change; this only reports the text. */
export function TokenInput() {
  const input = useWorkbench((s) => s.input);
  const setInput = useWorkbench((s) => s.setInput);
  const broken = useWorkbench((s) => s.decodeError !== null);

  return (
    <section className="panel panel-encoded" aria-labelledby="encoded-title">
      <div className="panel-head">
        <h2 id="encoded-title">
          <label htmlFor="token-input">Encoded token</label>
        </h2>
        {input !== '' && (
          <button type="button" className="button-quiet" onClick={() => setInput('')}>
            Clear
          </button>
        )}
      </div>
      <textarea
        id="token-input"
        className="token-input"
        value={input}
        onChange={(e) => setInput(e.target.value)}
        placeholder="Paste a JWT: compact JWS or JWE, JWS JSON, with or without “Bearer ”"
        spellCheck={false}
        autoCapitalize="off"
        autoComplete="off"
        autoCorrect="off"
        aria-invalid={broken}
        aria-describedby="decode-status"
        rows={10}
      />
      <DecodeStatus />
    </section>
  );
}
