/**
 * What an e2e test file imports: `useShop()` gives it a seeded shop for its tests and cleans up after them.
 *
 * Under `npm test` (the `e2e` Jest project) the shop is an in-process local runtime, one per file; under
 * `npm run test:deployed` it is the deployed stack the environment names (`shop-target.ts`). Both go through the
 * same outputs-only `Shop`, so the path the deployed run takes is the one CI exercises on every run.
 *
 * `useLocalShop` and `LocalShop` are the names the suite had before it ran against deployments; they stay.
 */
import { declareInProcessTimeScale } from './capabilities';
import { Shop } from './shop';
import { deployedTarget, runsDeployed } from './shop-target';

export { describeNeeds, describeNeedsRuntime, itNeeds, itNeedsControls, type Need } from './capabilities';
export { eventually } from './eventually';
export { Shop, Shop as LocalShop, type HttpResult } from './shop';

/** Connecting to a deployed stack (seeding it included) may take this long; a local runtime starts in seconds. */
const CONNECT_TIMEOUT_MS = 120_000;

/**
 * Starts (or connects to) a seeded shop before the file's tests and cleans up and stops it after; call at the top of
 * a test file.
 * @param options.timeScale the in-process runtime's time scale (a deployed target has its own: SHOP_TIME_SCALE)
 */
export function useShop(options: { timeScale?: number } = {}): () => Shop {
  declareInProcessTimeScale(options.timeScale);
  let shop: Shop | undefined;
  beforeAll(async () => {
    if (runsDeployed()) {
      const target = deployedTarget();
      process.stdout.write(`e2e: running against ${target.description}; controls: ${target.controls?.description ?? `none (${target.noControls})`}\n`);
      shop = await Shop.connect(target);
    } else {
      shop = await Shop.start(options);
    }
  }, CONNECT_TIMEOUT_MS);
  afterAll(async () => {
    await shop?.stop();
  }, CONNECT_TIMEOUT_MS);
  return () => {
    if (!shop) throw new Error('the shop is not running: call useShop() at the top of the test file');
    return shop;
  };
}

export const useLocalShop = useShop;
