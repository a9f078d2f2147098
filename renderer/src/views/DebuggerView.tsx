import { ClaimWarnings } from '../panels/ClaimWarnings';
import { DecodedPanes } from '../panels/DecodedPanes';
import { SplitPane } from '../panels/SplitPane';
import { TimeControls } from '../panels/TimeControls';
import { TokenInput } from '../panels/TokenInput';
import { VerificationPanel } from '../panels/VerificationPanel';

/**
 * The debugger: the Encoded pane and the key on the left, the decoded panes and the claim warnings on
 * the right; both splits resizable and remembered.
 */
export function DebuggerView() {
  return (
    <main className="workspace debugger">
      <SplitPane
        id="debugger.columns"
        direction="row"
        defaultRatio={0.42}
        label="Resize the encoded and decoded columns"
        first={
          <div className="column column-input">
            <TokenInput />
            <VerificationPanel />
            <TimeControls />
          </div>
        }
        second={
          <SplitPane
            id="debugger.output"
            direction="column"
            defaultRatio={0.82}
            label="Resize the decoded panes and the claim warnings"
            first={<DecodedPanes />}
            second={<ClaimWarnings />}
          />
        }
      />
    </main>
  );
}
