import type { StateCreator } from 'zustand';
import type { DpopCheckResult } from '../../../shared/core/dpop';
import { callHost } from './host-call';
import type { WorkbenchDeps, WorkbenchState } from './types';

/** The request a DPoP proof is for (RFC 9449 §4.2): method, URL, and optionally the access token and nonce. */
export interface DpopRequestFields {
  htm: string;
  htu: string;
  /** Empty: no access token (no ath, no cnf.jkt check). */
  accessToken: string;
  /** Empty: no nonce. */
  nonce: string;
}

export interface DpopBuildForm extends DpopRequestFields {
  /** A private key pasted as PEM or JWK, or a key of the key store (signed in the host). */
  keyMode: 'pasted' | 'stored';
  keyText: string;
  storedKeyId: string | null;
}

export type DpopBuildRun =
  | { status: 'idle' }
  | { status: 'creating' }
  | { status: 'done'; proof: string; jkt: string }
  | { status: 'failed'; code: string; message: string };

export interface DpopSlice {
  /** The "Build a DPoP proof" form is open (from the menu, with or without a token on screen). */
  dpopBuilderOpen: boolean;
  dpopBuild: DpopBuildForm;
  dpopBuildRun: DpopBuildRun;
  /** The request the proof on screen is checked against. */
  dpopCheckFields: DpopRequestFields;
  /** §4.3's checks of the proof on screen against dpopCheckFields; null until run. */
  dpopCheck: { token: string; result: DpopCheckResult } | null;
  openDpopBuilder(prefill?: Partial<DpopBuildForm>): void;
  closeDpopBuilder(): void;
  setDpopBuild(patch: Partial<DpopBuildForm>): void;
  /** Asks the host to sign the proof (`dpop.create`): a stored key never leaves it. */
  createDpopProof(): Promise<void>;
  setDpopCheckFields(patch: Partial<DpopRequestFields>): void;
  /** Runs the checks on the decoded token, in the page (shared core), at the debugger's effective now. */
  checkDpopProof(): Promise<void>;
  /** Loads a built proof into the debugger, checked against the request it was made for. */
  openDpopProof(proof: string): void;
}

const EMPTY_REQUEST: DpopRequestFields = { htm: '', htu: '', accessToken: '', nonce: '' };

export const createDpopSlice =
  (deps: WorkbenchDeps): StateCreator<WorkbenchState, [], [], DpopSlice> =>
  (set, get) => {
    // An answer is shown only while it is about the latest request (typing outruns signing and checking).
    let buildGeneration = 0;
    let checkGeneration = 0;
    return {
      dpopBuilderOpen: false,
      dpopBuild: { ...EMPTY_REQUEST, htm: 'GET', keyMode: 'pasted', keyText: '', storedKeyId: null },
      dpopBuildRun: { status: 'idle' },
      dpopCheckFields: EMPTY_REQUEST,
      dpopCheck: null,

      openDpopBuilder(prefill) {
        buildGeneration++;
        set((s) => ({ dpopBuilderOpen: true, dpopBuild: { ...s.dpopBuild, ...prefill }, dpopBuildRun: { status: 'idle' } }));
      },
      closeDpopBuilder() {
        buildGeneration++;
        set({ dpopBuilderOpen: false, dpopBuildRun: { status: 'idle' } });
      },
      setDpopBuild(patch) {
        buildGeneration++;
        set((s) => ({ dpopBuild: { ...s.dpopBuild, ...patch }, dpopBuildRun: { status: 'idle' } }));
      },
      async createDpopProof() {
        const form = get().dpopBuild;
        const mine = ++buildGeneration;
        const update = (run: DpopBuildRun) => {
          if (mine === buildGeneration) set({ dpopBuildRun: run });
        };
        if (form.keyMode === 'stored' && form.storedKeyId === null) {
          update({ status: 'failed', code: 'no-key', message: 'Choose a stored key with a private part.' });
          return;
        }
        if (form.keyMode === 'pasted' && form.keyText.trim() === '') {
          update({ status: 'failed', code: 'no-key', message: 'Paste a private key (PEM or JWK).' });
          return;
        }
        update({ status: 'creating' });
        const key = form.keyMode === 'stored' ? { type: 'stored' as const, id: form.storedKeyId as string } : { type: 'auto' as const, value: form.keyText };
        const result = await callHost(deps.host, 'dpop.create', {
          key,
          htm: form.htm.trim(),
          htu: form.htu.trim(),
          ...(form.accessToken.trim() !== '' && { accessToken: form.accessToken.trim() }),
          ...(form.nonce !== '' && { nonce: form.nonce }),
        });
        update(result.ok ? { status: 'done', proof: result.value.proof, jkt: result.value.jkt } : { status: 'failed', code: result.error.code, message: result.error.message });
      },

      setDpopCheckFields(patch) {
        set((s) => ({ dpopCheckFields: { ...s.dpopCheckFields, ...patch } }));
      },
      async checkDpopProof() {
        const decoded = get().decoded;
        const mine = ++checkGeneration;
        if (decoded === null) {
          set({ dpopCheck: null });
          return;
        }
        const fields = get().dpopCheckFields;
        // Loaded on first use: the checks (and jose's verifier) stay out of the first bundle.
        const { checkDpopProof } = await import('../../../shared/core/dpop');
        const result = await checkDpopProof(decoded, {
          htm: fields.htm.trim(),
          htu: fields.htu.trim(),
          now: get().effectiveNow(),
          ...(fields.accessToken.trim() !== '' && { accessToken: fields.accessToken.trim() }),
          ...(fields.nonce !== '' && { nonce: fields.nonce }),
        });
        if (mine === checkGeneration) set({ dpopCheck: { token: decoded.token, result } });
      },
      openDpopProof(proof) {
        const { htm, htu, accessToken, nonce } = get().dpopBuild;
        set({ dpopCheckFields: { htm: htm.trim(), htu: htu.trim(), accessToken: accessToken.trim(), nonce }, dpopCheck: null });
        get().setInput(proof);
      },
    };
  };
