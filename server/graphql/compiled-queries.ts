import { compileQuery, isCompiledQuery, type CompiledQuery } from 'graphql-jit';
import { BREAK, GraphQLError, Kind, getVariableValues, print, visit, type DocumentNode, type ExecutionArgs, type ExecutionResult, type OperationDefinitionNode } from 'graphql';
import type { Plugin } from 'graphql-yoga';

/** How many times a document runs on the standard executor before it is compiled. */
export const RUNS_BEFORE_COMPILING = 2;

/** What a parsed document is (GraphQL Yoga's parser cache hands out one object per query text). */
interface Entry {
  /** Its printed form when it is one of the trusted documents and compilable, else null. */
  key: string | null;
  operation: OperationDefinitionNode;
}

const entries = new WeakMap<DocumentNode, Entry>();

/**
 * Each trusted document's runs and compiled query, by its printed form: one compilation per
 * document of the platform's, however many query texts (comments, spacing) print the same.
 */
interface Compiled {
  runs: number;
  /** The compiled query; null when graphql-jit refused it; undefined until it is compiled. */
  query: CompiledQuery | null | undefined;
}

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
 * Errors graphql-jit raises itself (a scalar or an enum that cannot serialise a value, a null in a
 * non-null field) carry no original error, which the masking reads as the client's own error and
 * passes on. They are server errors: each is given one, so it is masked as "Unexpected error." and
 * logged. (The standard executor masks a null in a non-null field the same way, but passes on the
 * message of a scalar or an enum that refuses a value.) A compiled run never meets the client's
 * errors graphql-jit would raise: variables that do not coerce run on the standard executor.
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
 * documents of `trusted` (the web client's, see webClientDocuments) that are `compilable`, each
 * compiled once per plugin (per server) whatever query text brings it. Any other document runs on
 * the standard executor, so what the server compiles, and how often, is fixed by the platform, not
 * by the request. A request whose variables do not coerce runs on the standard executor, so its
 * errors are the standard ones.
 */
export function compiledQueriesPlugin(trusted: ReadonlySet<string>): Plugin {
  const byText = new Map<string, Compiled>();
  return {
    onExecute({ args, setExecuteFn }) {
      let entry = entries.get(args.document);
      if (!entry) {
        const operation = compilable(args.document);
        const printed = operation ? print(args.document) : null;
        entry = { key: printed !== null && trusted.has(printed) ? printed : null, operation: operation! };
        entries.set(args.document, entry);
      }
      if (entry.key === null) return;
      let state = byText.get(entry.key);
      if (!state) byText.set(entry.key, (state = { runs: 0, query: undefined }));
      if (state.query === null || ++state.runs <= RUNS_BEFORE_COMPILING) return;
      if (args.operationName && args.operationName !== entry.operation.name?.value) return;
      if (state.query === undefined) {
        const compiled = compileQuery(args.schema, args.document, undefined);
        state.query = isCompiledQuery(compiled) ? compiled : null;
        if (state.query) compilations++;
      }
      const compiled = state.query;
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
