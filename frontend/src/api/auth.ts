/**
 * The single place where credentials join API requests.
 *
 * Today the API listens on loopback and needs no login. When accounts arrive, the login
 * flow calls `setTokenGetter(() => store.accessToken)` and every request made by the
 * generated client, the uploader and the downloader carries `Authorization: Bearer …`.
 */
export type TokenGetter = () => string | null | undefined | Promise<string | null | undefined>;

let tokenGetter: TokenGetter = () => null;

export function setTokenGetter(getter: TokenGetter): void {
  tokenGetter = getter;
}

export async function authHeaders(): Promise<Record<string, string>> {
  const token = await tokenGetter();
  return token ? { Authorization: `Bearer ${token}` } : {};
}
