import { ChromiumMissingError, DEFAULT_CHROMIUM, ensureChromium, type ChromiumHost } from '../../../bin/headless-chromium';

function host(overrides: Partial<ChromiumHost> & { files?: string[] } = {}): ChromiumHost & { installs: number; lines: string[] } {
  const files = new Set(overrides.files ?? []);
  const state = { installs: 0, lines: [] as string[] };
  return Object.assign(state, {
    env: overrides.env ?? {},
    exists: (file: string) => files.has(file),
    isRoot: overrides.isRoot ?? false,
    install: () => {
      state.installs++;
      files.add(DEFAULT_CHROMIUM);
    },
    progress: (line: string) => state.lines.push(line),
  });
}

describe('ensureChromium', () => {
  it('takes CHROMIUM_PATH when set, and refuses one that does not exist, saying how to install Chromium', () => {
    expect(ensureChromium(host({ env: { CHROMIUM_PATH: '/opt/chrome' }, files: ['/opt/chrome'] }))).toBe('/opt/chrome');
    expect(() => ensureChromium(host({ env: { CHROMIUM_PATH: '/opt/chrome' } }))).toThrow(
      new ChromiumMissingError('CHROMIUM_PATH is /opt/chrome, which does not exist: install it with `sudo apt-get install chromium` (Debian/Ubuntu), or set CHROMIUM_PATH to a Chromium or Chrome binary'),
    );
  });

  it("takes Debian's /usr/bin/chromium as it is, installing nothing", () => {
    const machine = host({ files: [DEFAULT_CHROMIUM, '/usr/bin/apt-get'], isRoot: true });

    expect(ensureChromium(machine)).toBe(DEFAULT_CHROMIUM);
    expect(machine.installs).toBe(0);
  });

  it("installs Debian's chromium with apt-get when missing and running as root, with a progress line", () => {
    const machine = host({ files: ['/usr/bin/apt-get'], isRoot: true });

    expect(ensureChromium(machine)).toBe(DEFAULT_CHROMIUM);
    expect(machine.installs).toBe(1);
    expect(machine.lines).toEqual(["browser tests: installing Debian's chromium package with apt-get (once; a minute or two)…"]);
  });

  it('fails saying how to install it when not root, or without apt-get', () => {
    expect(() => ensureChromium(host({ files: ['/usr/bin/apt-get'] }))).toThrow(/^No Chromium at \/usr\/bin\/chromium: install it with `sudo apt-get install chromium`/);
    expect(() => ensureChromium(host({ isRoot: true }))).toThrow(ChromiumMissingError);
  });
});
