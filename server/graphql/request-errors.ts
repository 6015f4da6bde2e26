import { handleStreamOrSingleExecutionResult, type Plugin } from 'graphql-yoga';
import type { ExecutionResult } from 'graphql';
import type { GraphQLContext } from './context';

/** The request each error of a GraphQL result was raised under, by the error itself. */
const requestOfError = new WeakMap<object, string>();

/**
 * The id of the request an error was raised under, when the error came out of an execution or a
 * subscription of this server (see `requestErrorsPlugin`); null for an error raised before there
 * was a context (a body that is not GraphQL).
 */
export function requestIdOf(error: unknown): string | null {
  return (error !== null && typeof error === 'object' && requestOfError.get(error)) || null;
}

function tag(result: ExecutionResult, requestId: string): void {
  for (const error of result.errors ?? []) requestOfError.set(error, requestId);
}

/**
 * Marks every error of a result, and every error a subscription is refused with, with the id of its
 * request, so that error masking (which sees only the error) can log it and give it to the client
 * under that id. It must come before the masking plugin, whose handlers run after this one's.
 *
 * This replaces a request-wide AsyncLocalStorage: on Node 20 one hooks every promise of every
 * request, which cost 8 to 13 % of the server's CPU under `npm run load`.
 */
export function requestErrorsPlugin(): Plugin<Pick<GraphQLContext, 'requestId'>> {
  return {
    onExecute({ args }) {
      const requestId = args.contextValue.requestId;
      return {
        onExecuteDone: (payload) => handleStreamOrSingleExecutionResult(payload, ({ result }) => tag(result, requestId)),
      };
    },
    onSubscribe({ args }) {
      const requestId = args.contextValue.requestId;
      return {
        onSubscribeResult: (payload) => handleStreamOrSingleExecutionResult(payload, ({ result }) => tag(result, requestId)),
        onSubscribeError: ({ error }) => {
          if (error !== null && typeof error === 'object') requestOfError.set(error, requestId);
        },
      };
    },
  };
}
