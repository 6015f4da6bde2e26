/**
 * The closed set of errors the domain raises on purpose. Each maps to a GraphQL error type
 * implementing `Error { code message }`; anything else is masked as "Unexpected error.".
 */
export const ERROR_CODES = [
  'VALIDATION_FAILED',
  'NOT_FOUND',
  'FORBIDDEN',
  /** No (valid) login where one is required. */
  'UNAUTHENTICATED',
  /** Too many failed logins: the account or address is locked until `unlocksAt`. */
  'ACCOUNT_LOCKED',
  /** The caller sent too many requests in the current window. */
  'RATE_LIMITED',
  'INVALID_TRANSITION',
  /** Someone else changed the object first (conditional update matched no row) or a uniqueness rule. */
  'CONFLICT',
  /** A statutory or configured time limit has passed. */
  'DEADLINE_PASSED',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export abstract class AppError extends Error {
  abstract readonly code: ErrorCode;
}

export interface FieldError {
  field: string;
  message: string;
}

export class ValidationError extends AppError {
  readonly code = 'VALIDATION_FAILED' as const;
  constructor(
    public readonly fields: FieldError[],
    message = fields.length === 1 ? `${fields[0]!.field}: ${fields[0]!.message}` : 'Some fields are invalid.',
  ) {
    super(message);
    this.name = 'ValidationError';
  }
  static field(field: string, message: string): ValidationError {
    return new ValidationError([{ field, message }]);
  }
}

/** Not found, or not visible to the caller: the two are indistinguishable on purpose. */
export class NotFoundError extends AppError {
  readonly code = 'NOT_FOUND' as const;
  constructor(public readonly entity: string) {
    super(`${entity} not found.`);
    this.name = 'NotFoundError';
  }
}

export class ForbiddenError extends AppError {
  constructor(
    message = 'You are not allowed to do this.',
    public readonly code: 'FORBIDDEN' | 'UNAUTHENTICATED' | 'ACCOUNT_LOCKED' | 'RATE_LIMITED' = 'FORBIDDEN',
    /** For ACCOUNT_LOCKED and RATE_LIMITED: when the caller may try again. */
    public readonly retryAt: Date | null = null,
  ) {
    super(message);
    this.name = 'ForbiddenError';
  }
  static unauthenticated(): ForbiddenError {
    return new ForbiddenError('Log in first.', 'UNAUTHENTICATED');
  }
}

export class InvalidTransitionError extends AppError {
  readonly code = 'INVALID_TRANSITION' as const;
  constructor(
    public readonly from: string,
    public readonly action: string,
    message = `Cannot ${action} when status is ${from}.`,
  ) {
    super(message);
    this.name = 'InvalidTransitionError';
  }
}

export class ConflictError extends AppError {
  readonly code = 'CONFLICT' as const;
  constructor(message = 'Someone else changed this first; reload and try again.') {
    super(message);
    this.name = 'ConflictError';
  }
}

export class DeadlineError extends AppError {
  readonly code = 'DEADLINE_PASSED' as const;
  constructor(
    message: string,
    public readonly deadline: Date,
  ) {
    super(message);
    this.name = 'DeadlineError';
  }
}
