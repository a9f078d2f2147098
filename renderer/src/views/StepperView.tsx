import { useEffect } from 'react';
import type { ReactNode } from 'react';
import { STEPS } from '../../../shared/stepper/steps';
import type { StepDefinition } from '../../../shared/stepper/types';
import { DecodedInline } from '../issuer/DecodedInline';
import { IssuerErrorBanner } from '../issuer/IssuerErrorBanner';
import { Timeline } from '../issuer/Timeline';
import { stepBlockedBy } from '../store/issuer-slice';
import type { StepRun } from '../store/issuer-slice';
import { useWorkbench } from '../store/context';

const CHAPTERS: Record<StepDefinition['chapter'], string> = {
  rotation: 'Refresh-token rotation and reuse detection',
  keys: 'Signing-key rotation vs a verifier caching the JWKS',
  revocation: 'Revoking an access token',
  attacks: 'Forged tokens: a naive verifier vs the real one',
  dpop: 'DPoP: an access token bound to the client’s key',
};

function StepCard({
  step,
  index,
  last,
  next,
  running,
  busy,
  blockedBy,
  onRun,
}: {
  step: StepDefinition;
  index: number;
  last: StepRun | undefined;
  next: boolean;
  running: boolean;
  busy: boolean;
  /** The 0-based index of the step to run first, when this one cannot run yet. */
  blockedBy: number | null;
  onRun(): void;
}) {
  const reasonId = `step-${step.id}-blocked`;
  return (
    <li className={`iss-step${next ? ' iss-step-next' : ''}`} data-step-id={step.id} data-status={last?.outcome.status ?? 'pending'}>
      <div className="iss-step-head">
        <span className="iss-step-number">{index + 1}</span>
        <strong>{step.title}</strong>
        <span className={`iss-state iss-state-${last?.outcome.status ?? 'pending'}`}>{running ? 'running…' : last?.outcome.status ?? 'not run'}</span>
        <button
          type="button"
          onClick={onRun}
          disabled={busy || blockedBy !== null}
          aria-label={`Run step: ${step.title}`}
          {...(blockedBy !== null && { 'aria-describedby': reasonId, title: `Run step ${blockedBy + 1} first` })}
        >
          Run
        </button>
      </div>
      {blockedBy !== null && (
        <p className="iss-muted iss-step-blocked" id={reasonId}>
          Run step {blockedBy + 1} first
        </p>
      )}
      <p className="iss-muted">{step.action}</p>
      {last && (
        <div className="iss-step-outcome">
          <p className="iss-step-summary" data-testid={`outcome-${step.id}`}>
            {last.outcome.summary}
          </p>
          <p className="iss-rule">
            <span>Why:</span> {step.rule.text} <cite>{step.rule.cite}</cite>
          </p>
          {last.outcome.tokens.map((t) => (
            <DecodedInline key={t.token} label={t.label} token={t.token} />
          ))}
        </div>
      )}
    </li>
  );
}

/** The refresh-rotation stepper (issue 5): the lifecycle one step at a time, with a growing sequence diagram. */
export function StepperView() {
  const status = useWorkbench((s) => s.issuerStatus);
  const stepper = useWorkbench((s) => s.stepper);
  const loadIssuer = useWorkbench((s) => s.loadIssuer);
  const startIssuer = useWorkbench((s) => s.startIssuer);
  const runStep = useWorkbench((s) => s.runStepperStep);
  const runAll = useWorkbench((s) => s.runStepperAll);
  const reset = useWorkbench((s) => s.resetStepper);
  const starting = useWorkbench((s) => s.issuerPending.includes('start'));
  const resetting = useWorkbench((s) => s.issuerPending.includes('clock'));

  useEffect(() => {
    void loadIssuer();
  }, [loadIssuer]);

  const lastRun = (id: string) => [...stepper.runs].reverse().find((r) => r.id === id);
  // No step while the issuer is starting: "prepare" would read it as stopped.
  const busy = stepper.running !== null || starting;
  const done = stepper.next >= STEPS.length;

  return (
    <main className="workspace iss-view iss-stepper" aria-labelledby="stepper-view-title">
      <header>
        <h2 id="stepper-view-title">Refresh-rotation stepper</h2>
        <p className="iss-muted">
          Each step does something real against the running mock issuer, checks the answer against the rule, and says what happened and why.
        </p>
      </header>
      <IssuerErrorBanner />
      {!status?.running && (
        <p className="iss-note" role="note">
          The issuer is not running.{' '}
          <button type="button" onClick={() => void startIssuer({})} disabled={starting}>
            {starting ? 'Starting…' : 'Start it with default settings'}
          </button>{' '}
          or configure it in the Issuer view.
        </p>
      )}
      <div className="iss-actions">
        <button type="button" className="iss-primary" onClick={() => void runStep()} disabled={busy || done}>
          {done ? 'All steps done' : `Next: ${STEPS[stepper.next]?.title}`}
        </button>
        <button type="button" onClick={() => void runAll()} disabled={busy || done}>
          Run all remaining steps
        </button>
        <button type="button" onClick={() => void reset()} disabled={busy || resetting} title="Clear the steps and put the issuer’s clock back to real time">
          Reset
        </button>
      </div>
      <div className="iss-stepper-body">
        <ol className="iss-steps" aria-label="Steps">
          {STEPS.map((step, index) => (
            <StepGroup key={step.id} step={step} index={index}>
              <StepCard
                step={step}
                index={index}
                last={lastRun(step.id)}
                next={index === stepper.next}
                running={stepper.running === step.id}
                busy={busy}
                blockedBy={stepBlockedBy(index, stepper.next)}
                onRun={() => void runStep(step.id)}
              />
            </StepGroup>
          ))}
        </ol>
        <Timeline runs={stepper.runs} />
      </div>
    </main>
  );
}

/** A chapter heading before the first step of each chapter. */
function StepGroup({ step, index, children }: { step: StepDefinition; index: number; children: ReactNode }) {
  const first = index === 0 || STEPS[index - 1]!.chapter !== step.chapter;
  return (
    <>
      {first && <li className="iss-chapter">{CHAPTERS[step.chapter]}</li>}
      {children}
    </>
  );
}
