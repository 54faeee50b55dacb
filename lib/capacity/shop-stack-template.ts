/**
 * The shop's template without `cdk synth`: the stack built in an app of its own that bundles nothing, synthesized into
 * a temporary directory that is removed again. What the capacity model reads of a template (resources, settings,
 * references) does not depend on the bundles, so it takes seconds instead of a minute.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { App } from 'aws-cdk-lib';
import { HybridShopStack, type HybridShopStackProps } from '../hybrid-shop-stack';
import { capacityModel } from './capacity-model';
import type { CapacityPlan } from './capacity-plan';
import { planForRate } from './plan-for-rate';
import type { CfnTemplate } from './shop-template';

export interface ShopStackTemplateOptions {
  readonly stackName: string;
  readonly props?: HybridShopStackProps;
  /**
   * Context for the app, e.g. cdk.json's feature flags. Under the CDK CLI the app also reads the CLI's context itself.
   *
   * @default - none beyond the CLI's
   */
  readonly context?: Readonly<Record<string, unknown>>;
}

/** The template of a HybridShopStack named `stackName` with `props`, bundling nothing. */
export function shopStackTemplate(options: ShopStackTemplateOptions): CfnTemplate {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'shop-template-'));
  try {
    // postCliContext: applied after the CLI's own context, which asks to bundle every stack under `cdk synth`.
    const app = new App({ outdir, context: { ...options.context }, postCliContext: { 'aws:cdk:bundling-stacks': [] } });
    new HybridShopStack(app, options.stackName, options.props ?? {});
    return app.synth().getStackByName(options.stackName).template as CfnTemplate;
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}

/**
 * The capacity plan for `ordersPerSecond` of the stack `options` describe: its template with today's sizing, read by
 * the capacity model at the model's default order mix and durations, and grown where it binds (`planForRate`).
 */
export function capacityPlanForStack(ordersPerSecond: number, options: ShopStackTemplateOptions): CapacityPlan {
  const today = shopStackTemplate({ ...options, props: { ...options.props, capacity: undefined } });
  return planForRate(capacityModel(today), ordersPerSecond);
}
