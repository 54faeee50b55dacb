import { LocalCredentials } from '../lambda/local-credentials';
import { PolicyStatement } from './iam-policy';

/** Someone who can sign requests to the local APIs: a function (through its execution role) or the admin. */
export interface ApiCaller {
  readonly credentials: LocalCredentials;
  /** `requestContext.identity.userArn`, e.g. `arn:aws:sts::000000000000:assumed-role/Role/fn`. */
  readonly arn: string;
  /** `requestContext.identity.caller`, e.g. `AROA…:fn` for a role session. */
  readonly callerId: string;
  /** `requestContext.identity.user`. */
  readonly user: string;
  readonly accountId: string;
  /** What the caller may do: everything (the admin), or its role's statements. */
  readonly statements: 'all' | readonly PolicyStatement[];
}

/** Finds the caller that owns an access key id. */
export interface CallerDirectory {
  find(accessKeyId: string): ApiCaller | undefined;
}

/** A directory over a fixed list of callers. */
export function callerDirectory(callers: readonly ApiCaller[]): CallerDirectory {
  const byKey = new Map(callers.map((caller) => [caller.credentials.accessKeyId, caller]));
  return { find: (accessKeyId) => byKey.get(accessKeyId) };
}

/** The admin pair: the account's root user, allowed everything. */
export function adminCaller(credentials: LocalCredentials, accountId: string, partition = 'aws'): ApiCaller {
  return { credentials, arn: `arn:${partition}:iam::${accountId}:root`, callerId: accountId, user: accountId, accountId, statements: 'all' };
}

/** A function calling with its execution role's temporary credentials (session name = function name, as Lambda does). */
export function functionCaller(options: {
  readonly credentials: LocalCredentials;
  readonly functionName: string;
  readonly roleName: string;
  readonly roleId: string;
  readonly accountId: string;
  readonly partition?: string;
  readonly statements: readonly PolicyStatement[];
}): ApiCaller {
  const callerId = `${options.roleId}:${options.functionName}`;
  return {
    credentials: options.credentials,
    arn: `arn:${options.partition ?? 'aws'}:sts::${options.accountId}:assumed-role/${options.roleName}/${options.functionName}`,
    callerId,
    user: callerId,
    accountId: options.accountId,
    statements: options.statements,
  };
}
