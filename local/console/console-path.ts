/** Where the console is on the edge (a module of its own, so the command line can print it without loading the runtime). */
export const CONSOLE_PATH = '/_local/console';
