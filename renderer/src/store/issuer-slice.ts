import type { StateCreator } from 'zustand';
import type { HostError, MethodName, RequestOf, ResponseOf } from '../../../shared/contract';
import type {
  IssuerFamilies,
  IssuerLogEntryView,
  IssuerSettingsPatch,
  IssuerStatus,
  IssuerUserView,
  JsonObject,
} from '../../../shared/contract/issuer';
import { decodeToken } from '../../../shared/core/decode';
import { STEPS, runStep, stepById } from '../../../shared/stepper/steps';
import { initialState } from '../../../shared/stepper/types';
import type { StepOutcome, StepperState } from '../../../shared/stepper/types';
import { callHost } from './host-call';
import type { WorkbenchDeps, WorkbenchState } from './types';

export type IssuerOperation = 'status' | 'start' | 'stop' | 'settings' | 'clock' | 'rotate-keys' | 'families' | 'revoke-family' | 'users' | 'put-user' | 'log' | 'open-token';

/** One step as the stepper shows it: when it ran and what came of it. */
export interface StepRun {
  id: string;
  outcome: StepOutcome;
  /** Position in the timeline (runs can repeat: a step run twice appears twice). */
  seq: number;
}

export interface StepperSlice {
  state: StepperState;
  /** Every run so far, oldest first: the timeline. */
  runs: StepRun[];
  /** The step running now, if any. */
  running: string | null;
  /** Index in STEPS of the step "Next" runs. */
  next: number;
}

/**
 * Where the debugger's token came from, while it is still that token: the app's own mock issuer signed it
 * (checked against its JWKS when it was opened), and, for a token of a login the Stepper holds, the refresh
 * token of that grant. Memory only: never persisted, logged or put in the history; dropped as soon as the
 * debugger's token is anything else (typed, pasted, opened, an example, an edit or its re-signing).
 */
export interface TokenOrigin {
  /** The debugger input this origin is about. */
  token: string;
  /** The mock issuer's URL (the token's iss). */
  issuer: string;
  /** Which token of a token response it is: a refresh puts the same kind back. */
  kind: 'access_token' | 'id_token';
  /** What gets a fresh token (the refresh_token grant), or null when there is nothing to refresh with. */
  refresh: { token: string; clientId: string; familyId: string } | null;
}

export type RefreshOutcome = { ok: true; token: string } | { ok: false; message: string };

/** How many log entries the view keeps (the issuer's own ring holds 500). */
const LOG_KEEP = 300;

/**
 * The mock issuer as the renderer sees it (issue 5): its status, users, families and log, and the
 * stepper's timeline. Every action goes through the host contract; failures land in `issuerError` with the
 * host's specific code. Tokens the stepper receives stay in this slice (memory only, never persisted).
 */
export interface IssuerSlice {
  issuerStatus: IssuerStatus | null;
  issuerUsers: IssuerUserView[];
  issuerFamilies: IssuerFamilies | null;
  issuerLog: IssuerLogEntryView[];
  issuerPending: IssuerOperation[];
  issuerError: { operation: IssuerOperation; error: HostError } | null;
  stepper: StepperSlice;
  loadIssuer(): Promise<void>;
  startIssuer(request: RequestOf<'issuer.start'>): Promise<IssuerStatus | null>;
  stopIssuer(): Promise<IssuerStatus | null>;
  saveIssuerSettings(patch: IssuerSettingsPatch): Promise<boolean>;
  advanceIssuerClock(seconds: number): Promise<boolean>;
  rotateIssuerKeys(): Promise<boolean>;
  revokeIssuerFamily(id: string): Promise<boolean>;
  putIssuerUser(name: string, changes: { password?: string; claims?: JsonObject }): Promise<boolean>;
  /** Families, users and new log entries, in one go (the view polls it while the issuer runs). */
  refreshIssuer(): Promise<void>;
  clearIssuerError(): void;
  /** Runs the next step (or the one named), appending its outcome to the timeline. */
  runStepperStep(id?: string): Promise<StepOutcome | null>;
  /** The scripted run: every remaining step, stopping at the first failure. */
  runStepperAll(): Promise<void>;
  /** Clears the steps and puts the issuer's clock back to real time (the steps moved it forward). */
  resetStepper(): Promise<void>;
  /**
   * Puts an issuer token in the debugger as the issuer's own verifier would see it: the key source is the
   * issuer's current JWKS (fetched through the host, as the steps do) and time claims are judged at the
   * issuer's virtual time, so a token minted after a clock move is not "issued in the future". Records
   * where the token came from (`tokenOrigin`) when the issuer's JWKS verifies it.
   */
  openIssuerToken(token: string): Promise<void>;
  tokenOrigin: TokenOrigin | null;
  /**
   * Gets a fresh token for the debugger's one from the mock issuer (its token endpoint, grant_type
   * refresh_token, through `issuer.request`), puts it in the debugger as openIssuerToken does and keeps the
   * origin with the rotated refresh token. Never throws: a failure is a message saying what went wrong.
   */
  refreshTokenFromIssuer(): Promise<RefreshOutcome>;
}

/** Whether the step at `index` can run: every step before it has run (`next` is the first that has not). */
export function stepBlockedBy(index: number, next: number): number | null {
  return index > next ? next : null;
}

function freshStepper(): StepperSlice {
  return { state: initialState(), runs: [], running: null, next: 0 };
}

export const createIssuerSlice =
  (deps: WorkbenchDeps): StateCreator<WorkbenchState, [], [], IssuerSlice> =>
  (set, get, store) => {
    // The origin belongs to one token: any other input drops it (and the refresh token with it).
    store.subscribe((state) => {
      if (state.tokenOrigin !== null && state.input !== state.tokenOrigin.token) set({ tokenOrigin: null });
    });

    async function run<M extends MethodName>(operation: IssuerOperation, method: M, request: RequestOf<M>): Promise<ResponseOf<M> | null> {
      set((state) => ({ issuerPending: [...state.issuerPending, operation] }));
      const outcome = await callHost(deps.host, method, request);
      set((state) => {
        const pending = [...state.issuerPending];
        pending.splice(pending.indexOf(operation), 1);
        // A poll that finds the issuer stopped is not an error worth a banner: the status says it.
        const quiet = !outcome.ok && outcome.error.code === 'issuer-not-running' && (operation === 'families' || operation === 'log' || operation === 'users');
        return outcome.ok || quiet ? { issuerPending: pending, ...(outcome.ok && { issuerError: null }) } : { issuerPending: pending, issuerError: { operation, error: outcome.error } };
      });
      return outcome.ok ? outcome.value : null;
    }

    async function refreshStatus(): Promise<IssuerStatus | null> {
      const status = await run('status', 'issuer.status', {});
      if (status) set({ issuerStatus: status });
      return status;
    }

    async function refreshAll(): Promise<void> {
      const status = get().issuerStatus;
      if (!status?.running) return;
      const after = get().issuerLog.at(-1)?.seq ?? 0;
      const [families, users, log] = await Promise.all([
        run('families', 'issuer.families', {}),
        run('users', 'issuer.users', {}),
        run('log', 'issuer.log', { after }),
      ]);
      set((state) => ({
        ...(families && { issuerFamilies: families }),
        ...(users && { issuerUsers: users.users }),
        ...(log && log.entries.length > 0 && { issuerLog: [...state.issuerLog, ...log.entries].slice(-LOG_KEEP) }),
      }));
    }

    /**
     * Puts an issuer token in the debugger as the issuer's own verifier would see it (see openIssuerToken);
     * answers the JWKS text it verifies with, or null when the issuer gave none.
     */
    async function loadIssuerToken(token: string): Promise<string | null> {
      const [jwks, clock] = await Promise.all([
        run('open-token', 'issuer.request', { method: 'GET', path: '/jwks' }),
        run('open-token', 'issuer.clock', {}),
      ]);
      // The token first: it is then a pasted token, which a key change never re-signs.
      get().setInput(token);
      const usable = jwks && jwks.status === 200 ? jwks.body : null;
      if (usable !== null) {
        get().setKeySource('jwks');
        get().setKeyText(usable);
      }
      if (clock) get().setNowOverride(clock.now);
      return usable;
    }

    let seq = 0;

    return {
      issuerStatus: null,
      issuerUsers: [],
      issuerFamilies: null,
      issuerLog: [],
      issuerPending: [],
      issuerError: null,
      stepper: freshStepper(),

      async loadIssuer() {
        const status = await refreshStatus();
        if (status?.running) await refreshAll();
      },

      async startIssuer(request) {
        const status = await run('start', 'issuer.start', request);
        if (!status) return null;
        set({ issuerStatus: status, issuerLog: [], issuerFamilies: null });
        await refreshAll();
        return status;
      },

      async stopIssuer() {
        const status = await run('stop', 'issuer.stop', {});
        if (status) set({ issuerStatus: status });
        return status;
      },

      async saveIssuerSettings(patch) {
        const settings = await run('settings', 'issuer.settings.put', patch);
        if (!settings) return false;
        await refreshStatus();
        return true;
      },

      async advanceIssuerClock(seconds) {
        const clock = await run('clock', 'issuer.clock', { advance: seconds });
        if (!clock) return false;
        await refreshStatus();
        await refreshAll();
        return true;
      },

      async rotateIssuerKeys() {
        const rotated = await run('rotate-keys', 'issuer.rotateKeys', {});
        if (!rotated) return false;
        await refreshStatus();
        await refreshAll();
        return true;
      },

      async revokeIssuerFamily(id) {
        const revoked = await run('revoke-family', 'issuer.revokeFamily', { id });
        if (!revoked) return false;
        await refreshAll();
        return true;
      },

      async putIssuerUser(name, changes) {
        const put = await run('put-user', 'issuer.users.put', { name, ...changes });
        if (!put) return false;
        await refreshAll();
        return true;
      },

      refreshIssuer: refreshAll,

      clearIssuerError() {
        set({ issuerError: null });
      },

      async runStepperStep(id) {
        const { stepper } = get();
        if (stepper.running) return null;
        const step = id === undefined ? STEPS[stepper.next] : stepById(id);
        if (!step) return null;
        // A step whose earlier steps have not run cannot succeed: it is not run at all (the view disables it).
        if (stepBlockedBy(STEPS.indexOf(step), stepper.next) !== null) return null;
        set((s) => ({ stepper: { ...s.stepper, running: step.id } }));
        // Steps mutate the state object they are given; the slice hands them a copy and stores it back.
        const state = { ...get().stepper.state };
        const outcome = await runStep(step, { host: deps.host, state });
        set((s) => ({
          stepper: {
            state,
            runs: [...s.stepper.runs, { id: step.id, outcome, seq: ++seq }],
            running: null,
            next: outcome.status === 'failed' ? STEPS.indexOf(step) : Math.max(s.stepper.next, STEPS.indexOf(step) + 1),
          },
        }));
        await refreshStatus();
        await refreshAll();
        return outcome;
      },

      async runStepperAll() {
        while (get().stepper.next < STEPS.length) {
          const outcome = await get().runStepperStep();
          if (!outcome || outcome.status === 'failed') return;
        }
      },

      async resetStepper() {
        if (get().stepper.running) return;
        set({ stepper: freshStepper() });
        if (!get().issuerStatus?.running) return;
        const clock = await run('clock', 'issuer.clock', { reset: true });
        if (clock) await refreshStatus();
      },

      async openIssuerToken(token) {
        const jwks = await loadIssuerToken(token);
        const status = get().issuerStatus;
        if (!jwks || !status?.running || get().input !== token) return;
        const decoded = decodeToken(token);
        if (!decoded.ok || decoded.token.kind !== 'jws') return;
        const payload = decoded.token.payload as Record<string, unknown> | null;
        if (typeof payload !== 'object' || payload === null || payload.iss !== status.issuer) return;
        // Only what the issuer signed (not a forged variant of it): its own JWKS says so.
        const verified = await callHost(deps.host, 'crypto.verify', { token, key: { type: 'jwks', value: jwks }, options: { now: get().effectiveNow() } });
        if (!verified.ok || !verified.value.valid || get().input !== token) return;
        const { state } = get().stepper;
        // The Stepper's login: its current refresh token is the grant's (a DPoP-bound token would need a proof).
        const refresh =
          typeof payload.sid === 'string' && payload.sid === state.familyId && state.refresh !== null && payload.cnf === undefined
            ? { token: state.refresh, clientId: typeof payload.client_id === 'string' ? payload.client_id : STEPPER_CLIENT, familyId: payload.sid }
            : null;
        set({ tokenOrigin: { token, issuer: status.issuer, kind: decoded.token.header.typ === 'at+jwt' ? 'access_token' : 'id_token', refresh } });
      },

      tokenOrigin: null,

      async refreshTokenFromIssuer() {
        const origin = get().tokenOrigin;
        if (!origin?.refresh) return { ok: false, message: 'This token did not come from the mock issuer with a refresh token: nothing to refresh it with' };
        // The Stepper and the debugger are one client of that login: whoever rotated last holds its refresh token.
        const { state } = get().stepper;
        const presented = state.familyId === origin.refresh.familyId && state.refresh !== null ? state.refresh : origin.refresh.token;
        const body = new URLSearchParams({ grant_type: 'refresh_token', refresh_token: presented, client_id: origin.refresh.clientId }).toString();
        const sent = await callHost(deps.host, 'issuer.request', { method: 'POST', path: '/token', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body });
        if (!sent.ok) {
          return {
            ok: false,
            message: sent.error.code === 'issuer-not-running' ? 'Refresh failed: the mock issuer is not running (start it in the Issuer view)' : `Refresh failed: ${sent.error.message} (${sent.error.code})`,
          };
        }
        const answer = parseJsonObject(sent.value.body);
        if (sent.value.status !== 200) {
          const error = typeof answer.error === 'string' ? answer.error : null;
          const description = typeof answer.error_description === 'string' ? answer.error_description : null;
          return { ok: false, message: `Refresh refused by the issuer: ${sent.value.status}${error ? ` ${error}` : ''}${description ? ` — ${description}` : ''}` };
        }
        const fresh = answer[origin.kind];
        if (typeof fresh !== 'string' || fresh === '') return { ok: false, message: `Refresh failed: the issuer's answer has no ${origin.kind}` };
        const rotated = typeof answer.refresh_token === 'string' && answer.refresh_token !== '' ? answer.refresh_token : presented;
        if (state.familyId === origin.refresh.familyId && get().stepper.state.refresh === presented) {
          set((s) => ({ stepper: { ...s.stepper, state: { ...s.stepper.state, refresh: rotated } } }));
        }
        // The user replaced the token meanwhile: theirs stays (the rotated refresh token goes with the origin).
        if (get().tokenOrigin !== origin) return { ok: false, message: 'The token changed while it was being refreshed: the new one was not put in the debugger' };
        await loadIssuerToken(fresh);
        if (get().input !== fresh) return { ok: false, message: 'The token changed while it was being refreshed: the new one was not put in the debugger' };
        set({ tokenOrigin: { ...origin, token: fresh, refresh: { ...origin.refresh, token: rotated } } });
        return { ok: true, token: fresh };
      },
    };
  };

/** The client the Stepper logs in as (shared/stepper/steps.ts). */
const STEPPER_CLIENT = 'workbench';

function parseJsonObject(text: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}
