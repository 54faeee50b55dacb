/** Types for kinesalite 3 (a Kinesis emulator on LevelDB that ships no types): only what `bench/kinesis-backends.ts` uses. */
declare module 'kinesalite' {
  import type { Server } from 'node:http';

  interface KinesaliteOptions {
    /** @default 500 */
    readonly createStreamMs?: number;
    /** @default 500 */
    readonly deleteStreamMs?: number;
    /** @default 500 */
    readonly updateStreamMs?: number;
    /** @default 10 */
    readonly shardLimit?: number;
    /** LevelDB folder (leveldown, a native module). @default - the data lives in memory (memdown) */
    readonly path?: string;
  }

  function kinesalite(options?: KinesaliteOptions): Server;
  export = kinesalite;
}
