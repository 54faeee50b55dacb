/**
 * The browser the browser tests, the console's screenshots and the console bench drive: Debian's `chromium`, never
 * one downloaded by playwright. `CHROMIUM_PATH` names another binary. When there is none and this runs as root on a
 * machine with apt-get, Debian's `chromium` package is installed (one progress line, then apt's own output on
 * stderr); otherwise it fails saying how to install it.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { chromium, type Page } from 'playwright-core';

export const DEFAULT_CHROMIUM = '/usr/bin/chromium';

/** What `ensureChromium` needs of the machine: injectable for its tests. */
export interface ChromiumHost {
  readonly env: NodeJS.ProcessEnv;
  readonly exists: (file: string) => boolean;
  readonly isRoot: boolean;
  readonly install: () => void;
  readonly progress: (line: string) => void;
}

/** No Chromium, and none could be installed. */
export class ChromiumMissingError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ChromiumMissingError';
  }
}

const INSTALL_HINT = 'install it with `sudo apt-get install chromium` (Debian/Ubuntu), or set CHROMIUM_PATH to a Chromium or Chrome binary';

function defaultHost(): ChromiumHost {
  return {
    env: process.env,
    exists: existsSync,
    isRoot: typeof process.getuid === 'function' && process.getuid() === 0,
    install: () => {
      execFileSync('apt-get', ['update', '-qq'], { stdio: ['ignore', 'ignore', 'inherit'] });
      execFileSync('apt-get', ['install', '-y', '-qq', 'chromium'], { stdio: ['ignore', 'ignore', 'inherit'], env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
    },
    progress: (line) => process.stderr.write(`${line}\n`),
  };
}

/** The Chromium binary to launch: `CHROMIUM_PATH`, else `/usr/bin/chromium`, installed with apt-get when possible. */
export function ensureChromium(host: ChromiumHost = defaultHost()): string {
  const configured = host.env.CHROMIUM_PATH;
  if (configured !== undefined && configured !== '') {
    if (!host.exists(configured)) throw new ChromiumMissingError(`CHROMIUM_PATH is ${configured}, which does not exist: ${INSTALL_HINT}`);
    return configured;
  }
  if (host.exists(DEFAULT_CHROMIUM)) return DEFAULT_CHROMIUM;
  const aptGet = ['/usr/bin/apt-get', '/bin/apt-get'].some((file) => host.exists(file));
  if (!host.isRoot || !aptGet) throw new ChromiumMissingError(`No Chromium at ${DEFAULT_CHROMIUM}: ${INSTALL_HINT}`);
  host.progress('browser tests: installing Debian\'s chromium package with apt-get (once; a minute or two)…');
  host.install();
  if (!host.exists(DEFAULT_CHROMIUM)) throw new ChromiumMissingError(`apt-get installed chromium, but there is no ${DEFAULT_CHROMIUM}: ${INSTALL_HINT}`);
  return DEFAULT_CHROMIUM;
}

/** The flags every launch uses: headless, no sandbox (root in a container), nothing that reaches the network. */
export const CHROMIUM_ARGS: readonly string[] = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** A headless Chromium with a fresh profile of its own. */
export interface HeadlessChromium {
  newPage(): Promise<Page>;
  /** Closes the browser and removes its profile. */
  close(): Promise<void>;
}

/** Launches Chromium headless with `CHROMIUM_ARGS` and a fresh temporary `--user-data-dir`. */
export async function launchChromium(): Promise<HeadlessChromium> {
  const executablePath = ensureChromium();
  const profile = mkdtempSync(path.join(tmpdir(), 'console-chromium-'));
  try {
    const context = await chromium.launchPersistentContext(profile, { executablePath, headless: true, args: [...CHROMIUM_ARGS] });
    return {
      newPage: () => context.newPage(),
      close: async () => {
        await context.close();
        rmSync(profile, { recursive: true, force: true });
      },
    };
  } catch (error) {
    rmSync(profile, { recursive: true, force: true });
    throw error;
  }
}
