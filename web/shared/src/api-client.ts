import createClient, { type Client } from 'openapi-fetch';

/** The platform's error body: `{statusCode, code, message}` (+ `errors` for VALIDATION_FAILED). */
export class ApiError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
    readonly errors: { field: string; message: string }[] = [],
  ) {
    super(message);
    this.name = 'ApiError';
  }

  static async fromResponse(response: Response): Promise<ApiError> {
    return ApiError.fromBody(
      response.status,
      await response
        .clone()
        .json()
        .catch(() => null),
    );
  }

  /** From an error body already read (openapi-fetch reads it into `error`). */
  static fromBody(status: number, raw: unknown): ApiError {
    const body = (raw && typeof raw === 'object' ? raw : null) as {
      statusCode?: number;
      code?: string;
      message?: string;
      errors?: { field: string; message: string }[];
    } | null;
    return new ApiError(
      body?.statusCode ?? status,
      body?.code ?? 'HTTP_ERROR',
      body?.message ?? `请求失败（${status}）`,
      body?.errors ?? [],
    );
  }
}

export interface SessionUser {
  id: string;
  name: string;
  roles: string[];
  /** staff appointed with a one-time password: every route but a few answers 403 until it is changed */
  passwordChangeRequired?: boolean;
}

export interface Session {
  accessToken: string;
  refreshToken: string;
  user: SessionUser;
}

/** Where a session is kept between page loads (localStorage in the browser). */
export interface SessionStore {
  load(): Session | null;
  save(session: Session | null): void;
}

export function localSessionStore(key: string): SessionStore {
  return {
    load() {
      try {
        const raw = localStorage.getItem(key);
        return raw ? (JSON.parse(raw) as Session) : null;
      } catch {
        return null;
      }
    },
    save(session) {
      if (session) localStorage.setItem(key, JSON.stringify(session));
      else localStorage.removeItem(key);
    },
  };
}

export interface ApiClientOptions {
  baseUrl: string;
  store: SessionStore;
  /** called when the session ends (refresh refused): the app goes back to sign-in */
  onSignedOut?: () => void;
}

/**
 * A typed client over openapi-fetch: the bearer token on every request, and on a 401 one
 * refresh-token rotation (shared by concurrent requests: a refresh token works once) and a retry.
 */
export function createApiClient<Paths extends {}>(options: ApiClientOptions) {
  let session = options.store.load();
  let refreshing: Promise<Session | null> | null = null;

  const setSession = (next: Session | null) => {
    session = next;
    options.store.save(next);
  };

  const refresh = (used: Session): Promise<Session | null> => {
    if (session && session.refreshToken !== used.refreshToken) return Promise.resolve(session);
    refreshing ??= (async () => {
      try {
        const response = await fetch(`${options.baseUrl}/auth/refresh`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ refreshToken: used.refreshToken }),
        });
        if (!response.ok) {
          setSession(null);
          options.onSignedOut?.();
          return null;
        }
        const pair = (await response.json()) as Session;
        setSession({ accessToken: pair.accessToken, refreshToken: pair.refreshToken, user: pair.user });
        return session;
      } finally {
        refreshing = null;
      }
    })();
    return refreshing;
  };

  const authFetch = async (input: Request): Promise<Response> => {
    const current = session;
    const attempt = (token: string | undefined) => {
      const request = input.clone();
      if (token) request.headers.set('authorization', `Bearer ${token}`);
      return fetch(request);
    };
    const response = await attempt(current?.accessToken);
    if (response.status !== 401 || !current) return response;
    const renewed = await refresh(current);
    return renewed ? attempt(renewed.accessToken) : response;
  };

  const client: Client<Paths> = createClient<Paths>({ baseUrl: options.baseUrl, fetch: authFetch });

  return {
    client,
    get session() {
      return session;
    },
    setSession,
    /** a current access token (refreshed when the server said the old one expired) for the socket handshake */
    async freshToken(): Promise<string | null> {
      return session?.accessToken ?? null;
    },
    refresh: () => (session ? refresh(session) : Promise.resolve(null)),
    /** raw fetch with the same auth handling, for downloads and uploads */
    fetch: (path: string, init?: RequestInit) => authFetch(new Request(`${options.baseUrl}${path}`, init)),
  };
}

export type ApiClient<Paths extends {}> = ReturnType<typeof createApiClient<Paths>>;

/** openapi-fetch answers `{data, error, response}`: the data, or an ApiError thrown. */
export async function unwrap<T>(result: Promise<{ data?: T; error?: unknown; response: Response }>): Promise<T> {
  const { data, error, response } = await result;
  if (response.ok) return data as T;
  // openapi-fetch has read the error body already (into `error`).
  throw response.bodyUsed ? ApiError.fromBody(response.status, error) : await ApiError.fromResponse(response);
}
