import * as path from 'node:path';

/**
 * The variable that makes every execution environment write a V8 CPU profile (`node --cpu-prof`) into the folder it
 * names when the environment ends (at the latest when the runtime stops): where a warm function's CPU goes, read in
 * Chrome DevTools or any `.cpuprofile` viewer. One file per environment, named `CPU.{date}.{time}.{pid}.{thread}…`.
 */
export const CPU_PROFILE_DIR_VARIABLE = 'LOCAL_LAMBDA_CPU_PROF_DIR';

/**
 * The Node.js options of an execution environment's worker: none from the parent (tsx's or jest's loaders), so the
 * bundle runs on plain Node.js as in Lambda; only the CPU profiler when `CPU_PROFILE_DIR_VARIABLE` is set.
 */
export function workerExecArgv(env: NodeJS.ProcessEnv = process.env): string[] {
  const dir = env[CPU_PROFILE_DIR_VARIABLE];
  return dir ? ['--cpu-prof', `--cpu-prof-dir=${path.resolve(dir)}`] : [];
}
