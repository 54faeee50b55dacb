/**
 * Before the browser tests: a Chromium to drive (installed with apt-get when missing and possible, see
 * bin/headless-chromium.ts) and a synthesized app (`cdk.out`), as the e2e suite has it.
 */
import e2eGlobalSetup from '../../e2e/global-setup';
import { ensureChromium } from '../../../bin/headless-chromium';

export default async function globalSetup(): Promise<void> {
  ensureChromium();
  await e2eGlobalSetup();
}
