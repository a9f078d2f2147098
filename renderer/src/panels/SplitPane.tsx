import { useCallback, useRef, useState } from 'react';
import type { KeyboardEvent, PointerEvent, ReactNode } from 'react';

/**
 * Two panes and a draggable separator between them (pointer or arrow keys). The split is remembered per
 * `id` in localStorage — layout only, never a token or a key.
 */
export interface SplitPaneProps {
  id: string;
  direction: 'row' | 'column';
  /** Share of the first pane, 0..1, until the user moves the separator. */
  defaultRatio: number;
  label: string;
  /** Smallest size of each pane as a CSS length (default 0): the split gives way before a pane is crushed. */
  minFirst?: string;
  minSecond?: string;
  first: ReactNode;
  second: ReactNode;
}

const MIN = 0.15;
const MAX = 0.85;
const STEP = 0.02;
export const LAYOUT_STORAGE_PREFIX = 'jwt-workbench.layout.';

export function readRatio(id: string, fallback: number): number {
  try {
    const stored = Number(localStorage.getItem(LAYOUT_STORAGE_PREFIX + id));
    return stored >= MIN && stored <= MAX ? stored : fallback;
  } catch {
    return fallback; // storage disabled: the default layout each time
  }
}

function writeRatio(id: string, ratio: number): void {
  try {
    localStorage.setItem(LAYOUT_STORAGE_PREFIX + id, ratio.toFixed(3));
  } catch {
    // Not remembered; still works.
  }
}

const clamp = (r: number) => Math.min(MAX, Math.max(MIN, r));

export function SplitPane({ id, direction, defaultRatio, label, minFirst = '0px', minSecond = '0px', first, second }: SplitPaneProps) {
  const [ratio, setRatio] = useState(() => readRatio(id, defaultRatio));
  const container = useRef<HTMLDivElement>(null);

  const update = useCallback(
    (next: number) => {
      const r = clamp(next);
      setRatio(r);
      writeRatio(id, r);
    },
    [id],
  );

  const onPointerDown = (e: PointerEvent<HTMLDivElement>) => {
    const box = container.current?.getBoundingClientRect();
    if (!box) return;
    e.currentTarget.setPointerCapture(e.pointerId);
    const move = (ev: globalThis.PointerEvent) => {
      update(direction === 'row' ? (ev.clientX - box.left) / box.width : (ev.clientY - box.top) / box.height);
    };
    const target = e.currentTarget;
    const up = () => {
      target.removeEventListener('pointermove', move);
      target.removeEventListener('pointerup', up);
    };
    target.addEventListener('pointermove', move);
    target.addEventListener('pointerup', up);
  };

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    const back = direction === 'row' ? 'ArrowLeft' : 'ArrowUp';
    const forward = direction === 'row' ? 'ArrowRight' : 'ArrowDown';
    if (e.key === back) update(ratio - STEP);
    else if (e.key === forward) update(ratio + STEP);
    else if (e.key === 'Home') update(MIN);
    else if (e.key === 'End') update(MAX);
    else return;
    e.preventDefault();
  };

  return (
    <div ref={container} className={`split split-${direction}`} style={{ gridTemplate: template(direction, ratio, minFirst, minSecond) }}>
      <div className="split-pane">{first}</div>
      <div
        className="split-separator"
        role="separator"
        tabIndex={0}
        aria-label={label}
        aria-orientation={direction === 'row' ? 'vertical' : 'horizontal'}
        aria-valuemin={MIN * 100}
        aria-valuemax={MAX * 100}
        aria-valuenow={Math.round(ratio * 100)}
        onPointerDown={onPointerDown}
        onKeyDown={onKeyDown}
        onDoubleClick={() => update(defaultRatio)}
      />
      <div className="split-pane">{second}</div>
    </div>
  );
}

function template(direction: 'row' | 'column', ratio: number, minFirst: string, minSecond: string): string {
  // Percent-sized fr: grid counts a flex-factor sum below 1 as 1, so a pane held at its minimum would
  // leave the other one `0.44fr` of the space instead of all of it.
  const share = (r: number) => `${(r * 100).toFixed(1)}fr`;
  const tracks = `minmax(${minFirst}, ${share(ratio)}) 6px minmax(${minSecond}, ${share(1 - ratio)})`;
  return direction === 'row' ? `100% / ${tracks}` : `${tracks} / 100%`;
}
