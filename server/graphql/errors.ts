import {
  AppError,
  ConflictError,
  DeadlineError,
  ERROR_CODES,
  ForbiddenError,
  InvalidTransitionError,
  NotFoundError,
  ValidationError,
  type FieldError,
} from '../domain/errors';
import { builder } from './builder';

export const ErrorCodeEnum = builder.enumType('ErrorCode', { values: ERROR_CODES });

export const ErrorInterface = builder.interfaceRef<AppError>('Error').implement({
  description: 'Every error a mutation returns: a stable code and a human-readable message.',
  fields: (t) => ({
    code: t.field({ type: ErrorCodeEnum, resolve: (e) => e.code }),
    message: t.exposeString('message'),
  }),
});

const FieldErrorRef = builder.objectRef<FieldError>('FieldError').implement({
  fields: (t) => ({
    field: t.exposeString('field', { description: 'Input path, e.g. "respondents.0.phone".' }),
    message: t.exposeString('message'),
  }),
});

builder.objectType(ValidationError, {
  name: 'ValidationError',
  interfaces: [ErrorInterface],
  isTypeOf: (e) => e instanceof ValidationError,
  fields: (t) => ({ fields: t.field({ type: [FieldErrorRef], resolve: (e) => e.fields }) }),
});

builder.objectType(NotFoundError, {
  name: 'NotFoundError',
  description: 'The object does not exist or the viewer may not see it (the two are not distinguished).',
  interfaces: [ErrorInterface],
  isTypeOf: (e) => e instanceof NotFoundError,
  fields: () => ({}),
});

builder.objectType(ForbiddenError, {
  name: 'ForbiddenError',
  interfaces: [ErrorInterface],
  isTypeOf: (e) => e instanceof ForbiddenError,
  fields: (t) => ({
    retryAt: t.field({
      type: 'DateTime',
      nullable: true,
      description: 'For ACCOUNT_LOCKED and RATE_LIMITED: when trying again may succeed.',
      resolve: (e) => e.retryAt,
    }),
  }),
});

builder.objectType(InvalidTransitionError, {
  name: 'InvalidTransitionError',
  interfaces: [ErrorInterface],
  isTypeOf: (e) => e instanceof InvalidTransitionError,
  fields: (t) => ({ from: t.exposeString('from'), action: t.exposeString('action') }),
});

builder.objectType(ConflictError, {
  name: 'ConflictError',
  interfaces: [ErrorInterface],
  isTypeOf: (e) => e instanceof ConflictError,
  fields: () => ({}),
});

builder.objectType(DeadlineError, {
  name: 'DeadlineError',
  interfaces: [ErrorInterface],
  isTypeOf: (e) => e instanceof DeadlineError,
  fields: (t) => ({ deadline: t.field({ type: 'DateTime', resolve: (e) => e.deadline }) }),
});
