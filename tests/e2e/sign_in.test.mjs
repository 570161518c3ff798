// The mock Cognito sign-in as a learner meets it: sign up, the code from the Inbox, confirm,
// sign in, and tokens decoded and verified against the JWKS; wrong password; unconfirmed user;
// a reused code and a wrong PKCE verifier getting invalid_grant.
import { test, before, after, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { gotoApp, nodeFigures, openPreset, seekTo, useApp } from './support.mjs';

const app = useApp({ before, after, afterEach });
const PASSWORD = 'Corr3ct-horse!';

async function openSignIn(page, { navigate = true } = {}) {
  if (navigate) {
    await gotoApp(page, `${app.url()}#/sign-in`);
  } else {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Sign in', exact: true }).click();
  }
  await page.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor();
  const start = page.getByRole('button', { name: 'Sign in with Cognito', exact: true });
  await start.waitFor();
  // The user pool's RSA keys are made in the page first.
  await page.waitForFunction(() => [...document.querySelectorAll('button')].some((b) => b.textContent === 'Sign in with Cognito' && !b.disabled), null, { timeout: 30_000 });
  await start.click();
  await page.getByRole('form', { name: 'Sign in' }).waitFor();
}

async function signUp(page, email, password = PASSWORD) {
  await page.getByRole('button', { name: 'Create an account', exact: true }).click();
  const form = page.getByRole('form', { name: 'Create an account' });
  await form.getByLabel('Email address', { exact: true }).fill(email);
  await form.getByLabel('Password', { exact: true }).fill(password);
  await form.getByRole('button', { name: 'Create account', exact: true }).click();
}

async function codeFromInbox(page) {
  const inbox = page.getByRole('region', { name: 'Inbox' });
  await inbox.getByRole('listitem').first().waitFor();
  const text = await inbox.getByRole('listitem').first().innerText();
  return text.match(/code is (\d{6})/)[1];
}

async function signIn(page, email, password = PASSWORD) {
  const form = page.getByRole('form', { name: 'Sign in' });
  await form.getByLabel('Email address', { exact: true }).fill(email);
  await form.getByLabel('Password', { exact: true }).fill(password);
  await form.getByRole('button', { name: 'Sign in', exact: true }).click();
}

async function signedUpAndIn(page, email, options) {
  await openSignIn(page, options);
  await signUp(page, email);
  const form = page.getByRole('form', { name: 'Confirm your account' });
  await form.waitFor();
  await form.getByLabel('Code', { exact: true }).fill(await codeFromInbox(page));
  await form.getByRole('button', { name: 'Confirm account', exact: true }).click();
  await page.getByRole('status').filter({ hasText: 'Your account is confirmed' }).waitFor();
  await signIn(page, email);
  await page.getByRole('region', { name: 'ID token' }).getByText('Signature verified').waitFor({ timeout: 30_000 });
}

test('sign up, code from the Inbox, confirm, sign in: tokens decoded and verified against the JWKS', async () => {
  const page = await app.newPage();
  await openSignIn(page);
  assert.match(await page.getByRole('textbox', { name: 'Address', exact: true }).inputValue(), /^https:\/\/[a-z0-9-]+\.auth\.us-east-1\.amazoncognito\.com\/login\?client_id=[a-z0-9]{26}&response_type=code&scope=openid/);
  assert.match(await page.getByRole('note').innerText(), /Simulation/);
  // The tab went to /oauth2/authorize first; managed login's page keeps the request's parameters.
  assert.match(await page.getByRole('list', { name: 'History', includeHidden: true }).textContent(), /amazoncognito\.com\/oauth2\/authorize\?client_id=[a-z0-9]{26}&response_type=code&.*code_challenge_method=S256/);
  await signUp(page, 'short@example.com', 'short');
  await page.getByRole('alert').filter({ hasText: 'Password did not conform with policy: Password not long enough' }).waitFor();
  await page.getByRole('form', { name: 'Create an account' }).getByLabel('Password', { exact: true }).fill(PASSWORD);
  await page.getByRole('button', { name: 'Create account', exact: true }).click();
  await page.getByRole('form', { name: 'Confirm your account' }).getByLabel('Code', { exact: true }).fill('000000');
  await page.getByRole('button', { name: 'Confirm account', exact: true }).click();
  await page.getByRole('alert').filter({ hasText: 'Invalid verification code provided, please try again.' }).waitFor();
  await page.getByRole('form', { name: 'Confirm your account' }).getByLabel('Code', { exact: true }).fill(await codeFromInbox(page));
  await page.getByRole('button', { name: 'Confirm account', exact: true }).click();
  await signIn(page, 'short@example.com');
  const id = page.getByRole('region', { name: 'ID token' });
  await id.getByText('Signature verified').waitFor({ timeout: 30_000 });
  await page.getByRole('region', { name: 'Access token' }).getByText('Signature verified').waitFor();
  const claims = await id.getByRole('table').innerText();
  assert.match(claims, /token_use\s+id/);
  assert.match(claims, /email\s+short@example\.com/);
  assert.match(claims, /aud\s+[a-z0-9]{26}/);
  const access = await page.getByRole('region', { name: 'Access token' }).getByRole('table').innerText();
  assert.match(access, /client_id\s+[a-z0-9]{26}/);
  assert.doesNotMatch(access, /\baud\b\s/);
  const jwks = JSON.parse(await page.getByRole('region', { name: 'JWKS' }).locator('pre').innerText());
  assert.equal(jwks.keys.length, 2);
  assert.notEqual(jwks.keys[0].kid, jwks.keys[1].kid);
  assert.match(await page.getByRole('region', { name: 'Refresh token' }).innerText(), /^Refresh token\n[\w-]+\.[\w-]+\.[\w-]+\.[\w-]+\.[\w-]+/);
  // The password is nowhere in local storage, in clear.
  const stored = await page.evaluate(() => JSON.stringify({ ...localStorage }));
  assert.ok(stored.includes('short@example.com'));
  assert.ok(!stored.includes(PASSWORD));
  // The resource server checks the access token offline.
  await page.getByRole('button', { name: 'Call the API', exact: true }).click();
  await page.getByLabel('API response').filter({ hasText: 'HTTP/1.1 200' }).waitFor();
  // An hour on the virtual clock: the ID token has expired, the API refuses the access token;
  // a refresh gives fresh tokens.
  await page.getByRole('button', { name: '+1 hour', exact: true }).click();
  await id.getByText('The token expired').waitFor();
  await page.getByRole('button', { name: 'Call the API', exact: true }).click();
  await page.getByLabel('API response').filter({ hasText: 'HTTP/1.1 401' }).waitFor();
  await page.getByRole('button', { name: 'Refresh tokens', exact: true }).click();
  await id.getByText(/expires in 59 min|expires in 60 min/).waitFor({ timeout: 30_000 });
});

test('a wrong password and an unconfirmed user get Cognito\'s messages', async () => {
  const page = await app.newPage();
  await openSignIn(page);
  await signUp(page, 'pending@example.com');
  await page.getByRole('form', { name: 'Confirm your account' }).waitFor();
  // Back to the login page without confirming.
  await page.getByRole('button', { name: 'Back to sign in', exact: true }).click();
  await signIn(page, 'pending@example.com');
  await page.getByRole('alert').filter({ hasText: 'User is not confirmed.' }).waitFor();
  await signIn(page, 'pending@example.com', 'Wrong-passw0rd');
  await page.getByRole('alert').filter({ hasText: 'Incorrect username or password.' }).waitFor();
  await signIn(page, 'nobody@example.com', 'Wrong-passw0rd');
  await page.getByRole('alert').filter({ hasText: 'Incorrect username or password.' }).waitFor();
});

test('a reused code and a wrong PKCE verifier get invalid_grant', async () => {
  const page = await app.newPage();
  await signedUpAndIn(page, 'mistakes@example.com');
  const response = page.getByLabel('Last response');
  await page.getByRole('button', { name: 'Reuse the code', exact: true }).click();
  await response.filter({ hasText: '{"error":"invalid_grant"}' }).waitFor();
  assert.match(await response.innerText(), /consumed already/);
  await page.getByRole('button', { name: 'Send a wrong verifier', exact: true }).click();
  await response.filter({ hasText: 'code_verifier' }).waitFor();
  assert.match(await response.innerText(), /invalid_grant/);
  await page.getByRole('button', { name: 'Use an expired code', exact: true }).click();
  await response.filter({ hasText: '5 minutes' }).waitFor();
  await page.getByRole('button', { name: 'Tamper with state', exact: true }).click();
  await response.filter({ hasText: 'state does not match' }).waitFor();
  const steps = await page.getByRole('figure', { name: 'Sequence diagram' }).getByRole('listitem').allInnerTexts();
  assert.ok(steps.some((s) => /POST \/oauth2\/token/.test(s)));
  assert.ok(steps.some((s) => /GET \/oauth2\/authorize/.test(s)));
});

test('a signed-in admin\'s event is routed by cognito:groups (preset admin-routes)', async () => {
  const page = await app.newPage();
  await openPreset(page, app.url(), 'admin-routes');
  await signedUpAndIn(page, 'admin@example.com', { navigate: false });
  // The pool is the template's: its domain prefix is in the address.
  assert.match(await page.getByRole('textbox', { name: 'Address', exact: true }).inputValue(), /^https:\/\/localhost:3000\/callback/);
  await page.getByRole('checkbox', { name: 'admins' }).check();
  await page.getByRole('button', { name: 'Refresh tokens', exact: true }).click();
  await page.getByRole('region', { name: 'ID token' }).getByRole('table').filter({ hasText: 'cognito:groups' }).waitFor({ timeout: 30_000 });
  const flow = await page.getByRole('figure', { name: 'Sequence diagram' }).textContent();
  assert.match(flow, /shop-login\.auth\.us-east-1\.amazoncognito\.com/);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Playground', exact: true }).click();
  await page.getByRole('figure', { name: 'Topology' }).waitFor();
  await seekTo(page, 3_000);
  const before = await nodeFigures(page, 'AdminQueue');
  const form = page.getByRole('form', { name: 'Send a message' });
  await form.getByLabel('To').selectOption('ApiBus');
  await form.getByLabel('Detail (JSON)').fill('{"item": "maple", "price": 1}');
  await form.getByRole('checkbox', { name: /Send as the signed-in user \(admin@example\.com\)/ }).check();
  await form.getByRole('button', { name: 'Send now' }).click();
  await page.getByRole('list', { name: 'Sent by hand' }).waitFor();
  await seekTo(page, 4_000);
  const after = await nodeFigures(page, 'AdminQueue');
  assert.equal(after.visible, before.visible + 1, `${JSON.stringify(before)} → ${JSON.stringify(after)}`);
  // The playground says where the template's user pool runs; back there, the user is still signed in.
  await page.getByRole('note', { name: 'User pools' }).getByRole('link', { name: 'Sign in' }).click();
  await page.getByText('Signed in as admin@example.com').waitFor();
});

test('forgot password with a code, an email code instead of a password, and sign-out', async () => {
  const page = await app.newPage();
  await signedUpAndIn(page, 'forgetful@example.com');
  await page.getByRole('button', { name: 'Sign out', exact: true }).click();
  await page.getByText('You are signed out').waitFor();
  await page.getByRole('button', { name: 'Sign in with Cognito', exact: true }).click();
  await page.getByRole('button', { name: 'Forgot your password?', exact: true }).click();
  await page.getByRole('form', { name: 'Reset your password' }).getByLabel('Email address', { exact: true }).fill('forgetful@example.com');
  await page.getByRole('button', { name: 'Send code', exact: true }).click();
  const reset = page.getByRole('form', { name: 'Set a new password' });
  await reset.waitFor();
  const inbox = page.getByRole('region', { name: 'Inbox' });
  await inbox.getByRole('listitem').filter({ hasText: 'password reset code' }).waitFor();
  const code = (await inbox.getByRole('listitem').first().innerText()).match(/code is (\d{6})/)[1];
  await reset.getByLabel('Code', { exact: true }).fill(code);
  await reset.getByLabel('New password', { exact: true }).fill('N3w-password!');
  await reset.getByRole('button', { name: 'Reset password', exact: true }).click();
  await page.getByRole('status').filter({ hasText: 'Your password has been reset' }).waitFor();
  await signIn(page, 'forgetful@example.com', PASSWORD);
  await page.getByRole('alert').filter({ hasText: 'Incorrect username or password.' }).waitFor();
  // The default pool allows EMAIL_OTP: a code by email instead of a password.
  await page.getByRole('form', { name: 'Sign in' }).getByLabel('Email address', { exact: true }).fill('forgetful@example.com');
  await page.getByRole('button', { name: 'Sign in with a code by email', exact: true }).click();
  const otp = page.getByRole('form', { name: 'Enter the code' });
  await otp.waitFor();
  await inbox.getByRole('listitem').filter({ hasText: 'sign-in code' }).waitFor();
  const signInCode = (await inbox.getByRole('listitem').first().innerText()).match(/code is (\d{6})/)[1];
  await otp.getByLabel('Code', { exact: true }).fill(signInCode);
  await otp.getByRole('button', { name: 'Sign in', exact: true }).click();
  await page.getByRole('region', { name: 'ID token' }).getByText('Signature verified').waitFor({ timeout: 30_000 });
});

test('a phone number gets its code by text message, and SMS_OTP signs in with another (the default pool)', async () => {
  const page = await app.newPage();
  await openSignIn(page);
  await page.getByRole('button', { name: 'Create an account', exact: true }).click();
  const form = page.getByRole('form', { name: 'Create an account' });
  await form.getByLabel('Email address', { exact: true }).fill('sms@example.com');
  await form.getByLabel('Phone number (optional)', { exact: true }).fill('555 0100');
  await form.getByLabel('Password', { exact: true }).fill(PASSWORD);
  await form.getByRole('button', { name: 'Create account', exact: true }).click();
  await form.getByRole('alert').filter({ hasText: 'Invalid phone number format.' }).waitFor();
  // The typed email survives the refused submit; only the phone number is fixed.
  assert.equal(await form.getByLabel('Email address', { exact: true }).inputValue(), 'sms@example.com');
  await form.getByLabel('Phone number (optional)', { exact: true }).fill('+15555550100');
  await form.getByLabel('Password', { exact: true }).fill(PASSWORD);
  await form.getByRole('button', { name: 'Create account', exact: true }).click();
  const confirm = page.getByRole('form', { name: 'Confirm your account' });
  await confirm.getByText('Enter the code we sent to +15555550100.').waitFor();
  const inbox = page.getByRole('region', { name: 'Inbox' });
  assert.match(await inbox.getByRole('listitem').first().innerText(), /^Text message\s+to \+15555550100/);
  await confirm.getByLabel('Code', { exact: true }).fill(await codeFromInbox(page));
  await confirm.getByRole('button', { name: 'Confirm account', exact: true }).click();
  const login = page.getByRole('form', { name: 'Sign in' });
  await login.getByLabel('Email address', { exact: true }).fill('sms@example.com');
  await login.getByRole('button', { name: 'Sign in with a code by text message', exact: true }).click();
  const code = page.getByRole('form', { name: 'Enter the code' });
  await code.getByRole('heading', { name: 'Check your phone' }).waitFor();
  await code.getByLabel('Code', { exact: true }).fill((await inbox.getByRole('listitem').first().innerText()).match(/code is (\d{6})/)[1]);
  await code.getByRole('button', { name: 'Sign in', exact: true }).click();
  const id = page.getByRole('region', { name: 'ID token' });
  await id.getByText('Signature verified').waitFor({ timeout: 30_000 });
  const claims = await id.getByRole('table').innerText();
  assert.match(claims, /phone_number\s+\+15555550100/);
  assert.match(claims, /phone_number_verified\s+true/);
  assert.match(claims, /email_verified\s+false/);
  await page.close();
});

test('a passkey added on /passkeys/add signs the user in: the assertion verified with WebCrypto (ES256)', async () => {
  const page = await app.newPage();
  await signedUpAndIn(page, 'pk@example.com');
  await page.getByRole('button', { name: 'Add a passkey', exact: true }).click();
  await page.getByText('Passkeys registered: 1').waitFor();
  assert.match(await page.getByRole('list', { name: 'History', includeHidden: true }).textContent(), /amazoncognito\.com\/passkeys\/add\?client_id=[a-z0-9]{26}&redirect_uri=/);
  // The same authenticator again: excludeCredentials names its passkey, so it refuses.
  await page.getByRole('button', { name: 'Add a passkey', exact: true }).click();
  await page.getByRole('status').filter({ hasText: 'InvalidStateError' }).waitFor();
  await page.getByText('Passkeys registered: 1').waitFor();
  // A look-alike site cannot use it: the browser refuses its rp id, the pool its origin.
  await page.getByRole('button', { name: 'Phish the passkey', exact: true }).click();
  await page.getByLabel('Last response').filter({ hasText: 'WebAuthnOriginNotAllowedException' }).waitFor();
  await page.getByRole('button', { name: 'Sign out', exact: true }).click();
  await page.getByRole('button', { name: 'Sign in with Cognito', exact: true }).click();
  const login = page.getByRole('form', { name: 'Sign in' });
  await login.getByLabel('Email address', { exact: true }).fill('pk@example.com');
  await login.getByRole('button', { name: 'Sign in with a passkey', exact: true }).click();
  const id = page.getByRole('region', { name: 'ID token' });
  await id.getByText('Signature verified').waitFor({ timeout: 30_000 });
  const flow = await page.getByRole('figure', { name: 'Sequence diagram' }).innerText();
  assert.match(flow, /The signature verifies with the passkey's public key \(ES256\)/);
  // After a reload the simulated authenticator has no key: no sign-in, and the page says why.
  await page.reload();
  await openSignIn(page, { navigate: false });
  await page.getByRole('form', { name: 'Sign in' }).getByLabel('Email address', { exact: true }).fill('pk@example.com');
  await page.getByRole('button', { name: 'Sign in with a passkey', exact: true }).click();
  await page.getByRole('status').filter({ hasText: 'simulated authenticator has no key' }).waitFor();
  await page.close();
});

test('saved accounts that cannot be read are kept aside and offered, never overwritten', async () => {
  const page = await app.newPage();
  await signedUpAndIn(page, 'kept@example.com');
  const key = await page.evaluate(() => Object.keys(localStorage).find((k) => k.startsWith('eventyard:eventyard.cognito.users.') && !k.includes(':unreadable:')));
  assert.ok(key, 'the accounts are saved');
  await page.evaluate((k) => localStorage.setItem(k, '{"format":1,"document":{"users": damaged'), key);
  await page.reload();
  const notice = page.getByRole('alert', { name: 'Saved work kept aside' });
  await notice.waitFor();
  assert.match(await notice.innerText(), /Your saved sign-in accounts work could not be read/);
  assert.equal(await page.evaluate((k) => JSON.parse(localStorage.getItem(`${k}:unreadable:1`)).text, key), '{"format":1,"document":{"users": damaged');
  // The page starts afresh and a new sign-up saves beside what was kept.
  await openSignIn(page, { navigate: false });
  await signUp(page, 'again@example.com');
  await page.getByRole('form', { name: 'Confirm your account' }).waitFor();
  assert.ok(await page.evaluate((k) => localStorage.getItem(`${k}:unreadable:1`) !== null, key));
  await page.close();
});
