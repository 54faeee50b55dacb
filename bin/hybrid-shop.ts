#!/usr/bin/env node
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { capacityPlanForStack } from '../lib/capacity/shop-stack-template';
import { DEFAULT_STAGE, HybridShopStack, type HybridShopStackProps, stackNameFor } from '../lib/hybrid-shop-stack';

const app = new App();

/** A `-c key=value` option as a string, or undefined when it is not given. */
function contextString(key: string): string | undefined {
  const value: unknown = app.node.tryGetContext(key);
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw new Error(`context ${key} is ${JSON.stringify(value)}: give it as text, e.g. -c ${key}=…`);
  return value;
}

/** A `-c key=true|false` option, or undefined when it is not given. */
function contextBoolean(key: string): boolean | undefined {
  const value: unknown = app.node.tryGetContext(key);
  if (value === undefined || typeof value === 'boolean') return value;
  if (value === 'true' || value === 'false') return value === 'true';
  throw new Error(`context ${key} is ${JSON.stringify(value)}: give -c ${key}=true or -c ${key}=false`);
}

/** A `-c key=N` option as a number above 0, or undefined when it is not given. */
function contextRate(key: string): number | undefined {
  const value: unknown = app.node.tryGetContext(key);
  if (value === undefined) return undefined;
  const rate = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : Number.NaN;
  if (!(Number.isFinite(rate) && rate > 0)) throw new Error(`context ${key} is ${JSON.stringify(value)}: give a rate above 0, e.g. -c ${key}=200`);
  return rate;
}

// `-c stage=dev` deploys a second, independent copy (`HybridShop-dev`) beside the default `prod` (`HybridShop`).
const stage = contextString('stage') ?? DEFAULT_STAGE;
const stackName = stackNameFor(stage);
// `-c ordersPerSecond=N` sizes what must grow to carry N orders a second (docs/performance.md, "Capacity on AWS"): the
// capacity model reads the stack as sized today, and planForRate grows each limit that N would use past 80 %.
const ordersPerSecond = contextRate('ordersPerSecond');
const props: HybridShopStackProps = {
  description:
    `Hybrid Shop (${stage}): synchronous and asynchronous serverless e-commerce backend` +
    (ordersPerSecond === undefined ? '' : `, sized for ${ordersPerSecond} orders/s`),
  stage,
  // Region and account come from the deploying credentials; the template stays environment-agnostic.
  alarmEmail: contextString('alarmEmail'),
  apiGatewayCloudWatchRole: contextBoolean('apiGatewayCloudWatchRole'),
  // A WAF web ACL on the public API: on for prod unless `-c waf=false`, on for another stage with `-c waf=true`.
  waf: contextBoolean('waf'),
  // Reserved concurrency needs an account concurrency quota of at least 565: `-c reservedConcurrency=false` where it is lower.
  reservedConcurrency: contextBoolean('reservedConcurrency'),
};
new HybridShopStack(app, stackName, {
  ...props,
  capacity: ordersPerSecond === undefined ? undefined : capacityPlanForStack(ordersPerSecond, { stackName, props }),
});
// cdk-nag's AWS Solutions pack runs on every synth: an unsuppressed finding fails `cdk synth` and `cdk deploy`.
Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }));
app.synth();
