/**
 * `it`/`describe` for tests that need more than a deployed stack offers. Where the target lacks it the test is
 * skipped — visibly: its title says so, and the reason is printed — never passed without running.
 *
 * - `controls`: fault injection and the like (`shop.controls`): the in-process runtime, or a running `npm start`
 *   reached through SHOP_CONTROL_URL. AWS and LocalStack have none.
 * - `fast-retries`: SQS redeliveries within seconds. The template's visibility timeouts are 18–60 s and a message
 *   goes to its DLQ after 5 receives, so these tests need the local runtime's time scale (0.1 or less).
 * - `in-process-runtime`: the LocalRuntime object itself (`shop.runtime`): `npm test` only.
 * - `gateway-responses`, `kinesis-failure-handling`, `user-pool-authorizer`: AWS behaviour some emulators lack. Which emulator the run targets
 *   is SHOP_EMULATOR (`ministack`, `localstack`…), set by the deployed run's global setup from what the endpoint
 *   reports; `EMULATOR_GAPS` lists what each is known to lack. A gap is the emulator's: the shop's code does not bend
 *   around it, the test is skipped there with the emulator named in its title.
 */
import { NO_CONTROL_URL, runsDeployed } from './shop-target';

export type Need = 'controls' | 'fast-retries' | 'in-process-runtime' | EmulatedBehaviour;

/** AWS behaviour a test relies on that an emulator may not have. */
export type EmulatedBehaviour = 'gateway-responses' | 'kinesis-failure-handling' | 'user-pool-authorizer';

/** The variable that names the emulator a deployed run targets (see `EMULATOR_GAPS`). */
export const EMULATOR_VARIABLE = 'SHOP_EMULATOR';

/** What each emulator is known to lack, by SHOP_EMULATOR, with why (its README, and runs of this suite against it). */
export const EMULATOR_GAPS: Readonly<Record<string, { readonly name: string; readonly lacks: Readonly<Partial<Record<EmulatedBehaviour, string>>> }>> = {
  ministack: {
    name: 'MiniStack',
    lacks: {
      'gateway-responses': 'MiniStack stores API Gateway gateway responses but does not apply them: a missing route answers 403 with its own body',
      'kinesis-failure-handling':
        "MiniStack's Kinesis event source mappings ignore partial batch responses, bisecting, retries and on-failure destinations",
      'user-pool-authorizer':
        'MiniStack deploys COGNITO_USER_POOLS authorizers but does not run them (apigateway_v1.py passes such methods through): ' +
        'no token is checked and no claims reach the function, which then answers 401 to every customer route',
    },
  },
};

const BEHAVIOUR_TAGS: Record<EmulatedBehaviour, string> = {
  'gateway-responses': 'gateway responses',
  'kinesis-failure-handling': 'Kinesis bisect and on-failure destinations',
  'user-pool-authorizer': 'Cognito user-pool authorizers',
};

/** The largest time scale at which redeliveries come back within the tests' deadlines (60 s × 0.1 = 6 s). */
export const FAST_RETRIES_TIME_SCALE = 0.1;

const TAGS: Record<Exclude<Need, EmulatedBehaviour>, string> = {
  controls: "needs the local runtime's controls",
  'fast-retries': 'needs fast SQS retries',
  'in-process-runtime': 'needs the in-process runtime',
};

/** The tag a skipped test's title ends in: `[skipped: …]`. */
function tagOf(need: Need, env: NodeJS.ProcessEnv): string {
  if (need === 'gateway-responses' || need === 'kinesis-failure-handling' || need === 'user-pool-authorizer') {
    const emulator = EMULATOR_GAPS[env[EMULATOR_VARIABLE]?.trim() ?? '']?.name ?? 'the emulator';
    return `${emulator} lacks ${BEHAVIOUR_TAGS[need]}`;
  }
  return TAGS[need];
}

let inProcessTimeScale: number | undefined;

/** The time scale this file's in-process runtime runs with (`useShop` declares it before the tests are defined). */
export function declareInProcessTimeScale(timeScale: number | undefined): void {
  inProcessTimeScale = timeScale;
}

/** Why this run cannot give what `needs` names; undefined when it can. */
export function unmetNeed(needs: readonly Need[], env: NodeJS.ProcessEnv = process.env): { need: Need; reason: string } | undefined {
  const deployed = runsDeployed(env);
  for (const need of needs) {
    if (need === 'controls' && deployed && !env.SHOP_CONTROL_URL?.trim()) {
      return { need, reason: NO_CONTROL_URL };
    }
    if (need === 'fast-retries') {
      const scale = deployed ? Number(env.SHOP_TIME_SCALE?.trim() || 1) : (inProcessTimeScale ?? 1);
      if (!(scale <= FAST_RETRIES_TIME_SCALE)) {
        return {
          need,
          reason: deployed
            ? `the target runs at time scale ${scale}: SQS visibility timeouts of 18–60 s and 5 receives before the DLQ do not fit a test. ` +
              'Run it against `npm start -- --time-scale 0.05` with SHOP_TIME_SCALE=0.05'
            : `this file's runtime runs at time scale ${scale}: use useShop({ timeScale: 0.05 })`,
        };
      }
    }
    if (need === 'in-process-runtime' && deployed) {
      return { need, reason: 'it reads the in-process LocalRuntime object, which only `npm test` has' };
    }
    if ((need === 'gateway-responses' || need === 'kinesis-failure-handling' || need === 'user-pool-authorizer') && deployed) {
      const gap = EMULATOR_GAPS[env[EMULATOR_VARIABLE]?.trim() ?? '']?.lacks[need];
      if (gap !== undefined) return { need, reason: gap };
    }
  }
  return undefined;
}

function announce(kind: string, name: string, reason: string): void {
  process.stderr.write(`↷ skipped ${kind} "${name}": ${reason}\n`);
}

/** `it` when the target has what `needs` names; a skipped test, with the reason printed, when it does not. */
export function itNeeds(needs: readonly Need[], name: string, fn: jest.ProvidesCallback, timeout?: number): void {
  const unmet = unmetNeed(needs);
  if (unmet === undefined) {
    it(name, fn, timeout);
    return;
  }
  announce('test', name, unmet.reason);
  // A deliberate, reported skip: the target cannot run this test (see the file's comment).
  it.skip(`${name} [skipped: ${tagOf(unmet.need, process.env)}]`, fn);
}

/** `describe` when the target has what `needs` names; skipped, with the reason printed, when it does not. */
export function describeNeeds(needs: readonly Need[], name: string, fn: () => void): void {
  const unmet = unmetNeed(needs);
  if (unmet === undefined) {
    describe(name, fn);
    return;
  }
  announce('group', name, unmet.reason);
  describe.skip(`${name} [skipped: ${tagOf(unmet.need, process.env)}]`, fn);
}

export const itNeedsControls = (name: string, fn: jest.ProvidesCallback, timeout?: number): void => itNeeds(['controls'], name, fn, timeout);

/** For tests that read `shop.runtime` (the alarms): `npm test` only. */
export const describeNeedsRuntime = (name: string, fn: () => void): void => describeNeeds(['in-process-runtime'], name, fn);
