import { ClaimWarnings } from '../panels/ClaimWarnings';
import { DecodedPanes } from '../panels/DecodedPanes';
import { DpopPanel } from '../panels/DpopPanel';
import { JwePanel } from '../panels/JwePanel';
import { SplitPane } from '../panels/SplitPane';
import { TimeControls } from '../panels/TimeControls';
import { TokenInput } from '../panels/TokenInput';
import { VerificationPanel } from '../panels/VerificationPanel';

/**
 * The debugger: the Encoded pane and the key on the left, the decoded panes and the claim warnings on
 * the right; both splits resizable and remembered. From 1024×600 up the view fills the window and each
 * pane scrolls inside itself (styles.css, "Debugger layout"); the minimum sizes come from there too, so
 * a split moved to its end never crushes a pane.
 */
export function DebuggerView() {
  return (
    <main className="workspace debugger">
      <SplitPane
        id="debugger.columns"
        direction="row"
        defaultRatio={0.42}
        label="Resize the encoded and decoded columns"
        minFirst="var(--debugger-input-min, 0px)"
        minSecond="var(--debugger-output-min, 0px)"
        first={
          <div className="column column-input">
            <TokenInput />
            <VerificationPanel />
            <JwePanel />
            <TimeControls />
            <DpopPanel />
          </div>
        }
        second={
          <SplitPane
            id="debugger.output"
            direction="column"
            // Claim warnings gets about two fifths: four findings at 1440×900.
            defaultRatio={0.56}
            label="Resize the decoded panes and the claim warnings"
            minFirst="var(--debugger-decoded-min, 0px)"
            minSecond="var(--debugger-warnings-min, 0px)"
            first={<DecodedPanes />}
            second={<ClaimWarnings />}
          />
        }
      />
    </main>
  );
}
