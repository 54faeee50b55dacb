import { fromEnv } from '@aws-sdk/credential-provider-env';
/** Lambda hands a function its credentials in environment variables only: stands in for the SDK's default chain at bundle time. */
export const defaultProvider = (init?: Parameters<typeof fromEnv>[0]) => fromEnv(init);
