/**
 * The hidden CSRF field every state-changing form carries. The token comes from the loader:
 * `return { csrf: csrfToken(request) }` (app/utils/csrf.server.ts).
 * @example <Form method="post"><CsrfInput token={data.csrf} />…</Form>
 */
export function CsrfInput({ token }: { token: string }) {
  return <input type="hidden" name="csrf" value={token} />;
}
