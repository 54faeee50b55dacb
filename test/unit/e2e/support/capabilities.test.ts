import { declareInProcessTimeScale, unmetNeed } from '../../../e2e/support/capabilities';

const deployed = (env: Record<string, string> = {}) => ({ SHOP_TARGET: 'deployed', ...env });

describe('unmetNeed', () => {
  afterEach(() => declareInProcessTimeScale(undefined));

  it('lets the in-process runtime run everything but fast retries at real time', () => {
    expect(unmetNeed(['controls', 'in-process-runtime'], {})).toBeUndefined();
    expect(unmetNeed(['fast-retries'], {})?.reason).toMatch(/time scale 1: use useShop\(\{ timeScale: 0.05 \}\)/);
    declareInProcessTimeScale(0.05);
    expect(unmetNeed(['controls', 'fast-retries'], {})).toBeUndefined();
  });

  it('skips controls on a deployed target unless SHOP_CONTROL_URL names a local runtime', () => {
    expect(unmetNeed(['controls'], deployed())).toEqual({ need: 'controls', reason: expect.stringMatching(/SHOP_CONTROL_URL is not set/) });
    expect(unmetNeed(['controls'], deployed({ SHOP_CONTROL_URL: 'http://127.0.0.1:4566/_local' }))).toBeUndefined();
  });

  it("skips fast retries on a deployed target unless SHOP_TIME_SCALE says it runs 10 times faster or more, whatever the file's runtime", () => {
    declareInProcessTimeScale(0.05);
    expect(unmetNeed(['fast-retries'], deployed())?.reason).toMatch(/time scale 1: .*--time-scale 0.05.*SHOP_TIME_SCALE=0.05/);
    expect(unmetNeed(['fast-retries'], deployed({ SHOP_TIME_SCALE: '0.5' }))?.need).toBe('fast-retries');
    expect(unmetNeed(['fast-retries'], deployed({ SHOP_TIME_SCALE: '0.05' }))).toBeUndefined();
  });

  it('never gives a deployed target the in-process runtime, and reports the first need unmet', () => {
    expect(unmetNeed(['in-process-runtime'], deployed({ SHOP_CONTROL_URL: 'http://x/_local' }))?.need).toBe('in-process-runtime');
    expect(unmetNeed(['controls', 'fast-retries'], deployed())?.need).toBe('controls');
  });

  it('skips what the named emulator is known to lack, with the reason, and nothing on AWS or an emulator with no known gaps', () => {
    expect(unmetNeed(['gateway-responses'], deployed({ SHOP_EMULATOR: 'ministack' }))).toEqual({ need: 'gateway-responses', reason: expect.stringMatching(/MiniStack .* does not apply them/) });
    expect(unmetNeed(['kinesis-failure-handling'], deployed({ SHOP_EMULATOR: 'ministack' }))?.reason).toMatch(/on-failure destinations/);
    expect(unmetNeed(['gateway-responses', 'kinesis-failure-handling'], deployed())).toBeUndefined();
    expect(unmetNeed(['gateway-responses'], deployed({ SHOP_EMULATOR: 'localstack' }))).toBeUndefined();
    expect(unmetNeed(['gateway-responses'], { SHOP_EMULATOR: 'ministack' })).toBeUndefined();
  });
});
