import type { Expectations } from '../store/settings-slice';
import { useWorkbench } from '../store/context';

const FIELDS: { field: keyof Expectations; id: string; label: string; placeholder: string }[] = [
  { field: 'audience', id: 'expected-audience', label: 'Expected audience', placeholder: 'api, https://api.example.com' },
  { field: 'issuer', id: 'expected-issuer', label: 'Expected issuer', placeholder: 'https://issuer.example.com' },
  { field: 'algorithms', id: 'allowed-algorithms', label: 'Allowed algorithms', placeholder: 'RS256, ES256 (default: what the key allows)' },
  { field: 'requiredClaims', id: 'required-claims', label: 'Required claims', placeholder: 'sub, exp' },
  { field: 'kbAudience', id: 'kb-audience', label: 'Key-binding audience', placeholder: 'SD-JWT: the verifier the KB-JWT names' },
];

/**
 * What verification expects of the token, as `jwtdbg verify --aud / --iss / --alg / --require` do: lists
 * separated by commas or spaces, any of which matches. Empty means not checked (aud and iss then show "–").
 * Remembered on this computer with the layout, not with a token.
 */
export function ExpectedClaims() {
  const expectations = useWorkbench((s) => s.expectations);
  const setExpectation = useWorkbench((s) => s.setExpectation);
  return (
    <fieldset className="expectations">
      <legend>Expected of the token</legend>
      {FIELDS.map(({ field, id, label, placeholder }) => (
        <div className="field" key={field}>
          <label htmlFor={id}>{label}</label>
          <input
            id={id}
            type="text"
            className="mono"
            value={expectations[field]}
            placeholder={placeholder}
            onChange={(e) => setExpectation(field, e.target.value)}
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
