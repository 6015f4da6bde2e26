import type { Plugin } from 'graphql-yoga';
import { createGraphQLError } from 'graphql-yoga';
import { Kind, visit, type DocumentNode } from 'graphql';
import type { FieldError } from '../domain/errors';
import { acceptText } from '../domain/validation';

/** Walks a JSON variable value, normalising every string; records each refused one by its path. */
function cleanValue(value: unknown, path: (string | number)[], errors: FieldError[]): unknown {
  if (typeof value === 'string') {
    const r = acceptText(value);
    if (r.ok) return r.value;
    errors.push({ field: path.join('.'), message: r.message });
    return value;
  }
  if (Array.isArray(value)) return value.map((v, i) => cleanValue(v, [...path, i], errors));
  // Object.fromEntries, not assignment: a key `__proto__` stays a key of its own (as JSON.parse
  // made it) and never becomes the copy's prototype.
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, cleanValue(v, [...path, k], errors)]));
  return value;
}

/**
 * The field path of a literal, found by following the visitor's key path from the document: the
 * argument (or variable default) and the input fields and list indexes leading to it. An `input`
 * object argument is the mutation's whole input, so its name is left out ("respondents.0.name"),
 * as in the domain's own ValidationErrors.
 */
function literalPath(document: DocumentNode, keys: readonly (string | number)[]): string {
  const path: (string | number)[] = [];
  let node: unknown = document;
  for (let i = 0; i < keys.length; i++) {
    const n = node as { kind?: string; name?: { value: string }; variable?: { name: { value: string } } };
    if (n.kind === Kind.ARGUMENT) path.splice(0, path.length, n.name!.value);
    else if (n.kind === Kind.VARIABLE_DEFINITION) path.splice(0, path.length, n.variable!.name.value);
    else if (n.kind === Kind.OBJECT_FIELD) path.push(n.name!.value);
    else if (n.kind === Kind.LIST && keys[i] === 'values' && typeof keys[i + 1] === 'number') path.push(keys[i + 1]!);
    node = (node as Record<string | number, unknown>)[keys[i]!];
  }
  if (path.length > 1 && path[0] === 'input') path.shift();
  return path.join('.') || 'query';
}

function cleanDocument(document: DocumentNode, errors: FieldError[]): DocumentNode {
  return visit(document, {
    StringValue: {
      enter(node, _key, _parent, path) {
        const r = acceptText(node.value);
        if (!r.ok) {
          errors.push({ field: literalPath(document, path), message: r.message });
          return undefined;
        }
        return r.value === node.value ? undefined : { ...node, value: r.value };
      },
    },
  });
}

/** Variable names the operation declares as a plain root (not an `input` object), so they are named as such. */
function variablePathRoot(name: string, value: unknown): (string | number)[] {
  return value && typeof value === 'object' && !Array.isArray(value) && name === 'input' ? [] : [name];
}

/**
 * A document's check, kept with the parsed document: yoga hands the same parsed document to every
 * request with the same query text, and its literals' check depends on nothing else.
 */
const checkedDocuments = new WeakMap<DocumentNode, { document: DocumentNode; errors: readonly FieldError[] }>();

function checkedDocument(original: DocumentNode): { document: DocumentNode; errors: readonly FieldError[] } {
  let checked = checkedDocuments.get(original);
  if (!checked) {
    const errors: FieldError[] = [];
    checked = { document: cleanDocument(original, errors), errors };
    checkedDocuments.set(original, checked);
  }
  return checked;
}

function check(args: { document: DocumentNode; variableValues?: Record<string, unknown> | null | undefined; operationName?: string | null }) {
  const literals = checkedDocument(args.document);
  const errors: FieldError[] = [...literals.errors];
  const document = literals.document;
  let variableValues = args.variableValues;
  if (variableValues && typeof variableValues === 'object') {
    variableValues = Object.fromEntries(Object.entries(variableValues).map(([name, value]) => [name, cleanValue(value, variablePathRoot(name, value), errors)]));
  }
  return { errors, document, variableValues };
}

function refusal(errors: FieldError[]) {
  const message = errors.length === 1 ? `${errors[0]!.field}: ${errors[0]!.message}` : 'Some fields are invalid.';
  return { errors: [createGraphQLError(message, { extensions: { code: 'VALIDATION_FAILED', fields: errors } })] };
}

/**
 * The one place where GraphQL text input is accepted or refused: every string in the variables
 * and every string literal in the document, whatever field it is meant for, goes through
 * acceptText before any resolver runs. A refusal is a VALIDATION_FAILED error naming each field.
 */
export function textGuardPlugin(): Plugin {
  return {
    onExecute({ args, setResultAndStopExecution }) {
      const r = check(args);
      if (r.errors.length) return setResultAndStopExecution(refusal(r.errors));
      Object.assign(args, { document: r.document, variableValues: r.variableValues });
    },
    onSubscribe({ args, setResultAndStopExecution }) {
      const r = check(args);
      if (r.errors.length) return setResultAndStopExecution(refusal(r.errors));
      Object.assign(args, { document: r.document, variableValues: r.variableValues });
    },
  };
}
