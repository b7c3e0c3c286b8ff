/**
 * Who is signed in. A refused token (401 from any call) signs out and brings the sign-in form
 * back with the reason, keeping the page the user was on.
 */
import { storeToken, storedToken } from './token-store.js';

class Session {
  token = $state<string | null>(storedToken());
  /** Why the user was signed out, shown on the sign-in form. */
  reason = $state('');

  signIn(token: string): void {
    storeToken(token);
    this.token = token;
    this.reason = '';
  }

  signOut(reason = ''): void {
    storeToken(null);
    this.token = null;
    this.reason = reason;
  }
}

export const session = new Session();
