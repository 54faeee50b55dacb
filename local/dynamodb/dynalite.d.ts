/** Types for dynalite 4 (an in-process DynamoDB emulator that ships no types): only what the local runtime uses. */
declare module 'dynalite' {
  import type { Server } from 'node:http';

  interface DynaliteOptions {
    /** @default 500 */
    readonly createTableMs?: number;
    /** @default 500 */
    readonly deleteTableMs?: number;
    /** @default 500 */
    readonly updateTableMs?: number;
    /** @default 400 */
    readonly maxItemSizeKb?: number;
    /** LevelDB folder. @default - the data lives in memory */
    readonly path?: string;
  }

  function dynalite(options?: DynaliteOptions): Server;
  export = dynalite;
}
