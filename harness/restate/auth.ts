/**
 * The bearer tokens of remote Restate environments, by origin. The token lives only here: it is sent on every call
 * the harness makes to that origin and never stored in a run's files; `redact` removes it from any text.
 */
const tokens = new Map<string, string>();

/** From now on, calls to `url`'s origin carry `Authorization: Bearer <token>`. */
export function useBearerToken(url: string, token: string): void {
  tokens.set(new URL(url).origin, token);
}

/** The headers a call to `url` needs: the bearer token of its origin, if one was set. */
export function authHeaders(url: string): Record<string, string> {
  const token = tokens.get(new URL(url).origin);
  return token === undefined ? {} : { authorization: `Bearer ${token}` };
}

/** `text` with every token the harness knows replaced by "***". */
export function redact(text: string): string {
  let out = text;
  for (const token of tokens.values()) if (token.length > 0) out = out.split(token).join("***");
  return out;
}
