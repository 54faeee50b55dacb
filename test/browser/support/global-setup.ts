/**
 * Before the browser tests: a Chromium to drive (installed with apt-get when missing and possible, see
 * `ensure-chromium.ts`) and a synthesized app (`cdk.out`), as the e2e suite has it.
 */
import e2eGlobalSetup from '../../e2e/global-setup';
import { ensureChromium } from './ensure-chromium';

export default function globalSetup(): void {
  ensureChromium();
  e2eGlobalSetup();
}
