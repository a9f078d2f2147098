import { AppFooter } from './panels/AppFooter';
import { ClaimWarnings } from './panels/ClaimWarnings';
import { DecodedPanes } from './panels/DecodedPanes';
import { TokenInput } from './panels/TokenInput';
import { VerificationPanel } from './panels/VerificationPanel';

export function App() {
  return (
    <div className="app">
      <header className="app-header">
        <h1>
          <span className="logo" aria-hidden="true">
            <span />
            <span />
            <span />
          </span>
          JWT Workbench
        </h1>
        <p className="tagline">Decode, lint and verify JSON Web Tokens, offline.</p>
      </header>
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
      <AppFooter />
    </div>
  );
}
