/**
 * Entry point of the main thread. It never imports tfjs: the search runs in a module worker
 * (src/worker/search.worker.ts), so the main bundle stays small and the page stays responsive.
 */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './ui/App';
import { Controller } from './ui/controller';
import { parseUrlState } from './ui/urlState';
import './ui/app.css';

const url = parseUrlState(window.location.search);
const controller = new Controller(url.config);
controller.start(url.backend, url.autoplay);

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App controller={controller} notices={url.notices} />
  </StrictMode>,
);
