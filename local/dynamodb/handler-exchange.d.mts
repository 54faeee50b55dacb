/** Types of `handler-exchange.mjs`. */
import type { Server } from 'node:http';
import type { EmulatorTransport } from '../shared/emulator-client';

/** Calls `server`'s request handler with in-memory request and response objects (methods, not per-call closures). */
export function handlerExchange(server: Server): EmulatorTransport;
