/**
 * What a panel that runs a host action (build attacks, sign a proof, probe a verifier) shows of the run
 * itself: a progress line while it runs, and its failure as the host's code and message.
 */
export function RunNotice({ pending, failure }: { pending?: string | null; failure: { code: string; message: string } | null }) {
  return (
    <>
      {pending && (
        <p className="muted" role="status">
          {pending}
        </p>
      )}
      {failure && (
        <p className="attack-error" role="alert">
          <code>{failure.code}</code>: {failure.message}
        </p>
      )}
    </>
  );
}
