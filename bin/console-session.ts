/**
 * The console in a headless Chromium, as the screenshots script (`console-screenshots.ts`) and the browser tests
 * drive it: the shop on an in-process local runtime (seeded with the catalog and stock, as `npm start` seeds it) and
 * a headless Chromium on its console page.
 */
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import { startLocalRuntime, type LocalRuntime } from '../local/runtime';
import { launchChromium, type HeadlessChromium } from './headless-chromium';
import { seedShop } from './seed';

export const ASSEMBLY_DIR = path.resolve(__dirname, '../cdk.out');

export interface ConsoleSession {
  readonly runtime: LocalRuntime;
  readonly page: Page;
  readonly consoleUrl: string;
  /** The runtime's lines, for a failure's message. */
  readonly logs: string[];
  stop(): Promise<void>;
}

export async function startConsoleSession(options: { readonly timeScale?: number; readonly viewport?: { width: number; height: number } } = {}): Promise<ConsoleSession> {
  const logs: string[] = [];
  const runtime = await startLocalRuntime({
    assemblyDir: ASSEMBLY_DIR,
    edgePort: 0,
    apiBasePort: 0,
    ...(options.timeScale !== undefined ? { timeScale: options.timeScale } : {}),
    log: (line) => {
      logs.push(line);
      if (logs.length > 5_000) logs.shift();
    },
  });
  let browser: HeadlessChromium | undefined;
  try {
    const { ProductsTableName: productsTableName, StockTableName: stockTableName } = runtime.outputs;
    await seedShop({ endpoint: runtime.edgeUrl, region: 'us-east-1', productsTableName, stockTableName, credentials: { ...runtime.credentials } });
    browser = await launchChromium();
    const page = await browser.newPage();
    await page.setViewportSize(options.viewport ?? { width: 1440, height: 1000 });
    const consoleUrl = `${runtime.edgeUrl}/_local/console`;
    await page.goto(consoleUrl);
    await page.locator('#connection[data-state="live"]').waitFor();
    const opened = browser;
    return {
      runtime,
      page,
      consoleUrl,
      logs,
      stop: async () => {
        await opened.close();
        await runtime.stop();
      },
    };
  } catch (error) {
    await browser?.close();
    await runtime.stop();
    throw error;
  }
}
