import type { StateCreator } from 'zustand';
import type { DecryptResponse, HostError, JweHostKeyInput } from '../../../shared/contract';
import type { ContentEncryptionAlgorithm, KeyManagementAlgorithm } from '../../../shared/core/jwe';
import { callHost } from './host-call';
import type { WorkbenchDeps, WorkbenchState } from './types';

/**
 * The debugger's JWE tools: decrypting the JWE on screen (`crypto.decrypt`, only on the user's button press)
 * and encrypting a payload or the current token (`crypto.encrypt`). A stored key is named by id: the host
 * decrypts with it, so no private key comes to the page. A nested JWT's inner token can be opened in the
 * debugger; the outer JWE is remembered for the way back.
 */
export type JweKeySource = 'pem' | 'jwk' | 'jwks' | 'password' | 'stored';
export type EncryptKeySource = 'pem' | 'jwk' | 'secret' | 'password' | 'stored';

export type Decryption =
  | { status: 'idle' }
  | { status: 'decrypting'; token: string }
  | { status: 'done'; token: string; result: DecryptResponse }
  | { status: 'failed'; token: string; error: HostError };

export interface EncryptForm {
  /** Encrypt the token on screen (as a nested JWT) or a payload typed here. */
  source: 'token' | 'payload';
  payloadText: string;
  alg: KeyManagementAlgorithm;
  enc: ContentEncryptionAlgorithm;
  keySource: EncryptKeySource;
  keyText: string;
  storedKeyId: string | null;
  /** `cty: JWT` (for the token on screen: a nested JWT). */
  ctyJwt: boolean;
}

export type Encryption = { status: 'idle' } | { status: 'encrypting' } | { status: 'done'; token: string } | { status: 'failed'; error: HostError };

export interface JweSlice {
  jweKeySource: JweKeySource;
  jweKeyText: string;
  jweStoredKeyId: string | null;
  decryption: Decryption;
  /** The JWE the inner token was opened from, for "Back to the JWE"; null when none. */
  outerJwe: string | null;
  encryptOpen: boolean;
  encryptForm: EncryptForm;
  encryption: Encryption;
  setJweKeySource(source: JweKeySource): void;
  setJweKeyText(text: string): void;
  setJweStoredKey(id: string | null): void;
  /** Decrypts the JWE on screen with the key entered; an answer about a token no longer shown is dropped. */
  decryptToken(): Promise<void>;
  /** Loads the decrypted inner token (cty JWT) into the debugger, remembering the JWE. */
  openInnerToken(): void;
  backToJwe(): void;
  openEncrypt(): void;
  closeEncrypt(): void;
  setEncryptForm(patch: Partial<EncryptForm>): void;
  encryptNow(): Promise<void>;
  /** Loads the encrypted token into the debugger. */
  openEncrypted(): void;
}

export const DEFAULT_ENCRYPT_FORM: EncryptForm = {
  source: 'token',
  payloadText: '',
  alg: 'RSA-OAEP-256',
  enc: 'A256GCM',
  keySource: 'pem',
  keyText: '',
  storedKeyId: null,
  ctyJwt: true,
};

function textKey(source: 'pem' | 'jwk' | 'jwks', value: string): JweHostKeyInput {
  return { type: source, value };
}

export const createJweSlice =
  (deps: WorkbenchDeps): StateCreator<WorkbenchState, [], [], JweSlice> =>
  (set, get) => {
    const decryptKey = (): JweHostKeyInput | string => {
      const { jweKeySource: source, jweKeyText: text, jweStoredKeyId: id } = get();
      if (source === 'stored') return id === null ? 'Choose a stored key.' : { type: 'stored', id };
      if (text === '') return source === 'password' ? 'Enter the password.' : 'Enter a key.';
      return source === 'password' ? { type: 'password', value: text } : textKey(source, text);
    };
    const encryptKey = (form: EncryptForm): JweHostKeyInput | string => {
      if (form.keySource === 'stored') return form.storedKeyId === null ? 'Choose a stored key.' : { type: 'stored', id: form.storedKeyId };
      if (form.keyText === '') return form.keySource === 'password' ? 'Enter the password.' : 'Enter a key.';
      if (form.keySource === 'password') return { type: 'password', value: form.keyText };
      if (form.keySource === 'secret') return { type: 'secret', value: form.keyText, encoding: 'utf8' };
      return textKey(form.keySource, form.keyText);
    };
    const localError = (message: string): HostError => ({ code: 'bad-request', message });

    return {
      jweKeySource: 'pem',
      jweKeyText: '',
      jweStoredKeyId: null,
      decryption: { status: 'idle' },
      outerJwe: null,
      encryptOpen: false,
      encryptForm: DEFAULT_ENCRYPT_FORM,
      encryption: { status: 'idle' },
      setJweKeySource(source) {
        // Key text of one kind is not the other's: a PEM is no password.
        set({ jweKeySource: source, jweKeyText: '' });
      },
      setJweKeyText(text) {
        set({ jweKeyText: text });
      },
      setJweStoredKey(id) {
        set({ jweStoredKeyId: id });
      },
      async decryptToken() {
        const decoded = get().decoded;
        if (decoded === null || decoded.kind !== 'jwe') return;
        const token = get().input;
        const key = decryptKey();
        if (typeof key === 'string') {
          set({ decryption: { status: 'failed', token, error: localError(key) } });
          return;
        }
        set({ decryption: { status: 'decrypting', token } });
        const result = await callHost(deps.host, 'crypto.decrypt', { token, key });
        const current = get().decryption;
        if (current.status !== 'decrypting' || current.token !== token) return; // a newer request
        set({ decryption: result.ok ? { status: 'done', token, result: result.value } : { status: 'failed', token, error: result.error } });
      },
      openInnerToken() {
        const d = get().decryption;
        if (d.status !== 'done' || d.result.nested === null) return;
        set({ outerJwe: d.token });
        get().setInput(d.result.nested.token);
      },
      backToJwe() {
        const outer = get().outerJwe;
        if (outer === null) return;
        set({ outerJwe: null });
        get().setInput(outer);
      },
      openEncrypt() {
        const decoded = get().decoded;
        // With a token on screen the natural thing to encrypt is that token (a nested JWT); else a payload.
        const source = decoded !== null && decoded.kind !== 'jwe' ? 'token' : 'payload';
        set({ encryptOpen: true, encryption: { status: 'idle' }, encryptForm: { ...get().encryptForm, source, ctyJwt: source === 'token' } });
      },
      closeEncrypt() {
        set({ encryptOpen: false, encryption: { status: 'idle' } });
      },
      setEncryptForm(patch) {
        const next = { ...get().encryptForm, ...patch };
        // A key of one kind is not the other's; cty JWT goes with encrypting the token on screen.
        if (patch.keySource !== undefined && patch.keySource !== get().encryptForm.keySource) next.keyText = '';
        if (patch.source !== undefined && patch.ctyJwt === undefined) next.ctyJwt = patch.source === 'token';
        set({ encryptForm: next });
      },
      async encryptNow() {
        const form = get().encryptForm;
        const key = encryptKey(form);
        if (typeof key === 'string') {
          set({ encryption: { status: 'failed', error: localError(key) } });
          return;
        }
        const payload = form.source === 'token' ? get().input.trim() : form.payloadText;
        if (form.source === 'token' && payload === '') {
          set({ encryption: { status: 'failed', error: localError('There is no token on screen: paste one, or encrypt a payload.') } });
          return;
        }
        set({ encryption: { status: 'encrypting' } });
        const result = await callHost(deps.host, 'crypto.encrypt', { payload, key, alg: form.alg, enc: form.enc, ...(form.ctyJwt && { cty: 'JWT' }) });
        if (get().encryption.status !== 'encrypting') return; // closed meanwhile
        set({ encryption: result.ok ? { status: 'done', token: result.value.token } : { status: 'failed', error: result.error } });
      },
      openEncrypted() {
        const e = get().encryption;
        if (e.status !== 'done') return;
        set({ outerJwe: null, encryptOpen: false, encryption: { status: 'idle' } });
        get().setInput(e.token);
      },
    };
  };
