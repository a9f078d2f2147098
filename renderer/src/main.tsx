import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { host } from './host';
import { createWorkbenchStore } from './store';
import { WorkbenchProvider } from './store/context';
import './styles.css';

const store = createWorkbenchStore({ host });

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');

createRoot(root).render(
  <StrictMode>
    <WorkbenchProvider store={store}>
      <App />
    </WorkbenchProvider>
  </StrictMode>,
);
