/**
 * The test double of renderer/src/monaco/CodeEditor for jsdom, where Monaco cannot run: a textarea with
 * the same props contract. What Monaco would draw (underlines, segment colours) is exposed as data
 * attributes so tests can assert where the app asked for them. Monaco itself is tested in Chromium (e2e).
 */
import { useEffect, useRef } from 'react';
import type { CodeEditorProps } from '../../renderer/src/monaco/CodeEditor';

export function CodeEditor(props: CodeEditorProps) {
  const ref = useRef<HTMLTextAreaElement>(null);
  const hasError = (props.problems ?? []).some((p) => p.severity === 'error');
  const reveal = props.reveal;
  useEffect(() => {
    if (!reveal || !ref.current) return;
    ref.current.focus();
    ref.current.setSelectionRange(reveal.offset, reveal.offset);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [reveal?.seq]);
  return (
    <textarea
      ref={ref}
      aria-label={props.ariaLabel}
      aria-invalid={hasError}
      value={props.value}
      readOnly={props.readOnly}
      placeholder={props.placeholder}
      onChange={(e) => props.onChange?.(e.target.value)}
      data-language={props.language}
      data-problems={JSON.stringify(props.problems ?? [])}
      data-highlights={JSON.stringify(props.highlights ?? [])}
    />
  );
}
