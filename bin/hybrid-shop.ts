#!/usr/bin/env node
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { HybridShopStack } from '../lib/hybrid-shop-stack';

const app = new App();
new HybridShopStack(app, 'HybridShop', {
  description: 'Hybrid Shop: synchronous and asynchronous serverless e-commerce backend',
  // Region and account come from the deploying credentials; the template stays environment-agnostic.
});
// cdk-nag's AWS Solutions pack runs on every synth: an unsuppressed finding fails `cdk synth` and `cdk deploy`.
Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }));
app.synth();
