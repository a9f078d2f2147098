/**
 * The app's probe of a verifier (`probe.start` / `probe.status` / `probe.cancel`): runProbe (probe.ts) in the
 * host, started only by the user's "Run probe", its results kept for the page to poll. One run at a time
 * matters to the user — the one on screen — so a newer start cancels the run in flight. The token is held
 * only while its run lasts and is never logged or put in an answer.
 */
import { randomUUID } from 'node:crypto';
import type { ProbeErrorCode } from '../../shared/contract/errors';
import type { ProbeRunView } from '../../shared/contract/probe';
import { WorkbenchError } from '../../shared/core/errors';
import { prepareProbe, ProbeError, runProbe } from './probe';
import type { ProbeOptions } from './probe';

/** What `probe.status` reports when the run is unknown. */
export class ProbeRunError extends WorkbenchError<'run-not-found'> {
  override readonly name = 'ProbeRunError';
}

export interface ProbeServiceConfig {
  /** Per-request timeout; default runProbe's (10 s). */
  timeoutMs?: number;
}

interface Run {
  view: ProbeRunView;
  controller: AbortController;
  finished: Promise<void>;
}

/** Finished runs kept for a late status call; older ones are forgotten. */
const KEPT_RUNS = 4;

export class ProbeService {
  private readonly runs = new Map<string, Run>();

  constructor(private readonly config: ProbeServiceConfig = {}) {}

  /**
   * Checks the request (nothing is sent when it is refused), cancels the run in flight, and starts a new one.
   * Throws ProbeError: `invalid-url`, `invalid-header`, `token-invalid`.
   */
  start(options: Pick<ProbeOptions, 'url' | 'token' | 'key' | 'header' | 'scheme'>): { runId: string } {
    try {
      prepareProbe(options);
    } catch (error) {
      if (error instanceof ProbeError) throw error;
      // TokenError (does not decode) or AttackError (a JWE, a detached payload): their messages quote no token.
      if (error instanceof WorkbenchError) throw new ProbeError('token-invalid', `cannot probe with this token: ${error.message}`, { cause: error });
      throw error;
    }
    for (const run of this.runs.values()) run.controller.abort();

    const runId = randomUUID();
    const controller = new AbortController();
    const view: ProbeRunView = { runId, results: [], original: null, skipped: [], done: false, cancelled: false, error: null };
    const finished = runProbe({
      ...options,
      ...(this.config.timeoutMs !== undefined && { timeoutMs: this.config.timeoutMs }),
      signal: controller.signal,
      onOriginal: (status) => {
        view.original = status;
      },
      onResult: (result) => {
        view.results.push({ ...result });
      },
    }).then(
      (report) => {
        view.skipped = report.skipped;
      },
      (error: unknown) => {
        view.cancelled = controller.signal.aborted;
        view.error = controller.signal.aborted
          ? { code: 'probe-cancelled', message: 'the probe was cancelled: nothing more was sent' }
          : error instanceof WorkbenchError
            ? { code: probeCode(error), message: error.message }
            : { code: 'attack-failed', message: 'the probe stopped on an unexpected error' };
      },
    ).finally(() => {
      view.done = true;
    });
    this.runs.set(runId, { view, controller, finished });
    this.forgetOldRuns();
    return { runId };
  }

  /** The results so far. Throws ProbeRunError for an unknown run. */
  status(runId: string): ProbeRunView {
    const run = this.runs.get(runId);
    if (!run) throw new ProbeRunError('run-not-found', 'no such probe run (it may have been replaced by a newer one)');
    return { ...run.view, results: [...run.view.results], skipped: [...run.view.skipped] };
  }

  /** Stops the run: the request in flight is aborted and nothing more is sent. */
  cancel(runId: string): { cancelled: boolean } {
    const run = this.runs.get(runId);
    if (!run || run.view.done || run.controller.signal.aborted) return { cancelled: false };
    run.controller.abort();
    return { cancelled: true };
  }

  /** Cancels every run and waits for them to stop (host shutdown, tests). */
  async close(): Promise<void> {
    for (const run of this.runs.values()) run.controller.abort();
    await Promise.all([...this.runs.values()].map((run) => run.finished));
  }

  /** Waits for a run to end (tests). */
  async settled(runId: string): Promise<void> {
    await this.runs.get(runId)?.finished;
  }

  private forgetOldRuns(): void {
    const done = [...this.runs.entries()].filter(([, run]) => run.view.done);
    for (const [id] of done.slice(0, Math.max(0, this.runs.size - KEPT_RUNS))) this.runs.delete(id);
  }
}

/** A run's error code: runProbe's own, or `attack-failed` for anything else the run threw. */
function probeCode(error: WorkbenchError<string>): ProbeErrorCode {
  return error instanceof ProbeError ? error.code : 'attack-failed';
}
