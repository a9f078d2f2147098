import type { StateCreator } from 'zustand';
import type { ProbeResultView } from '../../../shared/contract/probe';
import type { AttackKind } from '../../../shared/core/attacks/types';
import { callHost } from './host-call';
import type { WorkbenchDeps, WorkbenchState } from './types';

/**
 * "Probe a verifier" in the Attacks panel: the host sends the token on screen, then every attack variant of
 * it, to the URL the user typed (`probe.start`), only when the user presses "Run probe". The page polls
 * `probe.status` for the results so far and can `probe.cancel` the run.
 */
export interface ProbeForm {
  url: string;
  /** The header that carries the token; empty means the host's default, Authorization. */
  header: string;
  /** What precedes the token; empty sends the bare token. */
  scheme: string;
  /** The verifier's PUBLIC key (optional): adds the key-confusion variants. */
  key: string;
}

export type ProbePhase = 'idle' | 'starting' | 'running' | 'cancelling' | 'done' | 'cancelled' | 'failed';

export interface ProbeRunState {
  phase: ProbePhase;
  runId: string | null;
  results: ProbeResultView[];
  /** The status the original token got, once known. */
  original: number | null;
  skipped: { kind: AttackKind; reason: string }[];
  /** Why the run could not start or stopped early (code and message as the CLI gives them). */
  error: { code: string; message: string } | null;
}

export interface ProbeSlice {
  /** Whether the "Probe a verifier" section of the Attacks panel is shown. */
  probeOpen: boolean;
  probeForm: ProbeForm;
  probeRun: ProbeRunState;
  openProbe(): void;
  /** Hides the section; a run in flight is cancelled. */
  closeProbe(): void;
  setProbeField(field: keyof ProbeForm, value: string): void;
  /** Starts a probe of the form's URL with the token on screen (the user pressed "Run probe"). */
  runProbe(): Promise<void>;
  /** Stops the run: the host aborts the request in flight and sends nothing more. */
  cancelProbe(): Promise<void>;
}

export const DEFAULT_PROBE_FORM: ProbeForm = { url: '', header: 'Authorization', scheme: 'Bearer', key: '' };
const IDLE: ProbeRunState = { phase: 'idle', runId: null, results: [], original: null, skipped: [], error: null };

export const createProbeSlice =
  (deps: WorkbenchDeps): StateCreator<WorkbenchState, [], [], ProbeSlice> =>
  (set, get) => {
    // Each run takes a number; answers are applied only while it is the latest (a new run, close).
    let generation = 0;

    const update = (mine: number, run: Partial<ProbeRunState>) => {
      if (mine === generation) set({ probeRun: { ...get().probeRun, ...run } });
    };

    const poll = async (mine: number, runId: string) => {
      for (;;) {
        await new Promise((resolve) => setTimeout(resolve, deps.probePollMs));
        if (mine !== generation) return;
        const result = await callHost(deps.host, 'probe.status', { runId });
        if (mine !== generation) return;
        if (!result.ok) {
          update(mine, { phase: 'failed', error: result.error });
          return;
        }
        const view = result.value;
        const phase: ProbePhase = !view.done ? get().probeRun.phase : view.cancelled ? 'cancelled' : view.error ? 'failed' : 'done';
        update(mine, { phase, results: view.results, original: view.original, skipped: view.skipped, error: view.cancelled ? null : view.error });
        if (view.done) return;
      }
    };

    const stopRun = () => {
      const { phase, runId } = get().probeRun;
      if (runId !== null && (phase === 'running' || phase === 'cancelling')) void callHost(deps.host, 'probe.cancel', { runId });
    };

    return {
      probeOpen: false,
      probeForm: DEFAULT_PROBE_FORM,
      probeRun: IDLE,
      openProbe() {
        set({ probeOpen: true });
      },
      closeProbe() {
        stopRun();
        generation++;
        set({ probeOpen: false, probeRun: IDLE });
      },
      setProbeField(field, value) {
        set({ probeForm: { ...get().probeForm, [field]: value } });
      },
      async runProbe() {
        const token = get().decoded?.token;
        const form = get().probeForm;
        stopRun();
        const mine = ++generation;
        if (token === undefined) {
          set({ probeRun: { ...IDLE, phase: 'failed', error: { code: 'no-token', message: 'Paste a token the verifier accepts first.' } } });
          return;
        }
        set({ probeRun: { ...IDLE, phase: 'starting' } });
        const header = form.header.trim();
        const result = await callHost(deps.host, 'probe.start', {
          url: form.url.trim(),
          token,
          ...(form.key.trim() !== '' && { key: form.key }),
          ...(header !== '' && { header }),
          scheme: form.scheme.trim(),
        });
        if (mine !== generation) {
          // Closed or replaced while starting: this run is not wanted.
          if (result.ok) void callHost(deps.host, 'probe.cancel', { runId: result.value.runId });
          return;
        }
        if (!result.ok) {
          update(mine, { phase: 'failed', error: result.error });
          return;
        }
        update(mine, { phase: 'running', runId: result.value.runId });
        await poll(mine, result.value.runId);
      },
      async cancelProbe() {
        const { phase, runId } = get().probeRun;
        if (phase === 'starting') {
          // No run id yet: the start's answer sees the newer generation and cancels that run.
          generation++;
          set({ probeRun: { ...IDLE, phase: 'cancelled' } });
          return;
        }
        if (phase !== 'running' || runId === null) return;
        set({ probeRun: { ...get().probeRun, phase: 'cancelling' } });
        // The poll reports the run cancelled once the host has stopped it.
        await callHost(deps.host, 'probe.cancel', { runId });
      },
    };
  };
