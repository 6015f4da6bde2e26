import { initGraphQLTada, type ResultOf, type VariablesOf, type TadaDocumentNode } from 'gql.tada';
import { print } from '@0no-co/graphql.web';
import type { introspection } from './graphql-env';

/** Documents typed from schema/schema.graphql; scalars as they travel in JSON. */
export const graphql = initGraphQLTada<{
  introspection: introspection;
  scalars: { DateTime: string; Date: string; Money: string; ID: string };
}>();
export type { ResultOf, VariablesOf };

const TOKEN_KEY = 'jiefen.token';
export const tokenStore = {
  get: (): string | null => localStorage.getItem(TOKEN_KEY),
  set: (t: string | null) => (t ? localStorage.setItem(TOKEN_KEY, t) : localStorage.removeItem(TOKEN_KEY)),
};

export class RequestError extends Error {
  constructor(message: string, readonly code: string) {
    super(message);
  }
}

/** Runs one operation against /graphql with the stored session token. */
export async function request<R, V>(doc: TadaDocumentNode<R, V>, variables?: V): Promise<R> {
  const token = tokenStore.get();
  const res = await fetch('/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query: print(doc), variables: variables ?? {} }),
  });
  const body = (await res.json()) as { data?: R; errors?: { message: string; extensions?: { code?: string } }[] };
  if (body.errors?.length) {
    const e = body.errors[0]!;
    const code = e.extensions?.code ?? 'ERROR';
    if (code === 'UNAUTHENTICATED') tokenStore.set(null);
    throw new RequestError(errorText(code, e.message), code);
  }
  return body.data as R;
}

/** A mutation result union: either the success object or one of the typed errors. */
type MaybeError = { __typename?: string; code?: string; message?: string; fields?: readonly { field: string; message: string }[] | null };

/** Throws the typed error of a mutation result (ValidationError etc.) as a RequestError in Chinese. */
export function unwrap<T extends object>(result: T): Exclude<T, { code: unknown }> {
  const r = result as MaybeError;
  if (r && typeof r.code === 'string') {
    const detail = r.fields?.length ? `：${r.fields.map((f) => f.message).join('；')}` : '';
    throw new RequestError(errorText(r.code, r.message ?? '') + detail, r.code);
  }
  return result as Exclude<T, { code: unknown }>;
}

const CODES: Record<string, string> = {
  UNAUTHENTICATED: '请先登录',
  FORBIDDEN: '没有权限进行此操作',
  NOT_FOUND: '没有找到，或您无权查看',
  VALIDATION_FAILED: '填写的内容有误',
  INVALID_TRANSITION: '当前状态下不能进行此操作',
  CONFLICT: '内容已被他人更新，请刷新后再试',
  DEADLINE_PASSED: '已超过期限',
  ACCOUNT_LOCKED: '尝试次数过多，账户暂时锁定',
  RATE_LIMITED: '操作太频繁，请稍后再试',
};

export function errorText(code: string, message: string): string {
  return CODES[code] ? `${CODES[code]}（${message}）` : message || '出错了，请稍后再试';
}

/** Opens a subscription over Server-Sent Events; returns a function that closes it. */
export function subscribe<R, V>(doc: TadaDocumentNode<R, V>, variables: V, onData: (data: R) => void, onError: (e: Error) => void): () => void {
  const abort = new AbortController();
  const token = tokenStore.get();
  void (async () => {
    try {
      const res = await fetch('/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'text/event-stream', ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body: JSON.stringify({ query: print(doc), variables }),
        signal: abort.signal,
      });
      const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
      let buffer = '';
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += value;
        let at: number;
        while ((at = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, at);
          buffer = buffer.slice(at + 2);
          const data = block.split('\n').filter((l) => l.startsWith('data:')).map((l) => l.slice(5).trim()).join('\n');
          if (!data) continue;
          const payload = JSON.parse(data) as { data?: R; errors?: { message: string }[] };
          if (payload.errors?.length) onError(new Error(payload.errors[0]!.message));
          else if (payload.data) onData(payload.data);
        }
      }
    } catch (e) {
      if (!abort.signal.aborted) onError(e as Error);
    }
  })();
  return () => abort.abort();
}

/** Fetches a file the API hands out (PDF, evidence) with the session token. */
export async function fetchFile(url: string): Promise<Blob> {
  const token = tokenStore.get();
  // The API hands out absolute URLs under PUBLIC_URL; the client always asks its own origin.
  const { pathname, search } = new URL(url, location.origin);
  const res = await fetch(pathname + search, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  if (!res.ok) throw new RequestError('文件获取失败', String(res.status));
  return res.blob();
}
