import { AwsSolutionsChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import type { AlarmEvaluation } from '../../../lib/patterns/alarm-defaults';
import { ProblemsError, PropsError } from '../../../lib/patterns/problems-error';

export interface NagFindingsOptions {
  /** Leave out the findings on these constructs and their children (a test's own alarm topic, say). */
  readonly except?: readonly IConstruct[];
  /** Only the findings on these constructs and their children. @default - the whole scope */
  readonly within?: readonly IConstruct[];
  /** Only the findings of this severity. @default - every severity */
  readonly severity?: 'error' | 'warning';
}

const isUnder = (constructPath: string | undefined, constructs: readonly IConstruct[]) =>
  constructs.some((construct) => constructPath === construct.node.path || constructPath?.startsWith(`${construct.node.path}/`));

/** The cdk-nag AwsSolutions findings in `scope` that nothing acknowledged, as `<rule> (<severity>) at <construct path>`. */
export function nagFindings(scope: IConstruct, options: NagFindingsOptions = {}): string[] {
  const { except = [], within, severity } = options;
  return new AwsSolutionsChecks()
    .validateScope(scope)
    .violations.filter((violation) => severity === undefined || violation.severity === severity)
    .flatMap((violation) =>
      violation.violatingResources
        .filter((resource) => !isUnder(resource.constructPath, except) && (within === undefined || isUnder(resource.constructPath, within)))
        .map((resource) => `${violation.ruleName} (${violation.severity}) at ${resource.constructPath}`),
    );
}

/** A class of error that lists every problem it found (the patterns' props, route and grant errors). */
type ProblemsErrorClass = abstract new (...args: never[]) => ProblemsError;

/** What the functions below return: `act`'s problems, if it throws an error `accepts`; any other error is rethrown. */
function problemsThrownIf(accepts: (error: ProblemsError) => boolean, expected: string): (act: () => unknown) => readonly string[] {
  return (act) => {
    try {
      act();
    } catch (error) {
      if (error instanceof ProblemsError && accepts(error)) return error.problems;
      throw error;
    }
    throw new Error(`expected ${expected}`);
  };
}

const isOneOf = (error: ProblemsError, errorTypes: readonly ProblemsErrorClass[]) => errorTypes.some((type) => error instanceof type);
const namesOf = (errorTypes: readonly ProblemsErrorClass[]) => errorTypes.map((type) => `a ${type.name}`);

/**
 * `problemsOf(act)`: the problems `act` throws in an error of one of `errorTypes`. Any other error is rethrown, and an
 * `act` that throws nothing fails the test.
 */
export function problemsThrown(...errorTypes: readonly ProblemsErrorClass[]): (act: () => unknown) => readonly string[] {
  return problemsThrownIf((error) => isOneOf(error, errorTypes), namesOf(errorTypes).join(' or '));
}

/**
 * `problemsOf(act)`: the problems `act` throws in the PropsError of the pattern `constructName`, or in an error of one
 * of `otherErrorTypes` (a route's, a consumer's). A PropsError of another pattern, or any other error, is rethrown, and
 * an `act` that throws nothing fails the test.
 */
export function propsProblemsThrown(constructName: string, ...otherErrorTypes: readonly ProblemsErrorClass[]): (act: () => unknown) => readonly string[] {
  return problemsThrownIf(
    (error) => (error instanceof PropsError && error.constructName === constructName) || isOneOf(error, otherErrorTypes),
    [`a PropsError of ${constructName}`, ...namesOf(otherErrorTypes)].join(' or '),
  );
}

/**
 * Alarm evaluations CloudWatch refuses, each with what follows the prop's name in its problem: more datapoints than
 * periods, none, a fraction of one; no period, a fraction of one, more than a day of them.
 */
export const INVALID_ALARM_EVALUATIONS: readonly (readonly [AlarmEvaluation, string])[] = [
  [{ datapointsToAlarm: 4, evaluationPeriods: 3 }, 'is 4 of 3: datapointsToAlarm must be a whole number from 1 to evaluationPeriods (3), e.g. 3.'],
  [{ datapointsToAlarm: 0, evaluationPeriods: 3 }, 'is 0 of 3: datapointsToAlarm must be a whole number from 1 to evaluationPeriods (3), e.g. 3.'],
  [{ datapointsToAlarm: 1.5, evaluationPeriods: 2 }, 'is 1.5 of 2: datapointsToAlarm must be a whole number from 1 to evaluationPeriods (2), e.g. 3.'],
  [{ datapointsToAlarm: 1, evaluationPeriods: 0 }, 'is 1 of 0: evaluationPeriods must be a whole number from 1 to 288 (one day of 5-minute periods), e.g. 5.'],
  [{ datapointsToAlarm: 1, evaluationPeriods: 2.5 }, 'is 1 of 2.5: evaluationPeriods must be a whole number from 1 to 288 (one day of 5-minute periods), e.g. 5.'],
  [{ datapointsToAlarm: 1, evaluationPeriods: 289 }, 'is 1 of 289: evaluationPeriods must be a whole number from 1 to 288 (one day of 5-minute periods), e.g. 5.'],
];

/**
 * The test of every pattern with AlarmEvaluation props, one case per INVALID_ALARM_EVALUATIONS: the evaluation, given to
 * each of `props` at once, is one problem per prop, naming it, in the order of `props`.
 */
export function itRejectsInvalidAlarmEvaluations<P>(
  props: readonly (keyof P & string)[],
  problemsOf: (act: () => unknown) => readonly string[],
  construct: (props: Partial<P>) => () => unknown,
): void {
  it.each(INVALID_ALARM_EVALUATIONS)(`rejects the alarm evaluation %j in ${props.join(', ')}`, (evaluation, problem) => {
    const evaluations = Object.fromEntries(props.map((prop) => [prop, evaluation])) as Partial<P>;
    expect(problemsOf(construct(evaluations))).toEqual(props.map((prop) => `${prop} ${problem}`));
  });
}
