// Why an experiment did not run, with the HTTP status the API answers and a message naming what to change.

export const EXPERIMENTS_SETTING = 'STICKYSCOPE_EXPERIMENTS';

export const experimentErrorCodes = ['experiments-disabled', 'experiment-refused', 'confirmation-invalid', 'experiment-unavailable'] as const;
export type ExperimentErrorCode = (typeof experimentErrorCodes)[number];

const statusOf = {
  'experiments-disabled': 403,
  'experiment-refused': 403,
  'confirmation-invalid': 409,
  'experiment-unavailable': 409,
} satisfies Record<ExperimentErrorCode, number>;

export class ExperimentError extends Error {
  constructor(
    readonly code: ExperimentErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'ExperimentError';
  }

  get status(): number {
    return statusOf[this.code];
  }
}

export const DISABLED_MESSAGE = `Failover experiments are off. Start stickyscope with ${EXPERIMENTS_SETTING}=1 and STICKYSCOPE_EXPERIMENT_SERVICES naming the services they may act on.`;

export function experimentsDisabled(): ExperimentError {
  return new ExperimentError('experiments-disabled', DISABLED_MESSAGE);
}
