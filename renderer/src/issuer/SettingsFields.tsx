import type { IssuerSettingsPatch, IssuerSettingsView } from '../../../shared/contract/issuer';

/** The settings a user tunes from the UI, as form text (so a half-typed number is not lost). */
export interface SettingsDraft {
  accessTokenTtl: string;
  refreshTokenTtl: string;
  refreshAbsoluteTtl: string;
  rotation: boolean;
  graceWindow: string;
  cookieMode: boolean;
  loginMax: string;
  loginWindow: string;
  tokenMax: string;
  resourceChecksDenyList: boolean;
  /** The workbench client's registered redirect URIs, one per line (loopback ones need none). */
  redirectUris: string;
}

/** The client whose redirect URIs the form edits: the issuer's own public client. */
const FORM_CLIENT = 'workbench';

export function draftOf(settings: IssuerSettingsView): SettingsDraft {
  return {
    accessTokenTtl: String(settings.accessTokenTtl),
    refreshTokenTtl: String(settings.refreshTokenTtl),
    refreshAbsoluteTtl: String(settings.refreshAbsoluteTtl),
    rotation: settings.rotation,
    graceWindow: String(settings.graceWindow),
    cookieMode: settings.cookieMode,
    loginMax: String(settings.rateLimits.login.max),
    loginWindow: String(settings.rateLimits.login.windowSeconds),
    tokenMax: String(settings.rateLimits.token.max),
    resourceChecksDenyList: settings.resourceChecksDenyList,
    redirectUris: (settings.redirectUris?.[FORM_CLIENT] ?? []).join('\n'),
  };
}

/** The redirect URIs of the text, or the first line that cannot be one (the issuer checks the rest). */
function redirectUrisOf(text: string): string[] | string {
  const uris = text.split('\n').map((line) => line.trim()).filter((line) => line !== '');
  for (const uri of uris) {
    let url: URL | null = null;
    try {
      url = new URL(uri);
    } catch {
      // reported below
    }
    if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:') || uri.includes('#')) {
      return `Redirect URIs: ${uri.slice(0, 80)} is not an absolute http(s) URL without a fragment`;
    }
  }
  return uris;
}

/** The patch a draft stands for, or the first field that is not a whole number in range. */
export function patchOf(draft: SettingsDraft): { ok: true; patch: IssuerSettingsPatch } | { ok: false; field: string; message: string } {
  const whole = (text: string, field: string, min: number): number | string => {
    const value = Number(text.trim());
    if (text.trim() === '' || !Number.isInteger(value) || value < min) return `${field} must be a whole number of at least ${min}`;
    return value;
  };
  const fields = {
    accessTokenTtl: whole(draft.accessTokenTtl, 'Access token lifetime', 1),
    refreshTokenTtl: whole(draft.refreshTokenTtl, 'Refresh token idle lifetime', 1),
    refreshAbsoluteTtl: whole(draft.refreshAbsoluteTtl, 'Refresh token absolute lifetime', 1),
    graceWindow: whole(draft.graceWindow, 'Grace window', 0),
    loginMax: whole(draft.loginMax, 'Login attempts', 0),
    loginWindow: whole(draft.loginWindow, 'Login window', 1),
    tokenMax: whole(draft.tokenMax, 'Token requests', 0),
  };
  for (const [field, value] of Object.entries(fields)) if (typeof value === 'string') return { ok: false, field, message: value };
  const n = fields as Record<keyof typeof fields, number>;
  const redirectUris = redirectUrisOf(draft.redirectUris);
  if (typeof redirectUris === 'string') return { ok: false, field: 'redirectUris', message: redirectUris };
  return {
    ok: true,
    patch: {
      accessTokenTtl: n.accessTokenTtl,
      refreshTokenTtl: n.refreshTokenTtl,
      refreshAbsoluteTtl: n.refreshAbsoluteTtl,
      rotation: draft.rotation,
      graceWindow: n.graceWindow,
      cookieMode: draft.cookieMode,
      resourceChecksDenyList: draft.resourceChecksDenyList,
      rateLimits: { login: { max: n.loginMax, windowSeconds: n.loginWindow }, token: { max: n.tokenMax, windowSeconds: 60 } },
      redirectUris: { [FORM_CLIENT]: redirectUris },
    },
  };
}

export function SettingsFields({ draft, onChange }: { draft: SettingsDraft; onChange(draft: SettingsDraft): void }) {
  const text = (key: keyof SettingsDraft, label: string, hint?: string) => (
    <label className="iss-field">
      <span>{label}</span>
      <input inputMode="numeric" value={draft[key] as string} onChange={(e) => onChange({ ...draft, [key]: e.target.value })} />
      {hint && <small className="iss-muted">{hint}</small>}
    </label>
  );
  const flag = (key: keyof SettingsDraft, label: string) => (
    <label className="iss-check">
      <input type="checkbox" checked={draft[key] as boolean} onChange={(e) => onChange({ ...draft, [key]: e.target.checked })} /> {label}
    </label>
  );
  return (
    <div className="iss-fields">
      {text('accessTokenTtl', 'Access token lifetime (s)', 'seeds: 900 (15 min)')}
      {text('refreshTokenTtl', 'Refresh idle lifetime (s)', 'slides on each refresh')}
      {text('refreshAbsoluteTtl', 'Refresh absolute lifetime (s)', 'never extends')}
      {text('graceWindow', 'Rotation grace window (s)', '0: any replay is reuse')}
      {text('loginMax', 'Login attempts per window', '0 turns the limit off')}
      {text('loginWindow', 'Login window (s)')}
      {text('tokenMax', 'Token requests per minute', '0 turns the limit off')}
      {flag('rotation', 'Rotate refresh tokens (and detect reuse)')}
      {flag('cookieMode', 'Cookie mode: refresh token in an HttpOnly cookie')}
      {flag('resourceChecksDenyList', 'Protected resource also checks the deny-list')}
      <label className="iss-field">
        <span>Redirect URIs of the {FORM_CLIENT} client (one per line)</span>
        <textarea rows={2} spellCheck={false} value={draft.redirectUris} onChange={(e) => onChange({ ...draft, redirectUris: e.target.value })} />
        <small className="iss-muted">exact match; http://127.0.0.1, [::1] and localhost on any port need no entry</small>
      </label>
    </div>
  );
}
