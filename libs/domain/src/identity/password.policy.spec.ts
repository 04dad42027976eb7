import { COMMON_PASSWORDS } from './common-passwords.data';
import { PASSWORD_MAX_CHARS, PASSWORD_MIN_CHARS, passwordMeetsPolicy, passwordProblem } from './password.policy';

describe('the rule for new passwords', () => {
  it('needs at least 12 characters, counted as characters rather than bytes, and at most 1024', () => {
    expect(PASSWORD_MIN_CHARS).toBe(12);
    expect(passwordProblem('tangerine-b0')).toBeNull();
    expect(passwordProblem('tangerine-b')).toMatch(/at least 12 characters \(got 11\)/);
    expect(passwordProblem('äöüßéèêëîïôû')).toBeNull();
    expect(passwordProblem('🙂🙃😉😊😇🥰😍🤩😘😗☺😚')).toBeNull();
    expect(passwordProblem('🙂🙃😉😊😇🥰')).toMatch(/got 6/);
    expect(passwordProblem('a1b2c3d4'.repeat(128))).toBeNull();
    expect(passwordProblem('x1y2'.repeat(PASSWORD_MAX_CHARS / 4 + 1))).toMatch(/at most 1024/);
  });

  it.each([
    ['1qaz2wsx3edc', 'listed as it is'],
    ['qwertyuiop123', 'listed as it is'],
    ['1Q2W3E4R5T6Y', 'listed, in another case'],
    ['password2024!', 'a listed password followed by digits and symbols'],
    ['Football123456', 'a listed password followed by digits'],
    ['dragondragon', 'a listed password written twice'],
    ['ｑｗｅｒｔｙｕｉｏｐ１２３', 'listed, in fullwidth letters'],
    ['aaaaaaaaaaaa', 'one character repeated'],
    ['abababababab', 'two characters repeated'],
  ])('refuses %s (%s)', (password) => {
    expect(passwordMeetsPolicy(password)).toBe(false);
  });

  it.each([['correct horse battery staple'], ['tangerine-b0'], ['Zq8#kd!Lr2wP'], ['monkeybusiness-24'], ['demo-password'], ['hindsight-admin']])('accepts %s', (password) => {
    expect(passwordProblem(password)).toBeNull();
  });

  it('ships a few thousand of the most common passwords, lower case, no blanks', () => {
    const list = COMMON_PASSWORDS.split('\n');
    expect(list.length).toBeGreaterThan(3000);
    expect(list.slice(0, 3)).toEqual(['123456', 'password', '12345678']);
    expect(list.every((p) => p === p.toLowerCase() && p.trim() !== '')).toBe(true);
    expect(new Set(list).size).toBe(list.length);
  });
});
