import * as fs from 'node:fs';
import * as path from 'node:path';
import { cdkJsonContext } from './support/cdk-json';

/** The flags a new `cdk init` app of the installed aws-cdk-lib gets. */
const RECOMMENDED = JSON.parse(
  fs.readFileSync(path.join(path.dirname(require.resolve('aws-cdk-lib/package.json')), 'recommended-feature-flags.json'), 'utf8'),
) as Record<string, unknown>;

/** Where cdk.json departs from the recommendation, on purpose. */
const DELIBERATE: Record<string, unknown> = {
  // ServiceFunction pins Node.js 24, the major the local runtime runs, rather than whatever "latest" is at synth.
  '@aws-cdk/aws-lambda-nodejs:useLatestRuntimeVersion': false,
};

describe('cdk.json', () => {
  const context = cdkJsonContext();

  it('sets every feature flag aws-cdk-lib recommends, so `cdk synth` warns of none left unconfigured', () => {
    expect(Object.keys(RECOMMENDED).filter((flag) => !(flag in context))).toEqual([]);
  });

  it('sets each to its recommended value, except the deliberate choices', () => {
    const departures = Object.fromEntries(Object.entries(RECOMMENDED).filter(([flag, value]) => JSON.stringify(context[flag]) !== JSON.stringify(value)).map(([flag]) => [flag, context[flag]]));
    expect(departures).toEqual(DELIBERATE);
  });

  it('keeps API Gateway from creating a CloudWatch role per REST API: the stack sets the one account role itself', () => {
    expect(context['@aws-cdk/aws-apigateway:disableCloudWatchRole']).toBe(true);
  });

  it('sets nothing else', () => {
    expect(Object.keys(context).filter((key) => !(key in RECOMMENDED))).toEqual([]);
  });
});
