import * as path from 'node:path';
import type { Construct } from 'constructs';
import { ServiceFunction, type ServiceFunctionProps } from '../patterns/service-function';
import type { ServiceProps } from './service-props';

/** The handlers' root: a service's handlers are in `lambdas/<service>/handlers/`. */
const LAMBDAS_DIR = path.join(__dirname, '..', '..', 'lambdas');

/** One function of a service: a ServiceFunction's props, less what the service gives all its functions. */
export type ServiceHandlerProps = Omit<ServiceFunctionProps, 'entry' | 'serviceName' | 'alarmAction'>;

/**
 * Creates the functions of one service alike: each a ServiceFunction in the service's scope, its handler in
 * `lambdas/<serviceName>/handlers/`, `serviceName` its POWERTOOLS_SERVICE_NAME, and its alarms sent to the service's
 * `alarmAction`.
 */
export class ServiceFunctions {
  public constructor(
    private readonly scope: Construct,
    private readonly serviceName: string,
    private readonly service: ServiceProps,
  ) {}

  /** The ServiceFunction `id` whose handler is `lambdas/<serviceName>/handlers/<handlerFile>.ts`. */
  public create(id: string, handlerFile: string, props: ServiceHandlerProps = {}): ServiceFunction {
    return new ServiceFunction(this.scope, id, {
      ...props,
      entry: path.join(LAMBDAS_DIR, this.serviceName, 'handlers', `${handlerFile}.ts`),
      serviceName: this.serviceName,
      alarmAction: this.service.alarmAction,
    });
  }
}
