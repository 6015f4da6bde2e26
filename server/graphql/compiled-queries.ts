import { compileQuery, isCompiledQuery, type CompiledQuery } from 'graphql-jit';
import { BREAK, GraphQLError, Kind, getVariableValues, print, visit, type DocumentNode, type ExecutionArgs, type ExecutionResult, type OperationDefinitionNode } from 'graphql';
import type { Plugin } from 'graphql-yoga';

/** How many times a document runs on the standard executor before it is compiled. */
export const RUNS_BEFORE_COMPILING = 2;

interface Entry {
  runs: number;
  /** The compiled query; null when the document is never compiled; undefined until it is. */
  compiled: CompiledQuery | null | undefined;
  operation: OperationDefinitionNode;
}

/** Per parsed document (GraphQL Yoga's parser cache hands out one object per query text). */
const entries = new WeakMap<DocumentNode, Entry>();

/**
 * The operation of a document graphql-jit may compile, or null. graphql-jit turns a query into
 * JavaScript source, and some of what a request writes reaches that source or changes its meaning:
 * - a string literal argument is written into the code, and one that starts with graphql-jit's
 *   marker for dates runs there as code;
 * - an alias can give two fields the same name in the code, and one field then runs with the
 *   other's resolve info (which fields of a row to read); an alias `__proto__` drops its field;
 * - `@include` and `@skip` on a fragment spread used twice combine differently.
 * So only documents of one query operation without any of these are compiled (and only those the
 * platform's own clients send, see compiledQueriesPlugin). Variables reach the code as data.
 */
export function compilable(document: DocumentNode): OperationDefinitionNode | null {
  const operations = document.definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
  if (operations.length !== 1 || operations[0]!.operation !== 'query') return null;
  let refused = false;
  const refuse = () => {
    refused = true;
    return BREAK;
  };
  visit(document, {
    StringValue: refuse,
    Directive: refuse,
    Field: (field) => (field.alias ? refuse() : undefined),
  });
  return refused ? null : operations[0]!;
}

let compilations = 0;

/** How many documents this process has compiled (for tests and benchmarks). */
export function compiledDocuments(): number {
  return compilations;
}

/**
 * Errors graphql-jit raises itself (a scalar that cannot serialise a value, a null in a non-null
 * field) carry no original error, which the masking reads as the client's own error and passes on.
 * The standard executor gives them one, so they are masked as "Unexpected error." and logged: the
 * compiled result's errors are given one the same way. A compiled run never meets the client's
 * errors graphql-jit would raise (variables that do not coerce run on the standard executor).
 */
export function asServerErrors(result: ExecutionResult): ExecutionResult {
  if (!result.errors?.some((e) => !e.originalError)) return result;
  return {
    ...result,
    errors: result.errors.map((e) => (e.originalError ? e : new GraphQLError(e.message, { nodes: e.nodes, path: e.path, originalError: new Error(e.message) }))),
  };
}

/** A plain JSON object: one whose keys are all its own (no `__proto__` turned into a prototype). */
const plain = (value: unknown) => {
  const proto: unknown = value === null || typeof value !== 'object' ? null : Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
};

/**
 * The platform's own queries run as compiled JavaScript (graphql-jit) from their third run: the
 * documents of `trusted` (the web client's, see webClientDocuments) that are `compilable`. Any other
 * document runs on the standard executor, so what a request can make the server compile, and how
 * long it spends compiling, is fixed by the platform, not by the request. A request whose variables
 * do not coerce runs on the standard executor, so its errors are the standard ones.
 */
export function compiledQueriesPlugin(trusted: ReadonlySet<string>): Plugin {
  return {
    onExecute({ args, setExecuteFn }) {
      let entry = entries.get(args.document);
      if (!entry) {
        const operation = compilable(args.document);
        entry = { runs: 0, compiled: operation && trusted.has(print(args.document)) ? undefined : null, operation: operation! };
        entries.set(args.document, entry);
      }
      if (entry.compiled === null || ++entry.runs <= RUNS_BEFORE_COMPILING) return;
      if (args.operationName && args.operationName !== entry.operation.name?.value) return;
      if (entry.compiled === undefined) {
        const compiled = compileQuery(args.schema, args.document, undefined);
        entry.compiled = isCompiledQuery(compiled) ? compiled : null;
        if (entry.compiled) compilations++;
      }
      const compiled = entry.compiled;
      if (!compiled) return;
      const variables = args.variableValues ?? {};
      if (!plain(variables)) return;
      const { errors } = getVariableValues(args.schema, entry.operation.variableDefinitions ?? [], variables);
      if (errors) return;
      setExecuteFn((a: ExecutionArgs) => {
        const result = compiled.query(a.rootValue, a.contextValue, a.variableValues ?? {});
        return result instanceof Promise ? result.then(asServerErrors) : asServerErrors(result);
      });
    },
  };
}
