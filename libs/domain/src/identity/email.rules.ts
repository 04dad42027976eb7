/*
 * One spelling per person (PRODUCT.md §6): every e-mail address is stored and compared in one
 * normalised form, so that no other spelling of an address can reach an account, its sign-in
 * limits or its single sign-on link. Comparing with SQL `lower()` instead is how a locked
 * `victim@…` signed in as `victİm@…`: Postgres folds U+0130 to `i`, JavaScript does not.
 */

// Characters that would make the URL parser read something other than a host name.
const NOT_IN_A_DOMAIN = /[\s/?#\\:@[\]%]/;
const ASCII = /^[\x20-\x7e]*$/;
const LDH_DOMAIN = /^[a-z0-9-]+(\.[a-z0-9-]+)*$/;
const IPV4_LIKE = /^[0-9.]+$/;

/**
 * The normalised address: Unicode NFKC (fullwidth `ＡＢ＠ｅｘ．ｃｏｍ` becomes `ab@ex.com`), then
 * lower case (JavaScript's, locale-free: `İ` becomes `i̇`, which is not `i`; `ẞ` becomes `ß`,
 * which stays `ß`), then the domain in its IDNA ASCII form (`bücher.example` becomes
 * `xn--bcher-kva.example`). Null when the text has no `local@domain` shape or its domain is no
 * host name. Idempotent: a normalised address normalises to itself.
 */
export function normaliseEmail(value: string): string | null {
  // NFKC once more after lower-casing: a few lower-case mappings leave a sequence NFKC would
  // compose, and the form must be a fixed point to be compared exactly.
  const text = value.normalize('NFKC').trim().toLowerCase().normalize('NFKC');
  const at = text.lastIndexOf('@');
  if (at <= 0 || at === text.length - 1) return null;
  const domain = asciiDomain(text.slice(at + 1));
  return domain === null ? null : `${text.slice(0, at)}@${domain}`;
}

/** The domain in IDNA ASCII form (UTS #46, as browsers map host names), or null when it is no host name. */
function asciiDomain(domain: string): string | null {
  if (NOT_IN_A_DOMAIN.test(domain)) return null;
  if (ASCII.test(domain)) return domain;
  let host: string;
  try {
    host = new URL(`http://${domain}/`).hostname;
  } catch {
    return null;
  }
  // A Unicode name must come out as labels of letters, digits and hyphens, never as an address.
  return LDH_DOMAIN.test(host) && !IPV4_LIKE.test(host) ? host : null;
}

/** The domain part of a normalised address (the text after its last `@`). */
export function emailDomain(normalisedEmail: string): string {
  return normalisedEmail.slice(normalisedEmail.lastIndexOf('@') + 1);
}
