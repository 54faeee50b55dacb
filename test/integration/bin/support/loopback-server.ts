import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One HTTP server on a free loopback port at a time, for tests of code that calls an endpoint. Call `stop` after each test. */
let server: Server | undefined;

/** Starts a server that answers with `handler` (given the request body read); resolves with its base URL. */
export async function serve(handler: (req: IncomingMessage, body: string, res: ServerResponse) => void): Promise<string> {
  if (server) throw new Error('one server at a time: stop() the previous one');
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => handler(req, body, res));
  });
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

export async function stop(): Promise<void> {
  const closing = server;
  server = undefined;
  if (!closing) return;
  closing.closeAllConnections();
  await new Promise<void>((resolve) => closing.close(() => resolve()));
}

/** A loopback URL where nothing listens: a port just released. */
export async function deadEndpoint(): Promise<string> {
  const url = await serve(() => undefined);
  await stop();
  return url;
}
