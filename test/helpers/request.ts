import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node';

const BASE = 'http://127.0.0.1';

/**
 * Calls a Remix loader with a real Request and returns its Response (thrown Responses too).
 * @example const res = await callLoader(loader, '/organisationer?lan=01');
 */
export async function callLoader<T>(
  loader: (args: LoaderFunctionArgs) => Promise<T> | T,
  url: string,
  init: { params?: Record<string, string>; headers?: HeadersInit } = {},
): Promise<Response | T> {
  const request = new Request(new URL(url, BASE), { headers: init.headers });
  try {
    return await loader({ request, params: init.params ?? {}, context: { nonce: '' } });
  } catch (thrown) {
    if (thrown instanceof Response) return thrown;
    throw thrown;
  }
}

/** Calls a Remix action with a real POST Request (form data or JSON body). */
export async function callAction<T>(
  action: (args: ActionFunctionArgs) => Promise<T> | T,
  url: string,
  init: { params?: Record<string, string>; headers?: HeadersInit; form?: Record<string, string>; json?: unknown; body?: BodyInit; method?: string } = {},
): Promise<Response | T> {
  const headers = new Headers(init.headers);
  let body = init.body;
  if (init.form) body = new URLSearchParams(init.form);
  if (init.json !== undefined) {
    body = JSON.stringify(init.json);
    headers.set('Content-Type', 'application/json');
  }
  const request = new Request(new URL(url, BASE), { method: init.method ?? 'POST', headers, body });
  try {
    return await action({ request, params: init.params ?? {}, context: { nonce: '' } });
  } catch (thrown) {
    if (thrown instanceof Response) return thrown;
    throw thrown;
  }
}
