# The admin accounts, the own-account page, API keys, OAuth clients, admin sign-in and
# the Admin API guide.

## Roles, as people read them

accounts-role-auditor = auditor
accounts-role-support = support
accounts-role-administrator = administrator
accounts-role-summary-auditor = read everything but change nothing
accounts-role-summary-support = read everything and start and cancel deletion processes
accounts-role-summary-administrator = do everything, including managing admin accounts

## The accounts list (/admin/accounts)

accounts-title = Admin accounts
accounts-list-hint = Open an account to change its role, disable it or reset its password.
accounts-col-username = Username
accounts-col-role = Role
accounts-col-second-factor = Second factor
accounts-col-last-sign-in = Last sign-in
accounts-col-enabled = Enabled
accounts-col-actions = Actions
accounts-you = (you)
accounts-disabled-badge = disabled
accounts-one-time-password-pending = one-time password
accounts-on = on
accounts-off = off
accounts-yes = yes
accounts-no = no
accounts-my-account = My account
accounts-all-accounts = All accounts
accounts-new-role-for = New role for { $username }
accounts-change-role-button = Change role
accounts-disable-link = Disable
accounts-enable-button = Enable
accounts-reset-password-button = Reset password
accounts-create-heading = Create an account
accounts-username-hint = Letters, digits, '.', '_', '-' or '@'.
accounts-role-hint = Auditors read everything; support also starts and cancels deletion processes; administrators also manage accounts.
accounts-create-button = Create account
accounts-role-invalid = Choose the role auditor, support or administrator.
accounts-created-flash = Account { $username } created as { $role }. It must choose its own password at its first sign-in.
accounts-created-heading = Account created

## Confirmation pages

accounts-back-do-nothing = Back, do nothing
accounts-role-unchanged = { $username } already has the role { $role }.
accounts-change-role-heading = Change the role of { $username } to { $role }?
accounts-role-explanation = { $username } is { $old } today and will become { $new }: it will then be able to { $summary }.
accounts-role-demotion = It will no longer manage admin accounts.
accounts-role-sessions-end = Its sessions will end, so it will sign in again.
accounts-role-changed = { $username } is now { $role }; its sessions ended.
accounts-disable-title = Disable account
accounts-disable-heading = Disable the account { $username }?
accounts-disable-explanation = It can no longer sign in, and its sessions end now. You can enable it again later.
accounts-enabled-flash = { $username } is enabled and may sign in again.
accounts-disabled-flash = { $username } is disabled; its sessions ended.
accounts-reset-heading = Reset the password of { $username }?
accounts-reset-explanation = Its password is replaced by a one-time password shown to you once; pass it on securely. Its sessions end, and it must choose its own password at its next sign-in.
accounts-reset-flash = The password of { $username } was reset; its sessions ended.
accounts-reset-heading-done = Password reset

## A one-time password, shown once

accounts-one-time-password-of = The one-time password of
accounts-one-time-password-is = is:
accounts-one-time-password-lead = It is shown only this once: pass it on securely now. The account must choose its own password when it signs in with it.
accounts-to-account = Go to the account { $username }

## One account, for administrators (/admin/accounts/{username})

accounts-account-title = Account { $username }
accounts-account-heading = Account
accounts-details = Account details
accounts-state = State
accounts-state-enabled = enabled: it may sign in
accounts-state-disabled = it cannot sign in, and its API keys do not work
accounts-col-password = Password
accounts-password-own = its own
accounts-password-one-time = a one-time password: it must choose its own at its next sign-in
accounts-col-created = Created
accounts-never = never
accounts-self-before = This is your own account: change your password and second factor on
accounts-self-after = . Its role and whether it is enabled are changed by another administrator.
accounts-recent-sign-ins = Recent sign-ins
accounts-no-sign-ins = No sign-ins recorded yet.
accounts-col-outcome = Outcome
accounts-all-events = All security events of this account
accounts-keys-hint = Each key acts with this account's role. Only the account itself creates keys, on its own page; you can revoke them here.

## The own-account page (/admin/account)

own-title = My account
own-username = Username
own-role = Role
own-second-factor = Second factor
own-change-password = Change password
own-turn-on-second-factor = Turn on the second factor
own-language-heading = Language
own-language-label = Language of the pages
own-language-save = Save language
own-keys-hint-before = Scripts use a key in the
own-keys-hint-header = header of the
own-keys-hint-link = Admin API
own-keys-hint-after = ; it acts with your role ({ $role }).
own-recent-sign-ins = Recent sign-ins

## Changing one's password

own-password-must-change = You signed in with a one-time password from an administrator. Before you can go on, choose your own password: enter the one-time password once more, then your new password twice.
own-password-current = Current password
own-password-one-time = One-time password
own-password-new = New password
own-password-new-hint = At least 12 characters, not containing your username, and hard to guess: a few unrelated words work well.
own-password-repeat = New password again
own-password-mismatch = The two new passwords are not the same.
own-one-time-password-wrong = The one-time password is not correct.
own-one-time-password-same = The new password must be different from the one-time password.
own-password-changed = Your password was changed; your other sessions ended.

## The second factor

own-2fa-is-on-before = The second factor (an authenticator app) is
own-2fa-on = on
own-2fa-is-on-after = . You have { $n } unused recovery { $count ->
    [one] code
   *[other] codes
}.
own-2fa-turn-off = Turn off the second factor
own-2fa-enrol-lead = Scan this code with an authenticator app (or enter the key by hand), then type the 6-digit code it shows. The second factor turns on only then.
own-2fa-qr-caption = QR code of the authenticator link below
own-2fa-key = Key
own-2fa-key-hint = Type it with or without the spaces; select it to copy it.
own-2fa-link = Link
own-2fa-code = Code from the app
own-2fa-turn-on-button = Turn on
own-2fa-restart = Start again with a new key
own-2fa-is-off-before = The second factor is
own-2fa-off = off
own-2fa-is-off-after = : your password alone opens your account.
own-2fa-explain = With it on, signing in also asks for a code from an authenticator app on your phone.
own-2fa-turned-on = The second factor is on.
own-2fa-turned-off = The second factor is off; your other sessions ended.
own-2fa-off-heading = Turn off the second factor?
own-2fa-off-lead = Your password alone will then open your account. Your recovery codes stop working and your other sessions end.
own-2fa-off-password = Your password, to confirm
own-2fa-off-code = A current code from your authenticator app, or a recovery code
own-2fa-off-button = Turn off

## Recovery codes, shown once

own-recovery-title = Recovery codes
own-recovery-lead = If you lose your authenticator app, each of these codes signs you in once instead of a code. They are shown only this once: download them, print this page or write them down now, and keep them safe.
own-recovery-download = Download as a text file
own-recovery-done = Done
own-recovery-file-title = { $brand }: recovery codes of { $username }
own-recovery-file-hint = Each signs in once instead of a code from the authenticator app.

## API keys

keys-heading = API keys
keys-none = No API keys.
keys-col-name = Name
keys-col-prefix = Key starts with
keys-col-created = Created
keys-col-last-used = Last used
keys-col-expires = Expires
keys-col-state = State
keys-state-active = active
keys-state-expired = expired
keys-state-revoked = revoked
keys-revoke-link = Revoke
keys-create-heading = Create an API key
keys-name = Name
keys-name-hint = What the key is for, e.g. "ticket import".
keys-expires-after = Expires after
keys-lifetime-days = { $n } { $count ->
    [one] day
   *[other] days
}
keys-lifetime-year = 1 year
keys-create-button = Create key
keys-created-flash = API key “{ $name }” created. Copy it now: it is not shown again.
keys-created-title = API key created
keys-shown-before = The API key
keys-shown-expires = (it expires on
keys-shown-is = ) is:
keys-shown-aria = The new API key; one click selects it
keys-shown-lead-before = It is shown only this once: one click selects it, then copy it into your tool's secret store now. Send it in the
keys-shown-lead-after = header; it acts with your account's role.
keys-back-to-account = Back to my account
keys-how-to-use = How to use the Admin API
keys-revoke-title = Revoke API key
keys-revoke-heading = Revoke the API key { $name }?
keys-revoke-lead-before = The key starting with
keys-revoke-lead-account = of the account
keys-revoke-lead-after = stops working at once: every script that uses it gets 401 from then on. This cannot be undone; a new key can be created instead.
keys-revoke-button = Revoke key
keys-revoked-flash = API key “{ $name }” ({ $prefix }…) revoked; it no longer works.

## OAuth clients (/admin/clients)

clients-title = OAuth clients
clients-lead-before = The apps that may register identities and sign devices in through the Consumer API
clients-none = No clients yet.
clients-col-id = Client ID
clients-col-tier = Default tier
clients-col-identities = Identities
clients-col-created = Created
clients-of-at-most = of at most { $max }
clients-delete-link = Delete
clients-create-heading = Create a client
clients-id-hint = Letters, digits, '.', '_' or '-'. The secret is generated and shown once.
clients-tier-label = Default tier of its identities
clients-max-label = Most identities it may create
clients-max-hint = Empty: no limit.
clients-create-button = Create client
clients-limit-invalid = The identity limit must be a whole number of 0 or more, or empty for none.
clients-created-flash = Client { $client } created.
clients-created-title = Client created
clients-secret-of = The secret of
clients-secret-is = is:
clients-secret-lead = It is shown only this once and kept only as a hash: put it into the app's configuration now.
clients-back-to-list = Back to the clients
clients-delete-title = Delete client
clients-delete-heading = Delete the client { $client }?
clients-delete-lead = Its apps can no longer register identities or sign devices in. The identities it created stay.
clients-deleted-flash = Client { $client } deleted. Its identities stay; it can no longer register or sign in devices.

## Admin sign-in

login-title = Sign in
login-heading = Sign in to { $brand }
login-signed-out = You have signed out.
login-username = Username
login-password = Password
login-button = Sign in
login-wrong-credentials = Wrong username or password.
login-code-title = Second step
login-code-heading = Second step: your code
login-code-lead = Your password was right. Enter the 6-digit code your authenticator app shows for { $brand } now.
login-code = Code
login-code-hint = Lost your authenticator? Enter one of your recovery codes instead; each works once.
login-cancel = Cancel and sign out
login-wrong-code = That code is not correct, or it was used already. Enter the current code from your authenticator app, or one of your recovery codes.
login-code-step-expired = The time for the second step ran out. Sign in again with your password.
login-recovery-code-used = You signed in with a recovery code; it cannot be used again. { $n } recovery { $count ->
    [one] code remains
   *[other] codes remain
}.

## The Admin API guide (/admin/api)

api-guide-title = Admin API
api-guide-start-heading = Getting started
api-guide-create-before = Create a key on
api-guide-create-link = your account page
api-guide-create-after = : give it a name and an expiry (at most one year). The key is shown once; copy it into your tool's secret store. (Operators can also run
api-guide-create-end = .)
api-guide-send-before = Send it in the
api-guide-send-role = header of every request. It acts with your account's role (you are
api-guide-send-after = ): every role reads; support and administrators also start and cancel deletion processes, auditors get 403 there.
api-guide-limits-before = A missing, revoked or expired key, or a key of a disabled account, gets 401 with an empty body. Each key may send a limited number of requests a minute; beyond that the answer is 429 with
api-guide-limits-after = (seconds).
api-guide-base-before = The API lives at
api-guide-answers = . Answers are
api-guide-failures = ; failures are
api-guide-openapi = . The complete description is the OpenAPI document at
api-guide-openapi-after = ; the list below is made from it.
api-guide-examples-set = In the examples, set
api-guide-examples-address = (an identity address) and
api-guide-examples-first = first, e.g.
api-guide-endpoints = Endpoints
api-guide-who-may = Who may: { $roles }.
api-guide-roles-changing = support, administrator
api-guide-roles-all = every role
api-guide-answers-summary = Answers
