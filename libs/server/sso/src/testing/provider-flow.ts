/** A cookie jar for one browser, enough for loopback servers (every cookie goes everywhere). */
export class CookieJar {
  private readonly cookies = new Map<string, string>();

  store(res: Response): void {
    for (const line of res.headers.getSetCookie()) {
      const [pair, ...attributes] = line.split(';');
      const at = pair.indexOf('=');
      const name = pair.slice(0, at).trim();
      const value = pair.slice(at + 1).trim();
      if (value === '' || attributes.some((a) => /^\s*max-age=0\s*$/i.test(a))) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  get(name: string): string | undefined {
    return this.cookies.get(name);
  }

  header(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }
}

/** One request as a browser makes it, redirects not followed. */
export async function browserRequest(url: string, jar: CookieJar, init: { method?: string; form?: Record<string, string> } = {}): Promise<Response> {
  const res = await fetch(url, {
    method: init.method ?? (init.form ? 'POST' : 'GET'),
    redirect: 'manual',
    headers: { cookie: jar.header(), accept: 'text/html', ...(init.form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}) },
    body: init.form ? new URLSearchParams(init.form).toString() : undefined,
  });
  jar.store(res);
  return res;
}

/** Where a redirect goes, absolute. */
export function locationOf(res: Response, from: string): string {
  const location = res.headers.get('location');
  if (res.status < 300 || res.status > 399 || !location) throw new Error(`expected a redirect from ${from}, got ${res.status}: ${location ?? ''}`);
  return new URL(location, from).href;
}

/** `GET /auth/oidc/login`: the provider's authorization URL (and the binding cookie in the jar). */
export async function startSignIn(apiUrl: string, jar: CookieJar, returnTo?: string, tab?: string): Promise<string> {
  const query = new URLSearchParams({ ...(returnTo ? { returnTo } : {}), ...(tab ? { tab } : {}) }).toString();
  const url = `${apiUrl}/auth/oidc/login${query ? `?${query}` : ''}`;
  return locationOf(await browserRequest(url, jar), url);
}

const attr = (tag: string, name: string): string | null => new RegExp(`\\s${name}="([^"]*)"`).exec(tag)?.[1]?.replace(/&amp;/g, '&') ?? null;

/**
 * Walks the provider's pages as a person would: its login form (login, any password), then its
 * consent form, until the provider sends the browser back to `callbackPrefix`. Returns that URL.
 */
export async function authorizeAtProvider(authorizationUrl: string, login: string, jar: CookieJar, callbackPrefix: string): Promise<string> {
  let url = authorizationUrl;
  let res = await browserRequest(url, jar);
  for (let step = 0; step < 12; step++) {
    if (res.status >= 300 && res.status < 400) {
      url = locationOf(res, url);
      if (url.startsWith(callbackPrefix)) return url;
      res = await browserRequest(url, jar);
      continue;
    }
    const html = await res.text();
    const form = /<form[^>]*>/.exec(html)?.[0];
    const action = form ? attr(form, 'action') : null;
    if (res.status !== 200 || !action) throw new Error(`the provider answered ${res.status} without a form at ${url}: ${html.slice(0, 500)}`);
    const fields: Record<string, string> = {};
    for (const input of html.match(/<input[^>]*>/g) ?? []) {
      const name = attr(input, 'name');
      if (name) fields[name] = attr(input, 'value') ?? '';
    }
    if ('login' in fields) Object.assign(fields, { login, password: 'any password' });
    url = new URL(action, url).href;
    res = await browserRequest(url, jar, { form: fields });
  }
  throw new Error(`the provider never sent the browser back to ${callbackPrefix}`);
}

export interface SignInOutcome {
  /** The session token, when signed in. */
  token: string | null;
  /** The sign-in page's error code, when refused. */
  error: string | null;
  returnTo: string | null;
  /** The tab nonce handed back to the sign-in page. */
  tab: string | null;
  /** Where the API sent the browser. */
  location: string;
  response: Response;
}

/** The provider's callback to the API, as the browser follows it; parses the sign-in page's fragment. */
export async function finishSignIn(callbackUrl: string, jar: CookieJar): Promise<SignInOutcome> {
  const response = await browserRequest(callbackUrl, jar);
  const location = locationOf(response, callbackUrl);
  const fragment = new URLSearchParams(new URL(location).hash.slice(1));
  return { token: fragment.get('sso_token'), error: fragment.get('sso_error'), returnTo: fragment.get('return'), tab: fragment.get('tab'), location, response };
}

/** The whole flow for one person at the provider, in a fresh browser. */
export async function signInThroughProvider(apiUrl: string, login: string, jar = new CookieJar()): Promise<SignInOutcome & { callbackUrl: string }> {
  const authorizationUrl = await startSignIn(apiUrl, jar);
  const callbackUrl = await authorizeAtProvider(authorizationUrl, login, jar, `${apiUrl}/auth/oidc/callback`);
  return { ...(await finishSignIn(callbackUrl, jar)), callbackUrl };
}
