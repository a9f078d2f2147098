import { useLayoutEffect, useRef } from 'react';
import { LANES, LANE_LABELS } from '../../../shared/stepper/types';
import type { Arrow } from '../../../shared/stepper/types';
import { stepById } from '../../../shared/stepper/steps';
import type { StepRun } from '../store/issuer-slice';

const COLUMN = 100 / LANES.length;

function ArrowRow({ arrow }: { arrow: Arrow }) {
  const from = LANES.indexOf(arrow.from);
  const to = LANES.indexOf(arrow.to);
  const self = from === to;
  const left = (Math.min(from, to) + 0.5) * COLUMN;
  const width = self ? COLUMN * 0.45 : Math.abs(to - from) * COLUMN;
  const direction = self ? 'self' : to > from ? 'right' : 'left';
  return (
    <li className={`iss-arrow iss-arrow-${arrow.tone} iss-arrow-${direction}`} data-from={arrow.from} data-to={arrow.to}>
      <span className="iss-arrow-line" style={{ left: `${left}%`, width: `${width}%` }}>
        <span className="iss-arrow-label">{arrow.label}</span>
      </span>
    </li>
  );
}

/** How close to the bottom (px) still counts as "following the newest step". */
const FOLLOW_SLACK = 24;

/**
 * The sequence diagram: one lane per participant, the arrows of every step run so far, in order. One scroll
 * box holds the lane headers (sticky at its top) and the messages; it follows the newest step as steps are
 * added, unless the user has scrolled up to read an earlier one.
 */
export function Timeline({ runs }: { runs: StepRun[] }) {
  const box = useRef<HTMLDivElement>(null);
  const following = useRef(true);
  const newest = runs.at(-1)?.seq;

  const onScroll = () => {
    const el = box.current;
    if (el) following.current = el.scrollHeight - el.scrollTop - el.clientHeight <= FOLLOW_SLACK;
  };

  // Before paint, so the newest step is never first drawn out of sight. Only the box scrolls, never the page.
  useLayoutEffect(() => {
    const el = box.current;
    if (newest === undefined) following.current = true;
    if (!el || newest === undefined || !following.current) return;
    el.scrollTop = el.scrollHeight;
  }, [newest]);

  return (
    <section className="iss-panel iss-timeline" aria-labelledby="iss-timeline-title">
      <h3 id="iss-timeline-title">Timeline</h3>
      <div className="iss-timeline-scroll" ref={box} onScroll={onScroll} data-testid="timeline-scroll">
        <div className="iss-lanes" aria-hidden="true">
          {LANES.map((lane) => (
            <span key={lane}>{LANE_LABELS[lane]}</span>
          ))}
        </div>
        {runs.length === 0 ? (
          <p className="iss-muted">Run a step: its messages appear here.</p>
        ) : (
          <ol className="iss-sequence" aria-label="Sequence of messages">
            {runs.map((run) => (
              <li key={run.seq} className="iss-sequence-step" data-step-id={run.id} data-status={run.outcome.status} data-seq={run.seq}>
                <div className="iss-sequence-title">
                  <span className={`iss-state iss-state-${run.outcome.status}`}>{run.outcome.status}</span> {stepById(run.id)?.title ?? run.id}
                </div>
                <ol className="iss-arrows">
                  {run.outcome.arrows.map((arrow, i) => (
                    <ArrowRow key={i} arrow={arrow} />
                  ))}
                </ol>
              </li>
            ))}
          </ol>
        )}
      </div>
    </section>
  );
}
