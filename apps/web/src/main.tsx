// The first module: small, so it runs as soon as the page is parsed. It asks who is signed in
// while the browser still fetches and evaluates the app (React, Apollo, the shell), then starts
// the app, which finds the answer there.
import { askWhoIsSignedIn } from '@hindsight/web-data-access';

askWhoIsSignedIn();
void import('./app');
