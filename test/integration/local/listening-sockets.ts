/**
 * Test support: the TCP sockets a process listens on, read from Linux's /proc as `ss -ltnp` does: the process's open
 * file descriptors name socket inodes (`/proc/{pid}/fd/* → socket:[inode]`), and the kernel's tables
 * (`/proc/{pid}/net/tcp`, `tcp6`) give each listening inode its local address. Worker threads share their process's
 * descriptors, so a process's sockets include its workers'.
 */
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { endianness } from 'node:os';

export interface ListeningSocket {
  /** The local address as text: `127.0.0.1`, `0.0.0.0`, `::`, `::1`, `::ffff:127.0.0.1`… */
  readonly address: string;
  readonly port: number;
}

/** /proc cannot tell what is asked: the tests that need it must not pass without it. */
export class ProcUnreadableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ProcUnreadableError';
  }
}

/** `st` of a listening socket in /proc/net/tcp. */
const TCP_LISTEN = '0A';

function readProc(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    throw new ProcUnreadableError(`cannot read ${file} (${(error as Error).message}): this test reads sockets from Linux's /proc`);
  }
}

/** The inodes of the sockets among `pid`'s open file descriptors. */
function socketInodes(pid: number): Set<string> {
  let fds: string[];
  try {
    fds = readdirSync(`/proc/${pid}/fd`);
  } catch (error) {
    throw new ProcUnreadableError(`cannot list /proc/${pid}/fd (${(error as Error).message}): this test reads sockets from Linux's /proc`);
  }
  const inodes = new Set<string>();
  for (const fd of fds) {
    let target: string;
    try {
      target = readlinkSync(`/proc/${pid}/fd/${fd}`);
    } catch {
      continue; // closed since it was listed
    }
    const inode = /^socket:\[(\d+)\]$/.exec(target)?.[1];
    if (inode !== undefined) inodes.add(inode);
  }
  return inodes;
}

/** An address of /proc/net/tcp{,6}: 32-bit words in hex, each in the machine's byte order. */
function addressOf(hex: string): string {
  const bytes = Buffer.from(hex, 'hex');
  if (endianness() === 'LE') for (let word = 0; word < bytes.length; word += 4) bytes.subarray(word, word + 4).reverse();
  if (bytes.length === 4) return [...bytes].join('.');
  const mapped = bytes.subarray(0, 10).every((byte) => byte === 0) && bytes[10] === 0xff && bytes[11] === 0xff;
  if (mapped) return `::ffff:${[...bytes.subarray(12)].join('.')}`;
  if (bytes.subarray(0, 15).every((byte) => byte === 0)) return bytes[15] === 0 ? '::' : `::${bytes[15].toString(16)}`;
  const groups: string[] = [];
  for (let i = 0; i < 16; i += 2) groups.push(bytes.readUInt16BE(i).toString(16));
  return groups.join(':');
}

/** The TCP sockets (IPv4 and IPv6) process `pid` listens on. */
export function listeningSockets(pid: number): ListeningSocket[] {
  const inodes = socketInodes(pid);
  const sockets: ListeningSocket[] = [];
  for (const table of [`/proc/${pid}/net/tcp`, `/proc/${pid}/net/tcp6`]) {
    for (const line of readProc(table).split('\n').slice(1)) {
      const fields = line.trim().split(/\s+/);
      if (fields.length < 10 || fields[3] !== TCP_LISTEN || !inodes.has(fields[9])) continue;
      const [address, port] = fields[1].split(':');
      sockets.push({ address: addressOf(address), port: parseInt(port, 16) });
    }
  }
  return sockets;
}

/** The processes started by `pid`, and theirs, down the tree. */
export function descendantPids(pid: number): number[] {
  const parents = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
    } catch {
      continue; // ended since it was listed
    }
    // The command name (field 2) is in parentheses and may hold spaces: the parent's id is the second field after it.
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    parents.set(Number(entry), ppid);
  }
  const found: number[] = [];
  const frontier = [pid];
  while (frontier.length > 0) {
    const parent = frontier.pop();
    for (const [child, ppid] of parents) {
      if (ppid === parent) {
        found.push(child);
        frontier.push(child);
      }
    }
  }
  return found;
}
