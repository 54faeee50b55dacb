#!/usr/bin/env node
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { DEFAULT_STAGE, HybridShopStack, stackNameFor } from '../lib/hybrid-shop-stack';

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

// `-c stage=dev` deploys a second, independent copy (`HybridShop-dev`) beside the default `prod` (`HybridShop`).
const stage = contextString('stage') ?? DEFAULT_STAGE;
new HybridShopStack(app, stackNameFor(stage), {
  description: `Hybrid Shop (${stage}): synchronous and asynchronous serverless e-commerce backend`,
  stage,
  // Region and account come from the deploying credentials; the template stays environment-agnostic.
  alarmEmail: contextString('alarmEmail'),
  apiGatewayCloudWatchRole: contextBoolean('apiGatewayCloudWatchRole'),
  // A WAF web ACL on the public API: on for prod unless `-c waf=false`, on for another stage with `-c waf=true`.
  waf: contextBoolean('waf'),
  // Reserved concurrency needs an account concurrency quota of at least 565: `-c reservedConcurrency=false` where it is lower.
  reservedConcurrency: contextBoolean('reservedConcurrency'),
});
// cdk-nag's AWS Solutions pack runs on every synth: an unsuppressed finding fails `cdk synth` and `cdk deploy`.
Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }));
app.synth();
