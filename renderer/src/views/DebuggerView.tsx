import { ClaimWarnings } from '../panels/ClaimWarnings';
import { DecodedPanes } from '../panels/DecodedPanes';
import { TokenInput } from '../panels/TokenInput';
import { VerificationPanel } from '../panels/VerificationPanel';

export function DebuggerView() {
  return (
    <main className="workspace">
      <div className="column column-input">
        <TokenInput />
        <VerificationPanel />
      </div>
      <div className="column column-output">
        <DecodedPanes />
        <ClaimWarnings />
      </div>
    </main>
  );
}
