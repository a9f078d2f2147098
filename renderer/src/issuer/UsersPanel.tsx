import { useState } from 'react';
import { useWorkbench } from '../store/context';

/** The issuer's users and their claims; create one, or change a password (which revokes its families). */
export function UsersPanel() {
  const users = useWorkbench((s) => s.issuerUsers);
  const putUser = useWorkbench((s) => s.putIssuerUser);
  const pending = useWorkbench((s) => s.issuerPending.includes('put-user'));
  const [name, setName] = useState('');
  const [password, setPassword] = useState('');
  const [claims, setClaims] = useState('');
  const [problem, setProblem] = useState<string | null>(null);

  const save = async () => {
    let parsed: Record<string, unknown> | undefined;
    if (claims.trim() !== '') {
      try {
        const value: unknown = JSON.parse(claims);
        if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error('not an object');
        parsed = value as Record<string, unknown>;
      } catch {
        return setProblem('Claims must be a JSON object, e.g. {"roles": ["admin"]}');
      }
    }
    if (name.trim() === '') return setProblem('A user name is needed');
    setProblem(null);
    const ok = await putUser(name.trim(), { ...(password !== '' && { password }), ...(parsed && { claims: parsed }) });
    if (ok) {
      setPassword('');
      setClaims('');
    }
  };

  return (
    <section className="iss-panel" aria-labelledby="iss-users-title">
      <h3 id="iss-users-title">Users</h3>
      <table className="iss-table">
        <thead>
          <tr>
            <th>name</th>
            <th>ver</th>
            <th>claims</th>
          </tr>
        </thead>
        <tbody>
          {users.map((u) => (
            <tr key={u.name}>
              <td>{u.name}</td>
              <td>{u.ver}</td>
              <td>
                <code className="iss-claims">{JSON.stringify(u.claims)}</code>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <form
        aria-label="Create or update a user"
        onSubmit={(e) => {
          e.preventDefault();
          void save();
        }}
      >
        <div className="iss-fields">
          <label className="iss-field">
            <span>Name</span>
            <input value={name} onChange={(e) => setName(e.target.value)} autoComplete="username" />
          </label>
          <label className="iss-field">
            <span>Password</span>
            <input type="password" value={password} onChange={(e) => setPassword(e.target.value)} autoComplete="new-password" />
            <small className="iss-muted">a new password revokes every family of the user</small>
          </label>
          <label className="iss-field iss-wide">
            <span>Claims (JSON)</span>
            <textarea rows={2} value={claims} onChange={(e) => setClaims(e.target.value)} placeholder='{"roles": ["user"]}' />
            <small className="iss-muted">changed claims bump the user’s token version (ver)</small>
          </label>
        </div>
        {problem && (
          <p role="alert" className="iss-bad">
            {problem}
          </p>
        )}
        <button type="submit" className="button" disabled={pending}>
          Save user
        </button>
      </form>
    </section>
  );
}
