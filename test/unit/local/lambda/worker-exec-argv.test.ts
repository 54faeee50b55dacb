import * as path from 'node:path';
import { CPU_PROFILE_DIR_VARIABLE, workerExecArgv } from '../../../../local/lambda/worker-exec-argv';

describe('workerExecArgv', () => {
  it('gives the worker no Node.js options when no profile folder is named', () => {
    expect(workerExecArgv({ NODE_OPTIONS: '--import tsx' })).toEqual([]);
  });

  it('turns on the CPU profiler, writing into the named folder resolved from the working directory', () => {
    expect(workerExecArgv({ [CPU_PROFILE_DIR_VARIABLE]: 'profiles' })).toEqual(['--cpu-prof', `--cpu-prof-dir=${path.resolve('profiles')}`]);
  });
});
