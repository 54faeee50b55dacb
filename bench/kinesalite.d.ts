/** Types for kinesalite 3 (a Kinesis emulator on LevelDB that ships no types): only what `bench/kinesis-backends.ts` uses. */
declare module 'kinesalite' {
  import type { Server } from 'node:http';

  /** Each `…Ms` defaults to 500; without `path` (a LevelDB folder, through the native leveldown) the data lives in memory. */
  function kinesalite(options?: Partial<Readonly<Record<'createStreamMs' | 'deleteStreamMs' | 'updateStreamMs' | 'shardLimit', number>>> & { readonly path?: string }): Server;
  export = kinesalite;
}
