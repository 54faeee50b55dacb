/** The local runtime's public face: what `npm start`, the e2e suite and the bench use. */
export { startLocalRuntime } from './start-local-runtime';
export type { LocalApi, LocalRuntime, LocalRuntimeOptions, ReloadOptions, RuntimeReload } from './local-runtime';
export type { RuntimeCpuUsage } from './cpu-usage';
export type { Hop, HopListener } from './hop-trace';
export { InvalidTimeScaleError } from '../shared/time-scale';
