import type { ResolverContext } from '../../../../local/assembly/intrinsics';

/** The pseudo parameters the local runtime uses, for tests that resolve a template the way it does. */
export const LOCAL_CONTEXT: ResolverContext = {
  region: 'us-east-1',
  accountId: '000000000000',
  partition: 'aws',
  urlSuffix: 'amazonaws.com',
  stackName: 'HybridShop',
  stackId: 'arn:aws:cloudformation:us-east-1:000000000000:stack/HybridShop/1',
};
